"""Every curriculum page, tried by every persona of the cast."""

import datetime

import pytest
from django.urls import reverse

from curriculum.check_in_codes import code_now
from curriculum.models import (
    CalendarArrangement,
    CurriculumTarget,
    LeaveRequest,
    Talk,
    TrainingDay,
)
from curriculum.services.attendance import check_in_token
from curriculum.services.calendar import calendar_arrangement_create
from curriculum.services.leave import leave_request
from curriculum.services.practice import chief_project_save, task_force_create
from curriculum.services.research import research_topic_create
from tests.factories import SessionFactory
from tests.personas import PERSONAS, log_in_as

ALL = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
STAFF_ONLY = dict.fromkeys(PERSONAS, 403) | {"anonymous": 302, "staff": 200}
ATTENDANCE = ALL | {"leader": 403}
TALKS = STAFF_ONLY | {"counselor_1": 200, "counselor_2": 200}
TRAINEE_ONLY = dict.fromkeys(PERSONAS, 403) | {
    "anonymous": 302,
    "trainee_1": 200,
    "trainee_2": 200,
}


@pytest.fixture
def world(cast, year):
    """One of everything, so that every page has something to show."""
    topic = research_topic_create(camp=cast.camp, title="乡村产业项目高质量招引")
    force = task_force_create(
        camp=cast.camp,
        name="织里镇突击队",
        place="织里镇",
        task="项目攻坚",
        members=[cast.trainee_in_group_1],
    )
    chief_project_save(
        trainee=cast.trainee_in_group_1,
        title="重点项目",
        goal="完成",
        milestones="",
        by=cast.trainee_1,
    )
    return {"topic": topic, "force": force}


def _pages(cast, year, world):
    code = cast.camp.code
    return [
        ("curriculum-calendar", [code], ALL),
        ("curriculum-arrangements", [code], STAFF_ONLY),
        ("curriculum-day", [year.day.pk], ALL),
        ("curriculum-session", [year.morning.pk], ALL),
        ("curriculum-session-new", [code], STAFF_ONLY),
        ("curriculum-session-edit", [year.morning.pk], STAFF_ONLY),
        ("curriculum-session-qr", [year.morning.pk], STAFF_ONLY),
        ("curriculum-session-sheet", [year.morning.pk], STAFF_ONLY),
        ("curriculum-evaluations", [code], STAFF_ONLY),
        (
            "curriculum-session-attendance",
            [year.morning.pk],
            ATTENDANCE | {"trainee_1": 404, "trainee_2": 404},
        ),
        ("curriculum-attendance", [code], ATTENDANCE),
        ("curriculum-leave", [code], ATTENDANCE),
        ("curriculum-plan", [code], ALL),
        ("curriculum-instructors", [code], ALL),
        ("curriculum-talks", [code], TALKS),
        ("curriculum-research", [code], ALL),
        ("curriculum-research-topic", [world["topic"].pk], ALL),
        ("curriculum-chief-projects", [code], ALL),
        (
            "curriculum-chief-project",
            [cast.trainee_in_group_1.pk],
            ALL | {"counselor_2": 404, "trainee_2": 404},
        ),
        ("curriculum-task-forces", [code], ALL),
        ("curriculum-task-force", [world["force"].pk], ALL),
        ("curriculum-my-schedule", [], TRAINEE_ONLY),
        ("curriculum-check-in", [check_in_token(year.morning)], TRAINEE_ONLY),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_every_persona_as_the_access_table_says(
    client, cast, year, world, persona
):
    log_in_as(client, cast.everyone()[persona])
    wrong = []
    for name, args, expected in _pages(cast, year, world):
        response = client.get(reverse(name, args=args))
        if response.status_code != expected[persona]:
            wrong.append((name, response.status_code, expected[persona]))
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("login"))
    assert wrong == []


# Writes: who may post, and that a refused post writes nothing.
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_plan_the_calendar(client, cast, persona):
    log_in_as(client, cast.everyone()[persona])
    response = client.post(reverse("curriculum-plan-run", args=[cast.camp.code]))
    if persona == "staff":
        assert response.status_code == 302
        assert TrainingDay.objects.filter(camp=cast.camp).count() == 24
    else:
        assert response.status_code in (302, 403)
        assert not TrainingDay.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_move_a_day(client, cast, year, persona):
    log_in_as(client, cast.everyone()[persona])
    client.post(
        reverse("curriculum-day-move", args=[year.day.pk]),
        {"to_date": "2026-03-21", "reason": "会议"},
    )
    year.day.refresh_from_db()
    moved = year.day.date == datetime.date(2026, 3, 21)
    assert moved == (persona == "staff")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_decide_a_whole_day_leave(client, cast, year, persona):
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="出差",
        by=cast.trainee_1,
    )
    log_in_as(client, cast.everyone()[persona])
    client.post(reverse("curriculum-leave-decide", args=[leave.pk]), {"approve": "1", "note": ""})
    leave.refresh_from_db()
    assert (leave.status == "approved") == (persona == "staff")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_change_target_counts(client, cast, persona):
    target = CurriculumTarget.objects.get(camp=cast.camp, label="青能量公开课")
    log_in_as(client, cast.everyone()[persona])
    client.post(reverse("curriculum-target-count", args=[target.pk]), {"count": 12})
    target.refresh_from_db()
    assert (target.count == 12) == (persona == "staff")


