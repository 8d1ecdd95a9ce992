"""Attendance and leave become deductions on items 1 and 12, and corrections follow."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.deduction_selectors import attendance_deductions_due
from assessment.models import ScoreEntry, Source
from assessment.services.attendance import attendance_deductions_sync
from assessment.standing_selectors import scores_as_of
from curriculum.models import (
    ActivityKind,
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
    Session,
    TrainingDay,
)
from curriculum.services.attendance import attendance_record
from curriculum.services.leave import leave_close, leave_decide, leave_request
from tests.curriculum import conftest as curriculum_fixtures
from tests.factories import SessionFactory

A = AttendanceStatus
# The curriculum tests' settable clock and planned year, for the counts below.
clock = curriculum_fixtures.clock
year = curriculum_fixtures.year

DAY = datetime.date(2026, 3, 14)
TODAY = datetime.date(2026, 3, 30)


@pytest.fixture
def day(cast):
    return TrainingDay.objects.create(camp=cast.camp, number=5, slot_date=DAY, date=DAY)


def session(cast, day, half_day="morning", *, half_days=1):
    return Session.objects.create(
        camp=cast.camp,
        training_day=day,
        date=day.date,
        half_day=half_day,
        start_time=datetime.time(9) if half_day == "morning" else datetime.time(14),
        end_time=datetime.time(11, 30) if half_day == "morning" else datetime.time(17),
        place="党校报告厅",
        classroom="conviction",
        activity_kind=ActivityKind.objects.first(),
        topic="专题党课",
        counts_as_half_days=half_days,
    )


def mark(cast, session, status, trainee=None):
    return Attendance.objects.update_or_create(
        session=session,
        trainee=trainee or cast.trainee_in_group_1,
        defaults={"status": status},
    )[0]


def deductions(cast):
    return {
        (entry.item.number, entry.points)
        for entry in ScoreEntry.objects.filter(source=Source.ATTENDANCE).select_related("item")
    }


def sync(cast, **kwargs):
    return attendance_deductions_sync(camp=cast.camp, today=TODAY, by=cast.staff, **kwargs)


def test_an_unexcused_absence_deducts_on_items_1_and_12_per_half_day(cast, day):
    mark(cast, session(cast, day, half_days=2), AttendanceStatus.ABSENT)
    sync(cast)
    assert deductions(cast) == {(1, Decimal("4.0")), (12, Decimal("4.0"))}
    score = scores_as_of(camp=cast.camp, as_of=TODAY)[cast.trainee_in_group_1.pk]
    assert score.items[1].score == Decimal("16.0")
    assert score.items[12].score == Decimal("6.0")


def test_late_and_left_early_deduct_half_a_point_each(cast, day):
    mark(cast, session(cast, day, "morning"), AttendanceStatus.LATE)
    mark(cast, session(cast, day, "afternoon"), AttendanceStatus.LEFT_EARLY)
    sync(cast)
    entries = ScoreEntry.objects.filter(source=Source.ATTENDANCE)
    assert sorted(entries.values_list("item__number", "points")) == [
        (1, Decimal("0.5")),
        (1, Decimal("0.5")),
    ]
    assert {e.date for e in entries} == {DAY}


def test_approved_leave_deducts_per_half_day_and_unclosed_leave_on_item_12(cast, day):
    session(cast, day, "morning")
    session(cast, day, "afternoon")
    LeaveRequest.objects.create(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        reason="出差",
        status=LeaveStatus.APPROVED,
        half_days=2,
    )
    sync(cast)
    # whole day: 2 half-day sessions × 0.5 on item 1; not closed by 3 days after → 1 on item 12
    entries = ScoreEntry.objects.filter(source=Source.ATTENDANCE)
    assert sorted(entries.values_list("item__number", "points")) == [
        (1, Decimal("0.5")),
        (1, Decimal("0.5")),
        (12, Decimal("1.0")),
    ]
    unclosed = ScoreEntry.objects.get(item__number=12)
    assert unclosed.date == DAY + datetime.timedelta(days=4)


def test_leave_closed_in_time_is_not_deducted_on_item_12(cast, day):
    session(cast, day, "morning")
    LeaveRequest.objects.create(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        half_day="morning",
        reason="出差",
        status=LeaveStatus.APPROVED,
        half_days=1,
        closed_at=timezone.make_aware(datetime.datetime(2026, 3, 16, 9)),
    )
    sync(cast)
    assert deductions(cast) == {(1, Decimal("0.5"))}


def test_running_the_sync_twice_changes_nothing(cast, day):
    mark(cast, session(cast, day), AttendanceStatus.ABSENT)
    sync(cast)
    again = sync(cast)
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert ScoreEntry.objects.count() == 2
    assert ScoreEntry.history.count() == 2


def test_correcting_an_absence_corrects_the_deduction_and_keeps_the_audit(cast, day):
    morning = session(cast, day)
    record = mark(cast, morning, AttendanceStatus.ABSENT)
    sync(cast)

    record.status = AttendanceStatus.LATE  # was late, not absent
    record.save()
    result = sync(cast)

    assert (result.updated, result.deleted) == (1, 1)
    assert deductions(cast) == {(1, Decimal("0.5"))}
    item1 = ScoreEntry.objects.get()
    assert [h.points for h in item1.history.order_by("history_date")] == [
        Decimal("2.0"),
        Decimal("0.5"),
    ]
    assert item1.history.latest("history_date").history_change_reason == "考勤同步"
    assert ScoreEntry.history.filter(item__number=12, history_type="-").exists()

    record.status = AttendanceStatus.PRESENT
    record.save()
    sync(cast)
    assert deductions(cast) == set()
    score = scores_as_of(camp=cast.camp, as_of=TODAY)[cast.trainee_in_group_1.pk]
    assert score.items[1].score == Decimal("20.0")


def test_the_figures_come_from_the_camps_scheme(cast, day):
    scheme = cast.camp.assessment_scheme
    scheme.absence_item1_points = Decimal("3.0")
    scheme.absence_item12_points = Decimal("0.0")
    scheme.save()
    mark(cast, session(cast, day), AttendanceStatus.ABSENT)
    sync(cast)
    assert deductions(cast) == {(1, Decimal("3.0"))}


def test_a_sync_for_some_trainees_leaves_the_others_alone(cast, day):
    morning = session(cast, day)
    mark(cast, morning, AttendanceStatus.ABSENT)
    mark(cast, morning, AttendanceStatus.ABSENT, trainee=cast.trainee_in_group_2)
    sync(cast, trainee_ids=[cast.trainee_in_group_2.pk])
    assert set(ScoreEntry.objects.values_list("trainee_id", flat=True)) == {
        cast.trainee_in_group_2.pk
    }


def test_a_correction_recorded_in_the_curriculum_corrects_the_deduction_on_commit(
    cast, day, django_capture_on_commit_callbacks
):
    from curriculum.services.attendance import attendance_record

    morning = session(cast, day)
    trainee = cast.trainee_in_group_1
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            session=morning, marks={trainee.pk: AttendanceStatus.ABSENT}, by=cast.staff
        )
    assert deductions(cast) == {(1, Decimal("2.0")), (12, Decimal("2.0"))}
    assert ScoreEntry.history.filter(history_user=cast.staff).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(
            session=morning, marks={trainee.pk: AttendanceStatus.PRESENT}, by=cast.staff
        )
    assert deductions(cast) == set()
    assert ScoreEntry.history.filter(history_type="-", history_user=cast.staff).count() == 2


def test_the_daily_task_deducts_leave_that_time_alone_left_unclosed(cast, day):
    from assessment.tasks import sync_attendance_deductions

    session(cast, day, "morning")
    LeaveRequest.objects.create(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        half_day="morning",
        reason="出差",
        status=LeaveStatus.APPROVED,
        half_days=1,
    )
    sync_attendance_deductions.delay(cast.camp.pk)  # eager without a broker
    assert deductions(cast) == {(1, Decimal("0.5")), (12, Decimal("1.0"))}
    sync_attendance_deductions.delay()  # every running camp; idempotent
    assert ScoreEntry.objects.count() == 2


# Leave covers the sessions it spans, and only membership counts ----------------------------


def approved_leave(cast, first, half_day="", *, last=None, last_half_day="", trainee=None):
    span = {"last_training_day": last, "last_half_day": last_half_day} if last else {}
    return LeaveRequest.objects.create(
        trainee=trainee or cast.trainee_in_group_1,
        training_day=first,
        half_day=half_day,
        half_days=1 if half_day else 2,
        **span,
        reason="出差",
        status=LeaveStatus.APPROVED,
        closed_at=timezone.make_aware(datetime.datetime(2026, 3, 15, 9)),
    )


def test_an_absence_after_withdrawal_deducts_nothing(cast, day):
    trainee = cast.trainee_in_group_1
    trainee.status, trainee.withdrawn_on = "withdrawn", datetime.date(2026, 3, 10)
    trainee.save()
    mark(cast, session(cast, day, half_days=2), AttendanceStatus.ABSENT)
    sync(cast)
    assert deductions(cast) == set()


def test_leave_before_admission_deducts_nothing(cast, day):
    trainee = cast.trainee_in_group_1
    trainee.admitted_on = datetime.date(2026, 3, 20)  # a replacement, admitted after the day
    trainee.save()
    session(cast, day, "morning")
    session(cast, day, "afternoon")
    leave = approved_leave(cast, day)
    leave.closed_at = None  # not even the unclosed leave is hers to answer for
    leave.save()
    sync(cast)
    assert deductions(cast) == set()


def test_leave_for_a_day_still_to_come_deducts_nothing_until_the_day(cast, day):
    session(cast, day, "morning")
    approved_leave(cast, day, "morning")
    attendance_deductions_sync(camp=cast.camp, today=DAY - datetime.timedelta(days=1))
    assert deductions(cast) == set()
    attendance_deductions_sync(camp=cast.camp, today=DAY)
    assert deductions(cast) == {(1, Decimal("0.5"))}


def test_a_morning_leave_on_a_whole_day_field_trip_deducts_the_whole_trip(cast, day):
    session(cast, day, "morning", half_days=2)
    approved_leave(cast, day, "morning")
    sync(cast)
    assert deductions(cast) == {(1, Decimal("1.0"))}


def test_an_afternoon_leave_on_a_day_without_afternoon_deducts_nothing_from_the_present(cast, day):
    mark(cast, session(cast, day, "morning"), AttendanceStatus.PRESENT)
    approved_leave(cast, day, "afternoon")
    sync(cast)
    assert deductions(cast) == set()


def test_a_covered_session_the_trainee_attended_is_not_charged(cast, day):
    morning = session(cast, day, "morning")
    session(cast, day, "afternoon")
    approved_leave(cast, day)
    mark(cast, morning, AttendanceStatus.LATE)  # came after all, late
    sync(cast)
    entries = ScoreEntry.objects.filter(source=Source.ATTENDANCE)
    assert sorted(entries.values_list("reason", "points")) == [
        ("请假 1 个半天：2026-03-14下午《专题党课》", Decimal("0.5")),
        ("迟到：2026-03-14上午《专题党课》", Decimal("0.5")),
    ]


def test_a_leave_spanning_days_deducts_each_session_it_covers_on_its_day(cast, day):
    later = DAY + datetime.timedelta(days=7)
    second = TrainingDay.objects.create(camp=cast.camp, number=6, slot_date=later, date=later)
    session(cast, day, "morning")  # before the leave starts
    session(cast, day, "afternoon")
    session(cast, second, "morning")
    session(cast, second, "afternoon")  # after the leave ends
    leave = approved_leave(cast, day, "afternoon", last=second, last_half_day="morning")
    sync(cast)
    entries = ScoreEntry.objects.filter(source=Source.ATTENDANCE).order_by("date")
    assert [(e.date, e.points) for e in entries] == [
        (DAY, Decimal("0.5")),
        (second.date, Decimal("0.5")),
    ]
    assert leave.close_due_on == second.date + datetime.timedelta(days=3)


# What the deductions count, over a planned year (the tests that used to ask curriculum's
# attendance_facts, which only they called; the deductions are what the assessment reads).


def _counted(cast, today, **kwargs) -> dict[int, Counter]:
    """Per trainee: absent half-days, lates, early leavings, leave half-days and leave not
    closed, read off the deductions due (item 1 for the absences, so each counts once)."""
    scheme = cast.camp.assessment_scheme
    counts: dict[int, Counter] = defaultdict(Counter)
    for due in attendance_deductions_due(camp=cast.camp, scheme=scheme, today=today, **kwargs):
        kind, count = due.key.split(":")[0], counts[due.trainee_id]
        if kind == "attendance" and due.item_number == 1:
            if due.reason.startswith("旷课"):
                count["absent_half_days"] += due.points / scheme.absence_item1_points
            else:
                count["late" if due.reason.startswith("迟到") else "left_early"] += 1
        elif kind == "leave":
            count["leave_half_days"] += due.points / scheme.leave_item1_points
        elif kind == "leave-unclosed":
            count["leave_not_closed"] += 1
    return counts


def test_the_deductions_count_absences_by_weight_lates_and_late_closed_leave(cast, year, clock):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    # A whole-day trip on another day weighs two half-days.
    trip_day = cast.camp.training_days.get(date=datetime.date(2026, 3, 28))
    trip = SessionFactory(training_day=trip_day, counts_as_half_days=2, topic="异地教学")
    attendance_record(session=year.morning, marks={t1.pk: A.ABSENT, t2.pk: A.LATE}, by=cast.staff)
    attendance_record(
        session=year.afternoon, marks={t1.pk: A.LEFT_EARLY, t2.pk: A.LATE}, by=cast.staff
    )
    attendance_record(session=trip, marks={t1.pk: A.ABSENT, t2.pk: A.PRESENT}, by=cast.staff)
    # t2 takes a half-day of approved leave on 11 April and closes it late.
    clock.at(datetime.datetime(2026, 4, 1, 9, 0))
    april = cast.camp.training_days.get(date=datetime.date(2026, 4, 11))
    SessionFactory(training_day=april, topic="四月专题")
    leave = leave_request(
        trainee=t2, training_day=april, half_day="morning", reason="出差", by=cast.trainee_2
    )
    leave_decide(leave=leave, approve=True, by=cast.staff)
    clock.at(datetime.datetime(2026, 4, 20, 9, 0))
    leave_close(leave=leave, by=cast.trainee_2)

    counts = _counted(cast, datetime.date(2026, 4, 30))
    assert counts[t1.pk]["absent_half_days"] == 3  # 1 + the two-half-day trip
    assert counts[t1.pk]["left_early"] == 1
    assert counts[t1.pk]["late"] == 0
    assert counts[t2.pk]["late"] == 2
    assert counts[t2.pk]["absent_half_days"] == 0
    assert counts[t2.pk]["leave_half_days"] == 1
    assert counts[t2.pk]["leave_not_closed"] == 1  # closed on the 20th, due by the 14th
    # Only what happened up to the date asked for, and only for the trainees asked for.
    early = _counted(cast, datetime.date(2026, 3, 20), trainee_ids=[t1.pk])
    assert list(early) == [t1.pk]
    assert early[t1.pk]["absent_half_days"] == 1


def test_the_deductions_count_leave_still_open_after_three_days(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 1, 9, 0))
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="病假",
        by=cast.trainee_1,
    )
    leave_decide(leave=leave, approve=True, by=cast.staff)
    t1 = cast.trainee_in_group_1.pk
    assert _counted(cast, datetime.date(2026, 3, 17))[t1]["leave_not_closed"] == 0
    counts = _counted(cast, datetime.date(2026, 3, 18))[t1]
    assert counts["leave_not_closed"] == 1
    assert counts["leave_half_days"] == 2


@pytest.mark.parametrize(
    ("approve", "after"),
    [
        (False, {(1, Decimal("2.0")), (12, Decimal("2.0"))}),  # refused: the absence is 旷课
        # approved: charged as leave, and (never closed by the 30th) item 12 for that
        (True, {(1, Decimal("0.5")), (12, Decimal("1.0"))}),
    ],
)
def test_an_absence_under_a_pending_leave_waits_for_the_decision(cast, day, approve, after):
    mark(cast, session(cast, day), AttendanceStatus.ABSENT)
    sync(cast)
    assert deductions(cast) == {(1, Decimal("2.0")), (12, Decimal("2.0"))}
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        half_day="",
        reason="突发疾病，单位来电说明",
        by=cast.staff,
    )
    assert leave.status == LeaveStatus.PENDING
    sync(cast)
    assert deductions(cast) == set()  # pending, not 旷课
    leave_decide(leave=leave, approve=approve, by=cast.staff, note="" if approve else "无证明")
    sync(cast)
    assert deductions(cast) == after
