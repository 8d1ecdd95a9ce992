"""The header menu: each role's starts with that role's own work."""

import pytest

from camp.navigation import navigation_for


def _sections(user) -> list[tuple[str, list[str]]]:
    return [
        (section["label"], [item["label"] for item in section["items"]])
        for section in navigation_for(user)["menu_sections"]
    ]


def test_a_trainees_menu_starts_with_their_own_learning(cast):
    sections = _sections(cast.trainee_1)
    assert sections[0] == (
        "我的学习",
        ["我的课表", "我的成绩", "我的材料", "请假", "考勤", "个人修养要则"],
    )
    labels = [label for label, _items in sections]
    # A trainee has nothing to do with selection: the heading says what it holds for them.
    assert "选调与学员" not in labels
    assert "班级与小组" in labels


def test_a_counselors_menu_starts_with_their_group(cast):
    label, items = _sections(cast.counselor_1)[0]
    assert label == "我的小组"
    assert items[:3] == ["小组成绩", "每周讲评", "谈心谈话"]
    assert "选调与学员" not in [label for label, _items in _sections(cast.counselor_1)]


@pytest.mark.parametrize(
    ("persona", "first", "first_item"),
    [
        ("staff", "选调与学员", "候选人/选调"),
        ("orgdept", "组织考察", "学员查询"),
        ("leader", "看板与点评", "数据看板"),
    ],
)
def test_each_overseers_menu_starts_with_their_own_work(cast, persona, first, first_item):
    label, items = _sections(getattr(cast, persona))[0]
    assert (label, items[0]) == (first, first_item)


@pytest.mark.parametrize("persona", ["staff", "counselor_1", "trainee_1", "orgdept", "leader"])
def test_the_grouped_menu_keeps_every_page_once(cast, persona):
    user = getattr(cast, persona)
    nav = navigation_for(user)
    grouped = [item["url"] for section in nav["menu_sections"] for item in section["items"]]
    grouped += [section["url"] for section in nav["menu_sections"] if not section["items"]]
    assert sorted(grouped) == sorted(item["url"] for item in nav["menu_items"])


def test_a_menu_entry_shows_to_whoever_its_page_lets_in(cast):
    """An entry with no rule of its own follows its view's: the evaluations page is staff's."""
    assert "curriculum-evaluations" in {i["name"] for i in navigation_for(cast.staff)["menu_items"]}
    for user in (cast.orgdept, cast.leader, cast.counselor_1, cast.trainee_1):
        assert "curriculum-evaluations" not in {
            i["name"] for i in navigation_for(user)["menu_items"]
        }


def test_a_deactivated_user_sees_no_entry_their_role_would_open(cast):
    cast.staff.is_active = False
    assert navigation_for(cast.staff)["menu_items"] == []


def test_an_entry_whose_view_states_no_rule_is_refused(cast, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from camp import navigation

    # The password page is for every logged-in user and says so with login_required only.
    monkeypatch.setattr(navigation, "MENU", [("密码", "password-change", None, False)])
    monkeypatch.setattr(navigation, "_PAGE_RULES", {})
    with pytest.raises(ImproperlyConfigured, match="password-change"):
        navigation_for(cast.staff)


@pytest.mark.parametrize(
    ("persona", "shortcuts"),
    [
        ("trainee_1", ["请假", "我的课表", "我的成绩"]),
        ("counselor_1", ["每周讲评", "快速录入", "谈心谈话"]),
        ("staff", ["考勤", "快速录入", "请假"]),
        ("orgdept", ["数据看板", "跟踪关注", "综合比选"]),
        ("leader", ["数据看板", "领导点评"]),
    ],
)
def test_each_roles_main_tasks_stand_on_its_home(client, cast, persona, shortcuts):
    """One tap from home on a phone, where the header's sections take three."""
    user = getattr(cast, persona)
    assert [item["label"] for item in navigation_for(user)["menu_shortcuts"]] == shortcuts
    client.force_login(user)
    page = client.get("/", follow=True).content.decode()
    assert "data-shortcuts" in page
    for item in navigation_for(user)["menu_shortcuts"]:
        assert f'href="{item["url"]}"' in page


def _menu_builds(monkeypatch) -> list:
    """Count how often a page builds the menu's entries."""
    import camp.navigation

    builds = []
    real = camp.navigation.navigation_for

    def counting(user, **kwargs):
        builds.append(user.pk)
        return real(user, **kwargs)

    monkeypatch.setattr(camp.navigation, "navigation_for", counting)
    return builds


def test_the_menu_is_kept_rendered_between_a_users_pages(client, cast, monkeypatch):
    builds = _menu_builds(monkeypatch)
    client.force_login(cast.counselor_1)
    first = client.get("/notifications/").content.decode()
    second = client.get("/account/notifications/").content.decode()
    assert builds == [cast.counselor_1.pk]
    for item in navigation_for(cast.counselor_1)["menu_items"]:
        assert f'href="{item["url"]}"' in first
        assert f'href="{item["url"]}"' in second


def test_a_role_change_shows_the_new_roles_menu_at_once(client, cast):
    from camp.roles import Role

    user = cast.orgdept
    client.force_login(user)
    client.get("/notifications/")
    before = {item["url"] for item in navigation_for(user)["menu_items"]}
    user.role = Role.LEADER
    user.save(update_fields=["role"])
    after = {item["url"] for item in navigation_for(user)["menu_items"]}
    assert before - after, "the two roles' menus must differ for this test"
    page = client.get("/notifications/").content.decode()
    for url in after:
        assert f'href="{url}"' in page
    for url in before - after:
        assert f'href="{url}"' not in page


def test_the_menu_renders_live_when_the_cache_is_down(client, cast, monkeypatch):
    from tests.camp.test_camp_cache import Broken

    client.force_login(cast.staff)
    monkeypatch.setattr("camp.navigation.cache", Broken())
    page = client.get("/notifications/").content.decode()
    for item in navigation_for(cast.staff)["menu_items"]:
        assert f'href="{item["url"]}"' in page
