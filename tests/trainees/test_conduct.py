import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trainees.models import ConductCode
from trainees.services.admission import trainee_withdraw
from trainees.services.conduct import CONDUCT_CODE_MAX_LENGTH, conduct_code_save

TEXT = "一、对党忠诚，严守纪律；二、勤学善思，知行合一；三、清正廉洁，自重自省。"


def test_a_trainee_writes_their_own_conduct_code(cast):
    code = conduct_code_save(trainee=cast.trainee_in_group_1, text=f"  {TEXT}\n", by=cast.trainee_1)
    assert code.text == TEXT
    assert ConductCode.objects.get(trainee=cast.trainee_in_group_1).text == TEXT


def test_rewriting_keeps_the_earlier_version_in_history(cast):
    conduct_code_save(trainee=cast.trainee_in_group_1, text=TEXT, by=cast.trainee_1)
    conduct_code_save(
        trainee=cast.trainee_in_group_1, text=TEXT + "四、服务群众。", by=cast.trainee_1
    )
    code = ConductCode.objects.get(trainee=cast.trainee_in_group_1)
    assert [h.text for h in code.history.order_by("history_date")] == [
        TEXT,
        TEXT + "四、服务群众。",
    ]
    assert code.history.first().history_user == cast.trainee_1


@pytest.mark.parametrize("writer", ["trainee_2", "counselor_1", "staff", "orgdept", "leader"])
def test_nobody_else_writes_a_trainees_conduct_code(cast, writer):
    with pytest.raises(PermissionDenied):
        conduct_code_save(trainee=cast.trainee_in_group_1, text=TEXT, by=getattr(cast, writer))
    assert not ConductCode.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n "])
def test_it_refuses_an_empty_code(cast, text):
    with pytest.raises(ValidationError, match="请填写"):
        conduct_code_save(trainee=cast.trainee_in_group_1, text=text, by=cast.trainee_1)
    assert not ConductCode.objects.exists()


def test_it_refuses_a_code_past_the_length_limit(cast):
    with pytest.raises(ValidationError, match=f"{CONDUCT_CODE_MAX_LENGTH}字以内"):
        conduct_code_save(
            trainee=cast.trainee_in_group_1,
            text="严" * (CONDUCT_CODE_MAX_LENGTH + 1),
            by=cast.trainee_1,
        )
    assert not ConductCode.objects.exists()


def test_a_withdrawn_trainee_can_no_longer_change_it(cast):
    trainee_withdraw(
        trainee=cast.trainee_in_group_1,
        kind="promoted",
        reason="提拔任职",
        on=cast.camp.start_date,
        by=cast.staff,
    )
    cast.trainee_in_group_1.refresh_from_db()
    cast.trainee_1.refresh_from_db()
    with pytest.raises((ValidationError, PermissionDenied)):
        conduct_code_save(trainee=cast.trainee_in_group_1, text=TEXT, by=cast.trainee_1)
    assert not ConductCode.objects.exists()
