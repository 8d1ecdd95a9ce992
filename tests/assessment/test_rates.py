"""Averages, medians and the summary's attendance figures (assessment/rates.py)."""

import datetime
from decimal import Decimal as D

from django.urls import reverse

from assessment.models import ClassMonthlySummary, GroupMonthlySummary, MonthlySummaryRow
from assessment.rates import mean, median
from assessment.services.summaries import monthly_summary_compute
from curriculum.models import Attendance, AttendanceStatus
from tests.factories import SessionFactory, TraineeFactory, TrainingDayFactory

from .conftest import raw_entry

MARCH = datetime.date(2026, 3, 1)
FEBRUARY = datetime.date(2026, 2, 1)


def test_averages_and_medians_round_half_up_to_a_tenth():
    assert mean([D("7.2"), D("7.3")]) == D("7.3")  # 7.25
    assert mean([D("1.0"), None, D("2.0")]) == D("1.5")
    assert mean([]) is None
    assert median([D("3.0"), D("1.0"), D("2.5"), D("7.2")]) == D("2.8")  # (2.5 + 3.0) / 2
    assert median([D("3.0"), D("1.0"), D("2.5")]) == D("2.5")
    assert median([]) is None


def _sessions(camp, day: datetime.date, count: int) -> list:
    training_day = TrainingDayFactory(camp=camp, slot_date=day)
    return [
        SessionFactory(training_day=training_day, half_day=("morning", "afternoon")[n % 2])
        for n in range(count)
    ]


def _mark(sessions, trainee, statuses) -> None:
    for session, status in zip(sessions, statuses, strict=True):
        Attendance.objects.create(session=session, trainee=trainee, status=status)


def test_a_groups_month_rate_is_the_month_alone_pooled_over_its_members(cast):
    a, s, lv = AttendanceStatus.ABSENT, AttendanceStatus.PRESENT, AttendanceStatus.ON_LEAVE
    first, second = cast.trainee_in_group_1, TraineeFactory(camp=cast.camp, group=cast.group_1)
    other = cast.trainee_in_group_2
    february = _sessions(cast.camp, datetime.date(2026, 2, 14), 2)
    march = _sessions(cast.camp, datetime.date(2026, 3, 14), 2)
    _mark(february, first, [a, a])  # February's absences never enter March's own figure
    _mark(march, first, [s, s])
    _mark(march, second, [a, lv])  # leave: required, not attended
    _mark(february + march, other, [s, a, s, s])
    for trainee in (first, second, other):
        raw_entry(trainee, 3, "7", datetime.date(2026, 3, 3))
    monthly_summary_compute(camp=cast.camp, month=MARCH)

    group_1 = GroupMonthlySummary.objects.get(month=MARCH, group=cast.group_1)
    # 2 of 4 in March; a mean of the members' rates would give 25.0 (50.0 and 0.0).
    assert group_1.attendance_rate == D("50.0")
    klass = ClassMonthlySummary.objects.get(month=MARCH)
    assert klass.attendance_rate == D("66.7")  # 4 of 6 in March
    rows = dict(
        MonthlySummaryRow.objects.filter(month=MARCH).values_list("trainee", "attendance_rate")
    )
    assert rows[first.pk] == D("50.0")  # 累计: 2 of 4 since the start
    assert rows[other.pk] == D("75.0")


def test_a_change_of_zero_shows_as_zero_and_a_dash_only_without_an_earlier_month(client, cast):
    raw_entry(cast.trainee_in_group_1, 3, "7", datetime.date(2026, 2, 3))
    raw_entry(cast.trainee_in_group_2, 3, "7", datetime.date(2026, 2, 3))
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    client.force_login(cast.staff)
    html = client.get(
        reverse("assessment-summary-month", args=[cast.camp.code, "2026-03"])
    ).content.decode()
    changes = [row.change for row in MonthlySummaryRow.objects.filter(month=MARCH)]
    assert changes == [D("0.0"), D("0.0")]
    assert '<td class="text-end">0.0</td>' in html
    assert html.count('<td class="text-end">0.0</td>') == 2
