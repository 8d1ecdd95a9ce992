"""Leave: request, approve or refuse, close (销假); and the 1/7 warning."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from curriculum.models import Attendance, AttendanceStatus, LeaveRequest, LeaveStatus
from curriculum.selectors import leave_over_limit, year_half_days
from curriculum.services.leave import leave_cancel, leave_close, leave_decide, leave_request
from tests.factories import SessionFactory


def _ask(cast, day, half_day="", reason="单位公务"):
    return leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        half_day=half_day,
        reason=reason,
        by=cast.trainee_1,
    )


def test_the_leave_workflow_from_request_to_closing(cast, year, clock):
    leave = _ask(cast, year.day, "morning")
    assert leave.status == LeaveStatus.PENDING
    assert leave.half_days == 1
    leave = leave_decide(leave=leave, approve=True, by=cast.staff, note="同意")
    assert leave.status == LeaveStatus.APPROVED
    assert leave.close_due_on == datetime.date(2026, 3, 17)
    # The morning session is marked on leave, the afternoon is untouched.
    row = Attendance.objects.get(trainee=cast.trainee_in_group_1)
    assert row.session == year.morning
    assert row.status == AttendanceStatus.ON_LEAVE
    assert row.leave == leave
    with pytest.raises(ValidationError, match="还未到"):
        leave_close(leave=leave, by=cast.trainee_1)
    clock.at(datetime.datetime(2026, 3, 15, 10, 0))
    leave = leave_close(leave=leave, by=cast.trainee_1)
    assert leave.closed_at is not None
    with pytest.raises(ValidationError, match="已销假"):
        leave_close(leave=leave, by=cast.trainee_1)
    history = list(leave.history.order_by("history_date").values_list("status", flat=True))
    assert history == ["pending", "approved", "approved"]


def test_a_refusal_needs_a_reason_and_marks_nothing(cast, year):
    leave = _ask(cast, year.day)
    with pytest.raises(ValidationError, match="不批准时请填写理由"):
        leave_decide(leave=leave, approve=False, by=cast.staff)
    leave = leave_decide(leave=leave, approve=False, by=cast.staff, note="当天有考核")
    assert leave.status == LeaveStatus.REFUSED
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError, match="已处理"):
        leave_decide(leave=leave, approve=True, by=cast.staff)
    with pytest.raises(ValidationError, match="只有已批准"):
        leave_close(leave=leave, by=cast.trainee_1)


def test_leave_needs_a_reason_a_future_day_and_no_overlap(cast, year, clock):
    with pytest.raises(ValidationError, match="请假事由"):
        _ask(cast, year.day, reason="  ")
    _ask(cast, year.day, "afternoon")
    with pytest.raises(ValidationError, match="重复"):
        _ask(cast, year.day, "")  # the whole day overlaps the afternoon
    _ask(cast, year.day, "morning")  # the other half is fine
    clock.at(datetime.datetime(2026, 3, 18, 9, 0))  # past the closing deadline (the 17th)
    with pytest.raises(ValidationError, match="培训日已过"):
        _ask(cast, year.day, "")


def test_a_trainee_may_ask_for_a_day_just_past_within_the_closing_deadline(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 17, 9, 0))  # the 14th's deadline is the 17th
    leave = leave_request(
        trainee=cast.trainee_in_group_2,
        training_day=year.day,
        half_day="morning",
        reason="当天突发急病",
        by=cast.trainee_2,
    )
    assert leave.status == LeaveStatus.PENDING


def test_a_pending_request_can_be_withdrawn_but_not_an_approved_one(cast, year):
    leave = leave_cancel(leave=_ask(cast, year.day, "morning"), by=cast.trainee_1)
    assert leave.status == LeaveStatus.CANCELLED
    approved = leave_decide(leave=_ask(cast, year.day, "morning"), approve=True, by=cast.staff)
    with pytest.raises(ValidationError):
        leave_cancel(leave=approved, by=cast.trainee_1)


def test_approved_leave_past_a_seventh_of_the_year_is_flagged(cast, year, clock):
    assert year_half_days(cast.camp) == 48  # 48 / 7 = 6.86 half-days
    clock.at(datetime.datetime(2026, 1, 1, 9, 0))
    days = list(cast.camp.training_days.order_by("date"))
    for day in days[
        :6
    ]:  # what is counted is the sessions a leave covers: a morning and an afternoon
        SessionFactory(training_day=day)
        SessionFactory(
            training_day=day,
            half_day="afternoon",
            start_time=datetime.time(14),
            end_time=datetime.time(17),
        )
    trainees = cast.camp.trainees.all()
    for day in days[:3]:  # 3 whole days = 6 half-days: not yet
        leave_decide(leave=_ask(cast, day), approve=True, by=cast.staff)
    assert list(leave_over_limit(cast.camp, trainees)) == []
    leave_decide(leave=_ask(cast, days[3], "morning"), approve=True, by=cast.staff)
    (flagged,) = leave_over_limit(cast.camp, trainees)
    assert flagged == cast.trainee_in_group_1
    assert flagged.leave_half_days == 7
    # Refused and pending requests do not count.
    leave_decide(
        leave=leave_request(
            trainee=cast.trainee_in_group_2,
            training_day=days[5],
            half_day="",
            reason="x",
            by=cast.trainee_2,
        ),
        approve=False,
        by=cast.staff,
        note="不批",
    )
    assert [t.pk for t in leave_over_limit(cast.camp, trainees)] == [cast.trainee_in_group_1.pk]


def test_staff_enter_leave_for_a_trainee_approved_at_once_even_after_the_day(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 16, 9, 0))  # two days after the day: the unit phoned
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="单位通知临时出差",
        by=cast.staff,
        approve=True,
    )
    assert leave.status == LeaveStatus.APPROVED
    assert leave.decided_by == cast.staff
    assert leave.close_due_on == datetime.date(2026, 3, 17)
    marked = Attendance.objects.filter(trainee=cast.trainee_in_group_1, leave=leave)
    assert set(marked.values_list("status", flat=True)) == {AttendanceStatus.ON_LEAVE}
    assert marked.count() == 2
    assert leave.history.earliest().history_user == cast.staff


def test_staff_may_leave_an_entered_request_pending(cast, year):
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="afternoon",
        reason="家中有事",
        by=cast.staff,
    )
    assert leave.status == LeaveStatus.PENDING
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["trainee_2", "counselor_1", "orgdept"])
def test_nobody_but_staff_asks_for_someone_else(cast, year, persona):
    with pytest.raises(PermissionDenied):
        leave_request(
            trainee=cast.trainee_in_group_1,
            training_day=year.day,
            half_day="",
            reason="代请",
            by=cast.everyone()[persona],
        )
    assert not LeaveRequest.objects.exists()


def test_a_trainee_cannot_approve_their_own_request(cast, year):
    with pytest.raises(PermissionDenied):
        leave_request(
            trainee=cast.trainee_in_group_1,
            training_day=year.day,
            half_day="",
            reason="自批",
            by=cast.trainee_1,
            approve=True,
        )
    assert not LeaveRequest.objects.exists()


def test_a_leave_spans_consecutive_days_and_marks_what_it_covers(cast, year):
    later = year.days[year.days.index(year.day) + 1]
    later_morning = SessionFactory(training_day=later)
    SessionFactory(
        training_day=later,
        half_day="afternoon",
        start_time=datetime.time(14),
        end_time=datetime.time(17),
    )
    with pytest.raises(ValidationError, match="不能早于"):
        leave_request(
            trainee=cast.trainee_in_group_1,
            training_day=later,
            last_training_day=year.day,
            half_day="",
            reason="外出",
            by=cast.trainee_1,
        )
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="afternoon",
        last_training_day=later,
        last_half_day="morning",
        reason="外出学习",
        by=cast.trainee_1,
    )
    assert leave.half_days == 2  # the first day's afternoon and the last day's morning
    with pytest.raises(ValidationError, match="重复"):
        _ask(cast, later, "morning")
    _ask(cast, year.day, "morning")  # the half before the span is free
    # The trainee had signed in for the afternoon already: approval leaves that record alone.
    Attendance.objects.create(
        session=year.afternoon, trainee=cast.trainee_in_group_1, status=AttendanceStatus.PRESENT
    )
    leave = leave_decide(leave=leave, approve=True, by=cast.staff)
    marked = Attendance.objects.filter(trainee=cast.trainee_in_group_1, leave=leave)
    assert [row.session for row in marked] == [later_morning]
    assert leave.close_due_on == later.date + datetime.timedelta(days=3)


def test_a_leave_covers_a_group_session_of_the_group_the_trainee_was_in_that_day(cast, year, clock):
    """The dated membership: moved to group 2 from the day after (recorded now, back-dated),
    the trainee's leave on the day covers group 1's session there, not group 2's."""
    from curriculum.leave_coverage import leave_coverage
    from trainees.services.grouping import trainee_move

    clock.at(datetime.datetime(2026, 3, 20, 12, 0))
    trainee = cast.trainee_in_group_1
    evening = {
        "half_day": "evening",
        "start_time": datetime.time(19),
        "end_time": datetime.time(20),
    }
    old_group = SessionFactory(training_day=year.day, group=cast.group_1, **evening)
    SessionFactory(training_day=year.day, group=cast.group_2, **evening)
    trainee_move(
        trainee=trainee,
        to_group=cast.group_2,
        by=cast.staff,
        reason="工作调整",
        effective_on=year.day.date + datetime.timedelta(days=1),
    )
    trainee.refresh_from_db()
    leave = leave_request(
        trainee=trainee, training_day=year.day, half_day="", reason="出差", by=cast.staff
    )
    covered = leave_coverage([leave])[leave.pk]
    assert covered == [year.morning, year.afternoon, old_group]
