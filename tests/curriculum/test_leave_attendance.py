"""Late leave decisions and attendance already recorded."""

import datetime

from curriculum.models import Attendance, AttendanceStatus
from curriculum.services.attendance import attendance_record
from curriculum.services.leave import leave_decide, leave_request


def _ask(cast, year):
    return leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="单位公务",
        by=cast.trainee_1,
    )


def test_a_refusal_after_the_session_turns_the_missed_sessions_into_absences(cast, year, clock):
    leave = _ask(cast, year)
    trainee = cast.trainee_in_group_1
    clock.at(datetime.datetime(2026, 3, 14, 13, 0))  # morning held, afternoon still to come
    leave_decide(leave=leave, approve=False, by=cast.staff, note="当天有考核")
    row = Attendance.objects.get(trainee=trainee)
    assert row.session == year.morning
    assert row.status == AttendanceStatus.ABSENT
    assert row.note == "请假在课后未获批准"


def test_a_refusal_leaves_a_session_attended_after_all_as_it_is(cast, year, clock):
    leave = _ask(cast, year)
    trainee = cast.trainee_in_group_1
    attendance_record(session=year.morning, marks={trainee.pk: "present"}, by=cast.staff)
    clock.at(datetime.datetime(2026, 3, 14, 18, 0))
    leave_decide(leave=leave, approve=False, by=cast.staff, note="当天有考核")
    assert Attendance.objects.get(session=year.morning).status == AttendanceStatus.PRESENT
    assert Attendance.objects.get(session=year.afternoon).status == AttendanceStatus.ABSENT


def test_an_approval_after_the_roll_call_replaces_the_absence_and_keeps_it_in_history(
    cast, year, clock
):
    leave = _ask(cast, year)
    trainee = cast.trainee_in_group_1
    attendance_record(session=year.morning, marks={trainee.pk: "absent"}, by=cast.staff)
    clock.at(datetime.datetime(2026, 3, 14, 18, 0))
    leave_decide(leave=leave, approve=True, by=cast.staff, note="补批")
    row = Attendance.objects.get(session=year.morning)
    assert row.status == AttendanceStatus.ON_LEAVE
    assert row.note == "请假在点名后审批"
    assert list(row.history.order_by("history_date").values_list("status", flat=True)) == [
        "absent",
        "on_leave",
    ]