def test_staff_record_a_whole_group_in_one_post(client, cast, year):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    response = client.post(
        url,
        {
            f"t{cast.trainee_in_group_1.pk}": "present",
            f"t{cast.trainee_in_group_2.pk}": "absent",
        },
    )
    assert response.status_code == 302
    statuses = dict(year.morning.attendances.values_list("trainee_id", "status"))
    assert statuses == {
        cast.trainee_in_group_1.pk: "present",
        cast.trainee_in_group_2.pk: "absent",
    }


def test_a_counselor_reads_the_sheet_for_their_group_only_and_cannot_post(client, cast, year):
    client.force_login(cast.counselor_1)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    body = client.get(url).content.decode()
    assert "张三" in body
    assert "李四" not in body
    # May see, may not change: 403, as the access table says.
    assert client.post(url, {f"t{cast.trainee_in_group_1.pk}": "absent"}).status_code == 403
    assert not year.morning.attendances.exists()


def test_a_trainee_requests_leave_and_closes_it_through_the_pages(client, cast, year, clock):
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-leave", args=[cast.camp.code])
    response = client.post(
        url, {"training_day": year.day.pk, "half_day": "morning", "reason": "出差"}
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    client.force_login(cast.staff)
    client.post(reverse("curriculum-leave-decide", args=[leave.pk]), {"approve": "1"})
    clock.at(datetime.datetime(2026, 3, 15, 9, 0))
    client.force_login(cast.trainee_2)
    assert client.post(reverse("curriculum-leave-close", args=[leave.pk])).status_code == 404
    client.force_login(cast.trainee_1)
    assert client.post(reverse("curriculum-leave-close", args=[leave.pk])).status_code == 302
    leave.refresh_from_db()
    assert leave.closed_at is not None


@pytest.mark.parametrize(
    "decision", [{"approve": "maybe"}, {"approve": "0", "note": "长" * 301}, {}]
)
def test_a_malformed_decision_says_what_to_do_and_decides_nothing(client, cast, year, decision):
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="出差",
        by=cast.trainee_1,
    )
    client.force_login(cast.staff)
    response = client.post(
        reverse("curriculum-leave-decide", args=[leave.pk]), decision, follow=True
    )
    assert "请选择批准或不批准" in response.content.decode()
    leave.refresh_from_db()
    assert leave.status == "pending"


def test_staff_enter_leave_for_a_trainee_through_the_page(client, cast, year):
    client.force_login(cast.staff)
    url = reverse("curriculum-leave", args=[cast.camp.code])
    assert "代学员登记请假" in client.get(url).content.decode()
    entry = {"training_day": year.day.pk, "half_day": "", "reason": "单位来电请假"}
    client.post(url, {**entry, "trainee": cast.trainee_in_group_2.pk})
    client.post(url, {**entry, "trainee": cast.trainee_in_group_1.pk, "approve": "on"})
    statuses = dict(LeaveRequest.objects.values_list("trainee_id", "status"))
    assert statuses == {
        cast.trainee_in_group_2.pk: "pending",
        cast.trainee_in_group_1.pk: "approved",
    }
    # A counselor reads the list but enters nothing, and a bad entry writes nothing.
    client.force_login(cast.counselor_1)
    assert "代学员登记请假" not in client.get(url).content.decode()
    assert client.post(url, {**entry, "trainee": cast.trainee_in_group_1.pk}).status_code == 403
    client.force_login(cast.staff)
    response = client.post(url, {**entry, "trainee": cast.trainee_in_group_1.pk, "reason": ""})
    assert response.status_code == 200
    assert LeaveRequest.objects.count() == 2


