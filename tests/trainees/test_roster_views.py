"""The camp page, the roster and trainee profiles, tried by every persona."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from camp.models import SensitiveAccessLog
from tests.personas import status_as
from trainees.models import Post, TraineeStatus
from trainees.services.admission import trainee_set_post

D = datetime.date


def get_status(client, user, url, method="get", data=None):
    # fresh: a password reset by an earlier persona changes the hash
    return status_as(client, user, url, method, data, fresh=True)


def check(client, cast, url, expected: dict, method="get"):
    for persona, user in cast.everyone().items():
        status = get_status(client, user, url, method)
        want = 302 if user is None else expected[persona]
        assert status == want, (url, persona, status)


EVERYONE = dict.fromkeys(
    ["staff", "orgdept", "leader", "counselor_1", "counselor_2", "trainee_1", "trainee_2"], 200
)
PROFILE_OF_1 = {**EVERYONE, "counselor_2": 404, "trainee_2": 404}
STAFF_ACTS_ON_1 = {
    "staff": 200,
    "orgdept": 403,
    "leader": 403,
    "counselor_1": 403,
    "trainee_1": 403,
    "counselor_2": 404,
    "trainee_2": 404,
}


def test_the_camp_page_shows_headcount_against_capacity_to_everyone(client, cast):
    url = reverse("camp-overview", args=[cast.camp.code])
    check(client, cast, url, EVERYONE)
    client.force_login(cast.trainee_1)
    body = client.get(url).content.decode()
    assert "2 / 150" in body
    assert "党的建设" in body
    assert "周辅导" in body


def test_the_camp_page_offers_selection_only_to_who_may_see_it(client, cast):
    url = reverse("camp-overview", args=[cast.camp.code])
    client.force_login(cast.leader)
    assert reverse("candidate-list", args=[cast.camp.code]) not in client.get(url).content.decode()
    client.force_login(cast.orgdept)
    assert reverse("candidate-list", args=[cast.camp.code]) in client.get(url).content.decode()


def test_the_camp_page_offers_exports_and_edits_by_role(client, cast):
    url = reverse("camp-overview", args=[cast.camp.code])
    roster_export = reverse("export-download", args=[cast.camp.code, "roster"])
    edit = reverse("camp-edit", args=[cast.camp.code])
    passwords = reverse("initial-passwords", args=[cast.camp.code])
    offered = {}
    for persona in ("staff", "orgdept", "leader", "counselor_1", "trainee_1"):
        client.force_login(getattr(cast, persona))
        body = client.get(url).content.decode()
        offered[persona] = (roster_export in body, edit in body, passwords in body)
    assert offered == {
        "staff": (True, True, True),
        "orgdept": (True, False, False),
        "leader": (False, False, False),  # the roster workbook is not for leaders
        "counselor_1": (True, False, False),  # their own group's
        "trainee_1": (False, False, False),
    }


def test_staff_orgdept_and_leaders_land_on_the_camp_page(client, cast):
    for user in (cast.staff, cast.orgdept, cast.leader):
        client.force_login(user)
        response = client.get(reverse("home"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("camp-overview", args=[cast.camp.code])


def test_the_roster_shows_each_persona_what_it_may_see(client, cast):
    url = reverse("roster", args=[cast.camp.code])
    check(client, cast, url, EVERYONE)
    seen = {
        "staff": {"张三", "李四"},
        "orgdept": {"张三", "李四"},
        "leader": {"张三", "李四"},
        "counselor_1": {"张三"},
        "trainee_2": {"李四"},
    }
    for persona, names in seen.items():
        client.force_login(getattr(cast, persona))
        body = client.get(url).content.decode()
        assert {name for name in ("张三", "李四") if name in body} == names, persona


def test_the_roster_masks_phones_and_filters_by_group_and_status(client, cast):
    client.force_login(cast.staff)
    url = reverse("roster", args=[cast.camp.code])
    body = client.get(url).content.decode()
    assert "13800001111" not in body
    assert "138****1111" in body
    body = client.get(url, {"group": cast.group_2.pk}).content.decode()
    assert "李四" in body
    assert "张三" not in body
    assert "张三" not in client.get(url, {"status": TraineeStatus.WITHDRAWN}).content.decode()


def test_the_roster_labels_posts_groups_and_withdrawals_and_leaves_no_post_blank(client, cast):
    trainee_set_post(trainee=cast.trainee_in_group_2, post=Post.GROUP_LEADER, by=cast.staff)
    client.force_login(cast.staff)
    response = client.get(reverse("roster", args=[cast.camp.code]))
    rows = {row["pk"]: row for row in response.context["trainees"]}
    leader, plain = rows[cast.trainee_in_group_2.pk], rows[cast.trainee_in_group_1.pk]
    assert leader["post"] == "组长"
    assert plain["post"] == ""
    assert plain["group"] == "第1组"
    assert plain["theme"] == cast.group_1.get_theme_display()
    assert plain["status"] == "在训"
    body = response.content.decode()
    assert body.count(">组长<") == 2  # the badge on phones and the column on wider screens
    assert ">无<" not in body


def test_the_roster_runs_in_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    from tests.factories import TraineeFactory

    TraineeFactory.create_batch(10, camp=cast.camp, group=cast.group_2)
    client.force_login(cast.staff)
    url = reverse("roster", args=[cast.camp.code])
    # session, user, camp, trainees with person/group/counselor, their 学时 (one query, the
    # roster column curriculum adds), groups, headcount, menu camp, and the idle-timeout
    # session save (savepoint, update, release)
    # + 6 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): pending
    # leave, roll calls not closed, unverified training days, summarised months, failed summary
    # runs, failed exports.
    with django_assert_num_queries(17):
        client.get(url)


def test_a_profile_is_seen_as_the_access_table_says(client, cast):
    check(client, cast, reverse("trainee-detail", args=[cast.trainee_in_group_1.pk]), PROFILE_OF_1)


def test_a_profile_masks_the_id_number_and_phone(client, cast):
    client.force_login(cast.leader)
    body = client.get(reverse("trainee-detail", args=[cast.trainee_in_group_1.pk])).content.decode()
    assert "330502199001011234" not in body
    assert "3305**********1234" in body
    assert "13800001111" not in body
    assert reverse("trainee-reveal", args=[cast.trainee_in_group_1.pk]) not in body


def test_showing_the_full_values_is_for_staff_and_orgdept_and_is_logged(client, cast):
    url = reverse("trainee-reveal", args=[cast.trainee_in_group_1.pk])
    expected = {**STAFF_ACTS_ON_1, "orgdept": 200}
    check(client, cast, url, expected, method="post")
    assert SensitiveAccessLog.objects.filter(action="view").count() == 2
    client.force_login(cast.orgdept)
    body = client.post(url).content.decode()
    assert "330502199001011234" in body
    assert "13800001111" in body
    entry = SensitiveAccessLog.objects.first()
    assert entry.user == cast.orgdept
    assert "张三" in entry.target


def test_reveal_is_post_only(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("trainee-reveal", args=[cast.trainee_in_group_1.pk]))
    assert response.status_code == 405
    assert not SensitiveAccessLog.objects.exists()


def test_only_staff_withdraw_reset_and_set_posts(client, cast):
    pk = cast.trainee_in_group_1.pk
    check(client, cast, reverse("trainee-withdraw", args=[pk]), STAFF_ACTS_ON_1)
    post_only = {key: (302 if value == 200 else value) for key, value in STAFF_ACTS_ON_1.items()}
    check(client, cast, reverse("trainee-post", args=[pk]), post_only, method="post")
    check(
        client,
        cast,
        reverse("trainee-reset-password", args=[pk]),
        STAFF_ACTS_ON_1,
        method="post",
    )


def test_staff_withdraw_a_trainee_and_are_offered_the_waitlist(client, cast):
    from tests.factories import CandidateFactory, PersonFactory

    CandidateFactory(camp=cast.camp, person=PersonFactory(name="候补甲"), decision="waitlisted")
    client.force_login(cast.staff)
    url = reverse("trainee-withdraw", args=[cast.trainee_in_group_1.pk])
    response = client.post(
        url, {"kind": "promoted", "on": "2026-06-01", "reason": "提拔"}, follow=True
    )
    body = response.content.decode()
    assert "已退出，登录账号已停用" in body
    assert "从候补递补：候补甲" in body
    cast.trainee_1.refresh_from_db()
    assert not cast.trainee_1.is_active


def test_a_withdrawal_without_a_reason_is_refused(client, cast):
    client.force_login(cast.staff)
    url = reverse("trainee-withdraw", args=[cast.trainee_in_group_1.pk])
    response = client.post(url, {"kind": "left", "on": "2026-06-01", "reason": ""})
    assert response.status_code == 400
    cast.trainee_in_group_1.refresh_from_db()
    assert cast.trainee_in_group_1.is_active


def test_a_reset_password_is_shown_once_and_works(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("trainee-reset-password", args=[cast.trainee_in_group_1.pk]))
    password = response.context["new_password"]
    assert password in response.content.decode()
    assert authenticate(username="t001", password=password) == cast.trainee_1
    again = client.get(reverse("trainee-detail", args=[cast.trainee_in_group_1.pk]))
    assert password not in again.content.decode()


def test_staff_set_a_post(client, cast):
    client.force_login(cast.staff)
    client.post(
        reverse("trainee-post", args=[cast.trainee_in_group_1.pk]), {"post": "group_leader"}
    )
    cast.trainee_in_group_1.refresh_from_db()
    assert cast.trainee_in_group_1.post == Post.GROUP_LEADER


def test_an_unknown_post_is_refused_with_a_message_and_nothing_changes(client, cast):
    client.force_login(cast.staff)
    trainee = cast.trainee_in_group_1
    url = reverse("trainee-post", args=[trainee.pk])
    response = client.post(url, {"post": "monitor"}, follow=True)
    assert "请从列表中选择班级职务" in response.content.decode()
    before = trainee.post
    trainee.refresh_from_db()
    assert trainee.post == before


def test_the_initial_password_sheet_is_for_staff_only(client, cast):
    url = reverse("initial-passwords", args=[cast.camp.code])
    expected = dict.fromkeys(EVERYONE, 403) | {"staff": 200}
    check(client, cast, url, expected)


@pytest.mark.parametrize("persona", ["orgdept", "counselor_1", "trainee_1"])
def test_nobody_but_staff_can_issue_passwords(client, cast, persona):
    client.force_login(getattr(cast, persona))
    url = reverse("initial-passwords", args=[cast.camp.code])
    assert client.post(url, {"group": cast.group_1.pk}).status_code == 403


def test_the_initial_password_sheet_prints_one_group(client, cast):
    client.force_login(cast.staff)
    url = reverse("initial-passwords", args=[cast.camp.code])
    response = client.post(url, {"group": cast.group_1.pk})
    issued = response.context["issued"]
    assert [item.username for item in issued] == ["t001"]
    body = response.content.decode()
    assert issued[0].password in body
    assert "李四" not in body
    assert authenticate(username="t001", password=issued[0].password) == cast.trainee_1


def test_the_roster_stays_whole_but_finds_a_name_by_initials(client, cast):
    from tests.factories import PersonFactory, TraineeFactory

    TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="单田芳"))
    for _ in range(30):
        TraineeFactory(camp=cast.camp, group=cast.group_1)
    client.force_login(cast.staff)
    url = reverse("roster", args=[cast.camp.code])
    assert len(client.get(url).context["trainees"]) == 33  # printed whole: no paging
    for typed in ("stf", "田芳"):
        found = client.get(url, {"q": typed, "group": cast.group_1.pk}).context["trainees"]
        assert [row["name"] for row in found] == ["单田芳"]
