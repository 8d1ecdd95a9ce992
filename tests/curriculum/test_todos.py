"""The curriculum's to-dos on the home pages: a check-in open now, leave to close, sessions
awaiting the trainee's 评课, members without a recent talk, leave waiting for staff, and
training days whose date is unverified. Each disappears once its work is done."""

import datetime

from django.urls import reverse

from camp.todos import todos_for
from curriculum.check_in_codes import code_now
from curriculum.models import AttendanceStatus
from curriculum.services.attendance import attendance_check_in, attendance_record, check_in_token
from curriculum.services.leave import leave_close, leave_decide, leave_request
from curriculum.services.sessions import session_evaluate
from curriculum.services.talks import talk_record


def home(client, user, name):
    client.force_login(user)
    return client.get(reverse(name)).content.decode()


def labels(client, user, url=None):
    client.force_login(user)
    response = client.get(url or reverse("trainee-home"))
    return [str(todo.label) for todo in response.context["todos"]]


def staff_labels(client, cast):
    return labels(client, cast.staff, reverse("camp-overview", args=[cast.camp.code]))


def test_an_open_check_in_is_the_trainees_first_todo_until_done(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 8, 40))
    todos = labels(client, cast.trainee_1)
    assert todos[0] == "签到进行中：坚定理想信念"
    attendance_check_in(
        token=check_in_token(year.morning),
        trainee=cast.trainee_in_group_1,
        code=code_now(year.morning),
    )
    assert not any(label.startswith("签到进行中") for label in labels(client, cast.trainee_1))


def test_it_lists_the_sessions_awaiting_the_trainees_evaluation(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 17, 0))
    attendance_record(
        session=year.afternoon,
        marks={cast.trainee_in_group_1.pk: AttendanceStatus.ABSENT},
        by=cast.staff,
    )
    body = home(client, cast.trainee_1, "trainee-home")
    assert "待评课：坚定理想信念" in body
    assert reverse("curriculum-session", args=[year.morning.pk]) + "#evaluate" in body
    assert "待评课：湖州经济形势" not in body  # missed: nothing to rate
    session_evaluate(session=year.morning, trainee=cast.trainee_in_group_1, session_score=5)
    assert "待评课" not in home(client, cast.trainee_1, "trainee-home")


def test_an_approved_leave_waits_to_be_closed_once_its_day_has_come(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 10, 12, 0))
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="出差",
        by=cast.trainee_1,
    )
    staff_todos = staff_labels(client, cast)
    assert "待审批的请假" in staff_todos
    leave_decide(leave=leave, approve=True, by=cast.staff)
    assert "待审批的请假" not in staff_labels(client, cast)
    assert not any("销假" in label for label in labels(client, cast.trainee_1))
    clock.at(datetime.datetime(2026, 3, 15, 9, 0))
    assert "销假：2026-03-14 的请假" in labels(client, cast.trainee_1)
    leave_close(leave=leave, by=cast.trainee_1)
    assert not any("销假" in label for label in labels(client, cast.trainee_1))


def test_a_counselor_sees_members_without_a_talk_in_the_camps_interval(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 5, 20, 12, 0))
    body = home(client, cast.counselor_1, "counselor-home")
    assert "8 周内未谈心谈话的组员" in body
    talk_record(
        trainee=cast.trainee_in_group_1,
        by=cast.counselor_1,
        held_on=datetime.date(2026, 3, 20),  # nine weeks ago: too long
        topics="学习",
        summary="谈了学习",
    )
    assert "8 周内未谈心谈话的组员" in home(client, cast.counselor_1, "counselor-home")
    cast.camp.talk_interval_weeks = 10
    cast.camp.save(update_fields=["talk_interval_weeks"])
    assert "周内未谈心谈话" not in home(client, cast.counselor_1, "counselor-home")


def test_staff_see_training_days_whose_date_is_unverified(client, cast, year, clock):
    assert "日历待核验的培训日" not in staff_labels(client, cast)
    cast.camp.training_days.filter(date__gte=datetime.date(2026, 6, 1)).update(
        verification="unverified"
    )
    client.force_login(cast.staff)
    request = client.get(reverse("camp-overview", args=[cast.camp.code])).wsgi_request
    todos = todos_for(request, cast.camp)
    unverified = [t for t in todos if t.label == "日历待核验的培训日"]
    days = cast.camp.training_days.filter(date__gte=datetime.date(2026, 3, 10))
    expected = days.filter(verification="unverified").count()
    assert expected > 0
    assert unverified[0].count == expected


def test_todays_roll_calls_come_first_for_staff_until_taken(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 8, 0))
    todos = staff_labels(client, cast)
    assert todos[:2] == ["今日点名：专题党课：坚定理想信念", "今日点名：部门授课：湖州经济形势"]
    attendance_record(
        session=year.morning,
        marks={cast.trainee_in_group_1.pk: AttendanceStatus.PRESENT},
        by=cast.staff,
    )
    todos = staff_labels(client, cast)
    assert "今日点名：专题党课：坚定理想信念" not in todos
    assert todos[0] == "今日点名：部门授课：湖州经济形势"


def test_no_roll_call_is_due_on_a_day_without_sessions(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 13, 8, 0))
    assert not any(label.startswith("今日点名") for label in staff_labels(client, cast))


def test_staff_are_not_asked_for_leave_whose_step_the_organization_department_holds(
    client, cast, year, clock
):
    from curriculum.models import TrainingDay
    from curriculum.services.leave_approval import leave_step_decide

    clock.at(datetime.datetime(2026, 3, 10, 12, 0))
    later = TrainingDay.objects.filter(camp=cast.camp, date__gt=year.day.date).earliest("date")
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        last_training_day=later,
        half_day="",
        reason="外出培训",
        by=cast.trainee_1,
    )
    assert "待审批的请假" in staff_labels(client, cast)  # staff hold the first step
    leave_step_decide(leave=leave, by=cast.staff, approve=True)  # on to orgdept
    assert "待审批的请假" not in staff_labels(client, cast)
