"""Graduation: the outstanding-trainee quota, certificate numbering (deterministic and stable),
declining with a reason, the leave warning, and the printable appraisal form."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.models import Graduation
from assessment.services.graduation import (
    graduation_certificates_assign,
    graduation_policy_update,
    graduation_save,
    outstanding_quota,
)
from curriculum.models import LeaveRequest
from tests.factories import SessionFactory, TraineeFactory, TrainingDayFactory
from trainees.models import TraineeStatus

pytestmark = pytest.mark.django_db


def _save(trainee, by, **kwargs):
    values = {"graduates": True, "appraisal": "学习刻苦", "outstanding": False, **kwargs}
    return graduation_save(trainee=trainee, by=by, **values)


@pytest.fixture
def class_of_seven(cast):
    """The cast's two trainees and five more: 15% of 7 is one award."""
    groups = list(cast.camp.groups.order_by("number"))
    more = [TraineeFactory(camp=cast.camp, group=groups[n % 3]) for n in range(5)]
    return [cast.trainee_in_group_1, cast.trainee_in_group_2, *more]


def test_the_quota_is_fifteen_percent_of_active_trainees_by_default(cast, class_of_seven):
    assert outstanding_quota(cast.camp) == 1
    class_of_seven[6].status = TraineeStatus.WITHDRAWN
    class_of_seven[6].save(update_fields=["status"])
    assert outstanding_quota(cast.camp) == 0  # 15% of 6, rounded down


def test_an_award_beyond_the_quota_is_refused_in_chinese(cast, class_of_seven):
    first, second = class_of_seven[:2]
    _save(first, cast.staff, outstanding=True)
    with pytest.raises(ValidationError) as refused:
        _save(second, cast.staff, outstanding=True)
    message = refused.value.message_dict["outstanding"][0]
    assert "优秀学员名额已满" in message
    assert "共1名" in message
    assert not Graduation.objects.filter(trainee=second).exists()
    _save(first, cast.staff, outstanding=True, appraisal="改写")  # keeping one's own award is fine


def test_staff_change_the_share_but_not_below_the_awards_given(cast, class_of_seven):
    graduation_policy_update(camp=cast.camp, by=cast.staff, outstanding_share=Decimal("30"))
    assert outstanding_quota(cast.camp) == 2
    for trainee in class_of_seven[:2]:
        _save(trainee, cast.staff, outstanding=True)
    with pytest.raises(ValidationError, match="按新比例只有1个名额"):
        graduation_policy_update(camp=cast.camp, by=cast.staff, outstanding_share=Decimal("15"))


def test_declining_needs_a_reason_and_excludes_the_award(cast):
    trainee = cast.trainee_in_group_1
    with pytest.raises(ValidationError, match="不予结业须写明原因"):
        _save(trainee, cast.staff, graduates=False)
    with pytest.raises(ValidationError, match="不能评为优秀学员"):
        _save(trainee, cast.staff, graduates=False, decline_reason="请假过多", outstanding=True)
    assert not Graduation.objects.exists()
    declined = _save(trainee, cast.staff, graduates=False, decline_reason="请假超过1/7")
    assert declined.history.get().history_user == cast.staff


def test_certificate_numbers_follow_group_then_admission_and_never_change(cast):
    camp = cast.camp
    late_in_group_1 = TraineeFactory(
        camp=camp, group=cast.group_1, admitted_on=datetime.date(2026, 2, 1)
    )
    declined = TraineeFactory(camp=camp, group=cast.group_1)
    withdrawn = TraineeFactory(camp=camp, group=cast.group_1, status=TraineeStatus.WITHDRAWN)
    for trainee in (cast.trainee_in_group_2, late_in_group_1, cast.trainee_in_group_1, withdrawn):
        _save(trainee, cast.staff)
    _save(declined, cast.staff, graduates=False, decline_reason="旷课")
    numbered = graduation_certificates_assign(camp=camp, by=cast.staff)
    numbers = {g.trainee_id: g.certificate_number for g in Graduation.objects.all()}
    assert [g.trainee_id for g in numbered] == [
        cast.trainee_in_group_1.pk,
        late_in_group_1.pk,
        cast.trainee_in_group_2.pk,
    ]
    assert numbers[cast.trainee_in_group_1.pk] == "NTH2026-001"
    assert numbers[late_in_group_1.pk] == "NTH2026-002"
    assert numbers[cast.trainee_in_group_2.pk] == "NTH2026-003"
    assert numbers[declined.pk] is None
    assert numbers[withdrawn.pk] is None
    assert Graduation.objects.get(trainee=cast.trainee_in_group_1).finalized_at is not None

    newcomer = TraineeFactory(camp=camp, group=cast.group_1)  # graduates later on appeal
    _save(newcomer, cast.staff)
    graduation_certificates_assign(camp=camp, by=cast.staff)
    after = {g.trainee_id: g.certificate_number for g in Graduation.objects.all()}
    assert after[newcomer.pk] == "NTH2026-004"
    assert {k: v for k, v in after.items() if k != newcomer.pk} == numbers
    with pytest.raises(ValidationError, match="没有待编号的结业学员"):
        graduation_certificates_assign(camp=camp, by=cast.staff)
    with pytest.raises(ValidationError, match="已发结业证书"):
        _save(cast.trainee_in_group_1, cast.staff, graduates=False, decline_reason="x")


