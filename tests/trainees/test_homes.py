import pytest
from django.urls import reverse

from camp.panels import PANELS, register_panel
from tests.factories import PersonFactory, TraineeFactory
from trainees.models import ConductCode
from trainees.services.conduct import conduct_code_save


def visit(client, cast, persona, url):
    user = cast.everyone()[persona]
    if user is not None:
        client.force_login(user)
    return client.get(url)


def expect(response, status):
    if status == "login":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", "login"),
        ("staff", 403),
        ("counselor_1", 403),
        ("counselor_2", 403),
        ("trainee_1", 200),
        ("trainee_2", 200),
        ("orgdept", 403),
        ("leader", 403),
    ],
)
def test_the_trainee_home_is_for_trainees(client, cast, persona, status):
    expect(visit(client, cast, persona, reverse("trainee-home")), status)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", "login"),
        ("staff", 403),
        ("counselor_1", 200),
        ("counselor_2", 200),
        ("trainee_1", 403),
        ("trainee_2", 403),
        ("orgdept", 403),
        ("leader", 403),
    ],
)
def test_the_counselor_home_is_for_counselors(client, cast, persona, status):
    expect(visit(client, cast, persona, reverse("counselor-home")), status)


@pytest.mark.parametrize(
    ("persona", "home"),
    [("trainee_1", "trainee-home"), ("counselor_1", "counselor-home")],
)
def test_logging_in_lands_on_the_roles_home(client, cast, persona, home):
    response = visit(client, cast, persona, reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(home)


def test_a_trainee_sees_their_group_counselor_and_missing_conduct_code(client, cast):
    client.force_login(cast.trainee_1)
    body = client.get(reverse("trainee-home")).content.decode()
    assert "第1组·党的建设" in body
    assert "周辅导" in body
    assert 'data-testid="conduct-missing"' in body
    conduct_code_save(trainee=cast.trainee_in_group_1, text="对党忠诚", by=cast.trainee_1)
    body = client.get(reverse("trainee-home")).content.decode()
    assert 'data-testid="conduct-missing"' not in body
    assert "已填写" in body


def test_a_counselor_sees_their_members_and_who_has_no_conduct_code(client, cast):
    written = TraineeFactory(
        camp=cast.camp, group=cast.group_1, person=PersonFactory(name="王五", user=None)
    )
    ConductCode.objects.create(trainee=written, text="自律")
    client.force_login(cast.counselor_1)
    response = client.get(reverse("counselor-home"))
    body = response.content.decode()
    assert "张三" in body
    assert "王五" in body
    assert "李四" not in body  # group 2
    missing = body.split('data-testid="conduct-missing"')[1].split("</p>")[0]
    assert "张三" in missing
    assert "王五" not in missing


def test_other_apps_panels_appear_on_the_home(client, cast, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "extra").mkdir(parents=True)
    (template_dir / "extra" / "panel.html").write_text("<p>来自其他应用：{{ word }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    before = list(PANELS)
    try:
        register_panel(
            roles={"trainee"},
            order=99,
            template="extra/panel.html",
            context=lambda request, camp: {"word": camp.code},
        )
        client.force_login(cast.trainee_1)
        assert "来自其他应用：2026" in client.get(reverse("trainee-home")).content.decode()
    finally:
        PANELS[:] = before


def test_the_menu_offers_groups_and_the_conduct_code(client, cast):
    client.force_login(cast.trainee_1)
    body = client.get(reverse("trainee-home")).content.decode()
    assert reverse("group-list", args=[cast.camp.code]) in body
    assert reverse("conduct-mine", args=[cast.camp.code]) in body
    client.force_login(cast.leader)
    body = client.get(reverse("group-list", args=[cast.camp.code])).content.decode()
    assert reverse("conduct-mine", args=[cast.camp.code]) not in body


def test_a_counselors_groups_and_members_are_read_in_two_queries(cast, django_assert_num_queries):
    from trainees.group_selectors import counseled_groups

    # Not the article's rule (one group each), but the panel must not query per group.
    group_3 = cast.camp.groups.get(number=3)
    group_3.counselor = cast.group_1.counselor
    group_3.save(update_fields=["counselor"])
    TraineeFactory(camp=cast.camp, group=group_3, person=PersonFactory(name="赵六", user=None))
    with django_assert_num_queries(2):  # the groups, then their active members with persons
        groups = counseled_groups(cast.counselor_1, cast.camp)
        names = {g.number: [m.person.name for m in g.members] for g in groups}
    assert names == {1: ["张三"], 3: ["赵六"]}
