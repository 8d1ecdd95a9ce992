import pytest
from django.urls import reverse

from trainees.models import ConductCode
from trainees.services.conduct import conduct_code_save

TEXT = "一、对党忠诚；二、勤学善思；三、清正廉洁。"


def visit(client, cast, persona, url, method="get", data=None):
    user = cast.everyone()[persona]
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def expect(response, status):
    if status == "login":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code == status


@pytest.fixture
def written(cast):
    return conduct_code_save(trainee=cast.trainee_in_group_1, text=TEXT, by=cast.trainee_1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", "login"),
        ("staff", 200),
        ("counselor_1", 200),
        ("counselor_2", 404),
        ("trainee_1", 200),
        ("trainee_2", 404),
        ("orgdept", 200),
        ("leader", 404),
    ],
)
def test_a_conduct_code_is_read_by_its_trainee_their_counselor_staff_and_orgdept(
    client, cast, written, persona, status
):
    response = visit(
        client, cast, persona, reverse("conduct-code", args=[cast.trainee_in_group_1.pk])
    )
    expect(response, status)
    if status == 200:
        body = response.content.decode()
        assert "对党忠诚" in body
    if persona == "trainee_1":  # the writer is told who reads it, as the rule above has it
        assert "仅本人、本组政治辅导员、党校管理员和组织部可以查看；其他学员和领导看不到" in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", "login"),
        ("staff", 403),
        ("counselor_1", 403),
        ("counselor_2", 404),
        ("trainee_2", 404),
        ("orgdept", 403),
        ("leader", 404),
    ],
)
def test_nobody_but_the_trainee_writes_it(client, cast, written, persona, status):
    url = reverse("conduct-code", args=[cast.trainee_in_group_1.pk])
    expect(visit(client, cast, persona, url, "post", {"text": "改写"}), status)
    assert ConductCode.objects.get().text == TEXT


def test_readers_see_no_form(client, cast, written):
    client.force_login(cast.counselor_1)
    response = client.get(reverse("conduct-code", args=[cast.trainee_in_group_1.pk]))
    assert response.context["form"] is None
    assert "<textarea" not in response.content.decode()


def test_the_trainee_writes_their_code(client, cast):
    client.force_login(cast.trainee_1)
    url = reverse("conduct-code", args=[cast.trainee_in_group_1.pk])
    assert "<textarea" in client.get(url).content.decode()
    response = client.post(url, {"text": TEXT})
    assert response.status_code == 302
    assert ConductCode.objects.get(trainee=cast.trainee_in_group_1).text == TEXT


def test_an_empty_code_is_refused_with_a_message(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("conduct-code", args=[cast.trainee_in_group_1.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert not ConductCode.objects.exists()
    assert response.context["form"].errors


def test_a_reader_sees_that_none_is_written_yet(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("conduct-code", args=[cast.trainee_in_group_1.pk]))
    assert 'data-testid="conduct-missing"' in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", "login"),
        ("staff", 403),
        ("counselor_1", 403),
        ("counselor_2", 403),
        ("trainee_1", 302),
        ("trainee_2", 302),
        ("orgdept", 403),
        ("leader", 403),
    ],
)
def test_my_conduct_code_leads_a_trainee_to_their_own(client, cast, persona, status):
    response = visit(client, cast, persona, reverse("conduct-mine", args=[cast.camp.code]))
    expect(response, status)
    if status == 302:
        own = {"trainee_1": cast.trainee_in_group_1, "trainee_2": cast.trainee_in_group_2}[persona]
        assert response["Location"] == reverse("conduct-code", args=[own.pk])


def test_an_unknown_trainee_is_404(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("conduct-code", args=[999999])).status_code == 404