def test_the_edit_page_warns_when_leave_passes_a_seventh(client, cast):
    days = [
        TrainingDayFactory(
            camp=cast.camp, slot_date=datetime.date(2026, 3, 14) + datetime.timedelta(weeks=n)
        )
        for n in range(4)
    ]  # 8 half-days in the year, so 2 half-days of leave pass 1/7
    SessionFactory(training_day=days[0])
    SessionFactory(
        training_day=days[0],
        half_day="afternoon",
        start_time=datetime.time(14),
        end_time=datetime.time(17),
    )
    url = reverse("graduation-edit", args=[cast.trainee_in_group_1.pk])
    client.force_login(cast.staff)
    assert 'data-testid="leave-warning"' not in client.get(url).content.decode()
    LeaveRequest.objects.create(
        trainee=cast.trainee_in_group_1, training_day=days[0], reason="公务", status="approved"
    )
    assert 'data-testid="leave-warning"' in client.get(url).content.decode()


def test_staff_save_a_draft_through_the_page(client, cast):
    client.force_login(cast.staff)
    url = reverse("graduation-edit", args=[cast.trainee_in_group_1.pk])
    response = client.post(url, {"graduates": "1", "appraisal": "表现优秀", "outstanding": ""})
    assert response.status_code == 302
    graduation = Graduation.objects.get()
    assert (graduation.appraisal, graduation.finalized_at) == ("表现优秀", None)
    refused = client.post(url, {"graduates": "0", "appraisal": "x"})
    assert "不予结业须写明原因" in refused.content.decode()
    assert Graduation.objects.get().graduates is True


def test_the_printable_appraisal_form(client, cast):
    trainee = cast.trainee_in_group_1
    _save(trainee, cast.staff, appraisal="该同志理想信念坚定")
    url = reverse("graduation-form", args=[trainee.pk])
    client.force_login(cast.staff)
    html = client.get(url).content.decode()
    assert 'data-testid="appraisal-form"' in html
    assert "学员鉴定表" in html
    assert "该同志理想信念坚定" in html
    assert "data-print" in html
    assert "js/print.js" in html
    assert "草稿" in html
    css = (Path(settings.BASE_DIR) / "static/css/camp.css").read_text()
    assert "@page { size: A4 portrait" in css
    assert ".appraisal-form" in css.split("@media print", 2)[2]

    # The trainee reads their own form once it is final, never a draft, never another's.
    client.force_login(cast.trainee_1)
    assert "该同志理想信念坚定" not in client.get(url).content.decode()
    graduation_certificates_assign(camp=cast.camp, by=cast.staff)
    mine = client.get(url).content.decode()
    assert "该同志理想信念坚定" in mine
    assert "NTH2026-001" in mine
    for user in (cast.trainee_2, cast.counselor_2):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_a_counselor_lists_only_their_group(client, cast):
    client.force_login(cast.counselor_1)
    html = client.get(reverse("graduation-list", args=["2026"])).content.decode()
    assert html.count('data-testid="graduation-row"') == 1
    assert "张三" in html
    assert "李四" not in html
    assert reverse("graduation-edit", args=[cast.trainee_in_group_1.pk]) not in html


def test_a_withdrawn_trainee_is_not_listed_for_graduation(client, cast):
    withdrawn = cast.trainee_in_group_2
    withdrawn.status, withdrawn.withdrawn_on = TraineeStatus.WITHDRAWN, datetime.date(2026, 5, 1)
    withdrawn.save()
    client.force_login(cast.staff)
    html = client.get(reverse("graduation-list", args=["2026"])).content.decode()
    assert html.count('data-testid="graduation-row"') == 1
    assert "张三" in html
    assert "李四" not in html


def _held_session(cast, date, **kwargs):
    day = TrainingDayFactory(camp=cast.camp, slot_date=date)
    return SessionFactory(training_day=day, **kwargs)


def test_graduation_needs_the_camps_minimum_share_of_study_hours(cast):
    from curriculum.services.attendance import attendance_record

    trainee = cast.trainee_in_group_1
    sessions = [_held_session(cast, datetime.date(2026, 3, day)) for day in (7, 14, 21, 28, 4)]
    statuses = ["present", "late", "absent", "on_leave", "present"]
    for session, status in zip(sessions, statuses, strict=True):
        attendance_record(session=session, marks={trainee.pk: status}, by=cast.staff)
    # 12 of 20 hours attended: 60 %, below the default 80 %
    with pytest.raises(ValidationError) as refused:
        _save(trainee, cast.staff)
    message = refused.value.message_dict["graduates"][0]
    assert "已修学时12.0不足应修学时20.0的80.0%" in message
    assert not Graduation.objects.filter(trainee=trainee).exists()
    _save(trainee, cast.staff, graduates=False, decline_reason="学时不足")  # declining is fine
    cast.camp.min_hours_share = Decimal("60")
    cast.camp.save(update_fields=["min_hours_share"])
    trainee.refresh_from_db()
    assert _save(trainee, cast.staff).graduates