@pytest.mark.parametrize("persona", ["counselor_1", "trainee_1", "orgdept", "leader"])
def test_only_staff_delete_an_arrangement(client, cast, persona):
    entry = calendar_arrangement_create(
        date=datetime.date(2027, 2, 13), kind="holiday", name="春节", by=cast.staff
    )
    url = reverse("curriculum-arrangements", args=[cast.camp.code])
    assert client.post(url, {"delete": entry.pk})["Location"].startswith(reverse("login"))
    client.force_login(cast.everyone()[persona])
    assert client.post(url, {"delete": entry.pk}).status_code == 403
    assert CalendarArrangement.objects.filter(pk=entry.pk).exists()
    client.force_login(cast.staff)
    for malformed in ("", "abc", "99999999999999999999"):
        response = client.post(url, {"delete": malformed}, follow=True)
        assert "该安排不存在，请刷新页面后重试。" in response.content.decode()
    assert CalendarArrangement.objects.filter(pk=entry.pk).exists()
    response = client.post(url, {"delete": entry.pk}, follow=True)
    assert "已删除2027-02-13的安排" in response.content.decode()
    assert not CalendarArrangement.objects.exists()
    assert client.post(url, {"delete": entry.pk}).status_code == 404


def test_a_trainee_checks_in_from_the_venue_code(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 8, 50))
    client.force_login(cast.trainee_2)
    url = reverse("curriculum-check-in", args=[check_in_token(year.morning)])
    assert "确认签到" in client.get(url).content.decode()
    assert "签到成功" in client.post(url, {"code": code_now(year.morning)}).content.decode()
    assert year.morning.attendances.get().trainee == cast.trainee_in_group_2
    bad = client.get(reverse("curriculum-check-in", args=["nonsense"]))
    assert bad.status_code == 400


def test_the_qr_page_draws_the_code_on_the_server(client, cast, year):
    client.force_login(cast.staff)
    body = client.get(reverse("curriculum-session-qr", args=[year.morning.pk])).content.decode()
    assert "data:image/svg+xml" in body
    assert "/check-in/" in body
    assert f"?code={code_now(year.morning)}" in body


def test_the_sign_in_sheet_lists_the_class(client, cast, year):
    client.force_login(cast.staff)
    body = client.get(reverse("curriculum-session-sheet", args=[year.morning.pk])).content.decode()
    assert "张三" in body
    assert "李四" in body
    assert "签名" in body


def test_a_group_sessions_sheet_lists_only_that_group(client, cast, year):
    from tests.factories import SessionFactory

    round_table = SessionFactory(training_day=year.day, group=cast.trainee_in_group_2.group)
    client.force_login(cast.staff)
    for name in ("curriculum-session-sheet", "curriculum-session-attendance"):
        body = client.get(reverse(name, args=[round_table.pk])).content.decode()
        assert "李四" in body
        assert "张三" not in body


def _posts(cast, year, world, leave, note):
    """Every POST-only endpoint with a persona that must be refused, and its refusal."""
    code = cast.camp.code
    return [
        ("curriculum-plan-run", [code], "counselor_1", 403),
        ("curriculum-plan-defaults", [code], "orgdept", 403),
        ("curriculum-kind-new", [code], "leader", 403),
        ("curriculum-day-move", [year.day.pk], "trainee_1", 403),
        ("curriculum-session-evaluate", [year.morning.pk], "staff", 403),
        # A counselor may reach it (they hold half-day steps); the service refuses this one.
        ("curriculum-leave-decide", [leave.pk], "trainee_1", 403),
        ("curriculum-leave-close", [leave.pk], "trainee_2", 404),
        ("curriculum-leave-cancel", [leave.pk], "trainee_2", 404),
        ("curriculum-research-member", [world["topic"].pk], "trainee_1", 403),
        ("curriculum-research-milestone", [world["topic"].pk], "orgdept", 403),
        ("curriculum-research-report", [world["topic"].pk], "trainee_2", 403),
        ("curriculum-progress-note", [cast.trainee_in_group_1.pk], "trainee_2", 404),
        ("curriculum-progress-comment", [note.pk], "counselor_2", 404),
        ("curriculum-feed-revoke", [], "staff", 403),
        ("curriculum-target-count", [cast.camp.curriculum_targets.first().pk], "leader", 403),
    ]


def test_every_post_endpoint_sends_anonymous_to_login_and_refuses_the_wrong_persona(
    client, cast, year, world, clock
):
    from curriculum.models import ChiefProject
    from curriculum.services.practice import progress_note_add

    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="出差",
        by=cast.trainee_1,
    )
    note = progress_note_add(
        project=ChiefProject.objects.get(), month=datetime.date(2026, 3, 1), text="进展"
    )
    wrong = []
    for name, args, persona, status in _posts(cast, year, world, leave, note):
        client.logout()
        response = client.post(reverse(name, args=args))
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            wrong.append((name, "anonymous", response.status_code))
        client.force_login(cast.everyone()[persona])
        response = client.post(reverse(name, args=args))
        if response.status_code != status:
            wrong.append((name, persona, response.status_code))
    assert wrong == []
    leave.refresh_from_db()
    assert leave.status == "pending"
    assert not TrainingDay.objects.filter(locked=True).exists()


