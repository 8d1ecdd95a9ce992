"""The live roll call: the board staff watch (one query), closing the roll call, which locks the
session's attendance, and the reason a later change needs, kept in the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.check_in_codes import code_now
from curriculum.models import Attendance, AttendanceSource, AttendanceStatus, RollCall
from curriculum.roll_call_selectors import open_roll_calls, roll_call_board
from curriculum.services.attendance import attendance_check_in, attendance_record, check_in_token
from curriculum.services.roll_call import roll_call_close
from tests.factories import TraineeFactory

A = AttendanceStatus


def test_the_board_sorts_the_class_into_checked_in_on_leave_and_missing(cast, year, clock):
    third = TraineeFactory(camp=cast.camp, group=cast.group_1, person__name="王五")
    clock.at(datetime.datetime(2026, 3, 14, 8, 50))
    attendance_check_in(
        token=check_in_token(year.morning),
        trainee=cast.trainee_in_group_1,
        code=code_now(year.morning),
    )
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_2.pk: A.ON_LEAVE}, by=cast.staff
    )
    board = roll_call_board(year.morning)
    assert [row["name"] for row in board["checked_in"]] == ["张三"]
    assert board["checked_in"][0]["at"] == "08:50"
    assert [row["name"] for row in board["on_leave"]] == ["李四"]
    assert [row["name"] for row in board["missing"]] == [third.person.name]
    assert board["counts"] == {"checked_in": 1, "on_leave": 1, "missing": 1}


def test_the_board_leaves_out_those_who_did_not_belong_on_the_day(cast, year):
    TraineeFactory(camp=cast.camp, admitted_on=datetime.date(2026, 4, 1), person__name="新来")
    names = [row["name"] for row in roll_call_board(year.morning)["missing"]]
    assert "新来" not in names
    assert sorted(names) == ["张三", "李四"]


def test_the_board_data_is_one_query_after_the_session(
    client, cast, year, django_assert_num_queries
):
    for number in range(20):
        TraineeFactory(camp=cast.camp, group=cast.group_1, person__name=f"学员{number:02d}")
    client.force_login(cast.staff)
    url = reverse("curriculum-session-board-data", args=[year.morning.pk])
    client.get(url)  # the login's first request also stores its session: poll as the board does
    # session, user, the session with its camp, day, kind and group, the board
    with django_assert_num_queries(4):
        data = client.get(url).json()
    assert data["counts"]["missing"] == 22


def test_only_staff_see_the_board(client, cast, year):
    url = reverse("curriculum-session-board", args=[year.morning.pk])
    client.force_login(cast.counselor_1)
    assert client.get(url).status_code in (403, 404)
    client.force_login(cast.staff)
    body = client.get(url).content.decode()
    assert "点名看板" in body
    assert "结束点名" in body


def test_closing_the_roll_call_locks_the_attendance_and_a_change_needs_a_reason(cast, year, clock):
    t1 = cast.trainee_in_group_1
    attendance_record(session=year.morning, marks={t1.pk: A.ABSENT}, by=cast.staff)
    clock.at(datetime.datetime(2026, 3, 14, 12, 0))
    roll_call_close(session=year.morning, by=cast.staff)
    with pytest.raises(ValidationError, match="已结束点名"):
        attendance_record(session=year.morning, marks={t1.pk: A.PRESENT}, by=cast.staff)
    assert Attendance.objects.get(trainee=t1).status == A.ABSENT
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT}, by=cast.staff, reason="补交签到表"
    )
    row = Attendance.objects.get(trainee=t1)
    assert row.status == A.PRESENT
    latest = row.history.order_by("-history_date").first()
    assert latest.history_change_reason == "补交签到表"
    assert latest.history_user == cast.staff


def test_a_closed_roll_call_refuses_check_in_and_a_second_close(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 9, 10))
    roll_call_close(session=year.morning, by=cast.staff)
    with pytest.raises(ValidationError, match="已结束点名"):
        attendance_check_in(
            token=check_in_token(year.morning),
            trainee=cast.trainee_in_group_1,
            code=code_now(year.morning),
        )
    with pytest.raises(ValidationError, match="王管理"):
        roll_call_close(session=year.morning, by=cast.staff)
    assert RollCall.objects.count() == 1


def test_a_roll_call_cannot_close_before_the_session_starts(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 8, 0))
    with pytest.raises(ValidationError, match="尚未开始"):
        roll_call_close(session=year.morning, by=cast.staff)
    assert not RollCall.objects.exists()


def test_the_sheet_posts_a_change_after_closing_with_its_reason(client, cast, year, clock):
    t1 = cast.trainee_in_group_1
    clock.at(datetime.datetime(2026, 3, 14, 12, 0))
    roll_call_close(session=year.morning, by=cast.staff)
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    assert "考勤已锁定" in client.get(url).content.decode()
    refused = client.post(url, {f"t{t1.pk}": A.LATE}, follow=True).content.decode()
    assert "修改考勤须填写原因" in refused
    assert not Attendance.objects.exists()
    client.post(url, {f"t{t1.pk}": A.LATE, "reason": "迟到已核实"})
    assert Attendance.objects.get(trainee=t1).history.first().history_change_reason == (
        "迟到已核实"
    )


def test_held_roll_calls_not_closed_are_staff_todos_until_closed(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 12, 0))  # the morning is over, the afternoon not
    assert list(open_roll_calls(cast.camp)) == [year.morning]
    client.force_login(cast.staff)
    overview = reverse("camp-overview", args=[cast.camp.code])
    # Nothing recorded yet but a row an approved leave wrote in advance: a roll call to take
    # today, listed once.
    Attendance.objects.create(
        session=year.morning,
        trainee=cast.trainee_in_group_2,
        status=A.ON_LEAVE,
        source=AttendanceSource.LEAVE,
    )
    labels = [str(todo.label) for todo in client.get(overview).context["todos"]]
    assert any(label.startswith("今日点名") and "坚定理想信念" in label for label in labels)
    assert not any(label.startswith("点名未结束") for label in labels)
    # Taken: now a roll call to close.
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_1.pk: A.PRESENT}, by=cast.staff
    )
    labels = [str(todo.label) for todo in client.get(overview).context["todos"]]
    assert "点名未结束：03-14 坚定理想信念" in labels
    assert not any(label.startswith("今日点名") and "坚定理想信念" in label for label in labels)
    client.post(reverse("curriculum-session-roll-call-close", args=[year.morning.pk]))
    assert RollCall.objects.filter(session=year.morning).exists()
    labels = [str(todo.label) for todo in client.get(overview).context["todos"]]
    assert not any(label.startswith("点名未结束") for label in labels)
