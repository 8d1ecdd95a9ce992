"""学时: hours of required sessions attended over the membership, in one query."""

import datetime
from decimal import Decimal

from curriculum.hours_selectors import study_hours
from curriculum.models import AttendanceStatus
from curriculum.services.attendance import attendance_record
from tests.factories import SessionFactory, TraineeFactory
from trainees.models import Trainee

A = AttendanceStatus
END = datetime.date(2026, 12, 31)


def _hours(cast, day=END):
    return study_hours(Trainee.objects.filter(camp=cast.camp), day=day)


def test_attended_counts_present_late_and_left_early_not_leave_or_absence(cast, year):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    trip = SessionFactory(training_day=year.days[6], counts_as_half_days=2, topic="现场教学")
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ON_LEAVE}, by=cast.staff
    )
    attendance_record(session=year.afternoon, marks={t1.pk: A.LATE, t2.pk: A.ABSENT}, by=cast.staff)
    attendance_record(session=trip, marks={t1.pk: A.LEFT_EARLY}, by=cast.staff)
    hours = _hours(cast)
    # 1 + 1 + 2 half-days at the default 4 hours each
    assert hours[t1.pk].attended == Decimal(16)
    assert hours[t1.pk].required == Decimal(16)
    assert hours[t2.pk].attended == Decimal(0)
    assert hours[t2.pk].required == Decimal(16)
    assert hours[t2.pk].share == Decimal("0.0")


def test_the_camps_hours_per_half_day_and_the_day_asked_about(cast, year):
    cast.camp.hours_per_half_day = Decimal("3.5")
    cast.camp.save(update_fields=["hours_per_half_day"])
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_1.pk: A.PRESENT}, by=cast.staff
    )
    assert _hours(cast)[cast.trainee_in_group_1.pk].required == Decimal(7)
    before = _hours(cast, day=datetime.date(2026, 3, 13))
    assert before[cast.trainee_in_group_1.pk].required == Decimal(0)


def test_a_replacement_is_required_only_what_was_held_after_admission(cast, year):
    later = SessionFactory(training_day=year.days[8])  # a training day after 14 March
    replacement = TraineeFactory(camp=cast.camp, group=cast.group_1, admitted_on=year.days[7].date)
    attendance_record(session=later, marks={replacement.pk: A.PRESENT}, by=cast.staff)
    hours = _hours(cast)
    assert hours[replacement.pk].required == Decimal(4)
    assert hours[replacement.pk].attended == Decimal(4)
    assert hours[cast.trainee_in_group_1.pk].required == Decimal(12)


def test_a_withdrawn_trainee_is_required_nothing_after_withdrawal(cast, year):
    later = SessionFactory(training_day=year.days[8])
    t2 = cast.trainee_in_group_2
    Trainee.objects.filter(pk=t2.pk).update(status="withdrawn", withdrawn_on=year.day.date)
    attendance_record(session=later, marks={t2.pk: A.PRESENT}, by=cast.staff)
    hours = _hours(cast)
    assert hours[t2.pk].required == Decimal(8)  # the two sessions of 14 March
    assert hours[t2.pk].attended == Decimal(0)


def test_a_groups_session_counts_for_that_groups_members_only(cast, year):
    round_table = SessionFactory(
        camp=cast.camp, training_day=None, date=year.day.date, group=cast.group_1, topic="圆桌会"
    )
    attendance_record(
        session=round_table, marks={cast.trainee_in_group_1.pk: A.PRESENT}, by=cast.staff
    )
    hours = _hours(cast)
    assert hours[cast.trainee_in_group_1.pk].required == Decimal(12)
    assert hours[cast.trainee_in_group_1.pk].attended == Decimal(4)
    assert hours[cast.trainee_in_group_2.pk].required == Decimal(8)


def test_it_reads_every_trainee_in_one_query(cast, year, django_assert_num_queries):
    for _number in range(5):
        TraineeFactory(camp=cast.camp, group=cast.group_2)
    with django_assert_num_queries(1):
        hours = _hours(cast)
    assert len(hours) == 7