def test_staff_mark_only_the_exceptions_and_the_rest_as_present(client, cast, year):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    client.post(url, {f"t{cast.trainee_in_group_2.pk}": "late", "unmarked_as": "present"})
    statuses = dict(year.morning.attendances.values_list("trainee_id", "status"))
    assert statuses == {
        cast.trainee_in_group_1.pk: "present",
        cast.trainee_in_group_2.pk: "late",
    }
    # A second save with no choice changes nothing, and the page shows what is recorded.
    client.post(
        url, {f"t{cast.trainee_in_group_1.pk}": "present", f"t{cast.trainee_in_group_2.pk}": "late"}
    )
    assert year.morning.attendances.count() == 2
    assert year.morning.attendances.get(trainee=cast.trainee_in_group_2).history.count() == 1


@pytest.mark.parametrize(
    ("name", "persona", "data"),
    [
        ("curriculum-research", "orgdept", {"title": "新课题"}),
        ("curriculum-task-forces", "leader", {"name": "新队", "place": "长兴", "task": "招商"}),
        ("curriculum-talks", "staff", {"topics": "x", "summary": "y", "held_on": "2026-03-09"}),
    ],
)
def test_a_reader_who_posts_a_form_they_are_not_offered_is_refused_403(
    client, cast, name, persona, data
):
    client.force_login(cast.everyone()[persona])
    url = reverse(name, args=[cast.camp.code])
    assert client.get(url).status_code == 200
    assert client.post(url, {**data, "trainee": cast.trainee_in_group_1.pk}).status_code == 403
    assert not cast.camp.research_topics.exists()
    assert not cast.camp.task_forces.exists()
    assert not Talk.objects.exists()


def test_the_attendance_page_shows_the_class_only_to_who_sees_the_class(client, cast, year):
    from curriculum.models import AttendanceStatus
    from curriculum.services.attendance import attendance_record

    marks = {
        cast.trainee_in_group_1.pk: AttendanceStatus.PRESENT,
        cast.trainee_in_group_2.pk: AttendanceStatus.ON_LEAVE,
    }
    attendance_record(session=year.morning, marks=marks, by=cast.staff)
    url = reverse("curriculum-attendance", args=[cast.camp.code])
    client.force_login(cast.staff)
    html = client.get(url, {"month": "2026-03"}).content.decode()
    assert '<tr data-group="class"' in html
    assert "<td data-rate>50.0</td>" in html  # the class: 1 of 2, leave required
    assert "2026-03 出勤率" in html
    assert "累计出勤率" in client.get(url).content.decode()
    client.force_login(cast.counselor_1)
    html = client.get(url, {"month": "2026-03"}).content.decode()
    assert '<tr data-group="class"' not in html
    assert "<td data-rate>100.0</td>" in html


def test_my_schedule_says_which_sessions_a_leave_covers(client, cast, year):
    """A pending whole-day leave covers the morning and the afternoon of 14 March; once a
    two-day leave is approved, the next day's sessions say 已请假 too, and nothing else does."""
    days = year.days
    later = days[days.index(year.day) + 1]
    later_morning = SessionFactory(training_day=later, topic="后一天上午")
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=later,
        last_training_day=days[days.index(year.day) + 2],
        half_day="",
        reason="外出学习",
        by=cast.staff,
        approve=True,
    )
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="afternoon",
        reason="单位公务",
        by=cast.trainee_1,
    )
    client.force_login(cast.trainee_1)
    page = client.get(reverse("curriculum-my-schedule")).content.decode()
    # 14 March is the next training day: its card and the list both show its afternoon.
    assert page.count('data-testid="on-leave"') == 3
    assert page.count("请假待审批") == 2
    assert page.count("已请假") == 1  # the morning of the next day
    assert later_morning.topic in page


def test_a_sheet_lists_a_group_as_it_was_on_the_sessions_date(client, cast, year, clock):
    """李四 moved to group 1 from the day after the session (back-dated, recorded later): the
    session's sheet for group 2 still lists him; a group session lists its members that day."""
    from tests.factories import SessionFactory
    from trainees.services.grouping import trainee_move

    clock.at(datetime.datetime(2026, 3, 20, 9, 0))
    trainee_move(
        trainee=cast.trainee_in_group_2,
        to_group=cast.group_1,
        by=cast.staff,
        reason="工作调整",
        effective_on=year.day.date + datetime.timedelta(days=1),
    )
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    assert "李四" in client.get(url, {"group": 2}).content.decode()
    assert "李四" not in client.get(url, {"group": 1}).content.decode()
    evening = {
        "half_day": "evening",
        "start_time": datetime.time(19),
        "end_time": datetime.time(20),
    }
    of_group_2 = SessionFactory(training_day=year.day, group=cast.group_2, **evening)
    body = client.get(reverse("curriculum-session-attendance", args=[of_group_2.pk])).content
    assert "李四" in body.decode()
    assert "张三" not in body.decode()
