"""Averages, medians and the summary's attendance figures, computed here and nowhere else
(assessment-scheme.md, "Rates"; docs/scoring.md §6).

- An average or a median is of the rounded totals (or rounded category scores, assessed points),
  rounded half-up to 0.1 with the scheme's one rounding (camp.rounding).
- 出勤率 itself is curriculum's (curriculum/rate_selectors.py): attended ÷ required, pooled over
  the trainees. A month's figure is the month alone; the year so far is labelled 累计.
- A month counts those who belonged on its last day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from camp.models import Camp
from camp.rounding import round_points
from curriculum.models import Attendance
from curriculum.rate_selectors import attendance_rate, counts_by_trainee, pooled_rate


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the values that are not None, half-up to 0.1; None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return round_points(sum(present, Decimal(0)) / len(present))


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count), half-up to 0.1."""
    ordered = sorted(value for value in values if value is not None)
    n = len(ordered)
    if not n:
        return None
    middle = ordered[(n - 1) // 2 : n // 2 + 1]
    return round_points(sum(middle, Decimal(0)) / len(middle))


@dataclass(frozen=True)
class MonthAttendance:
    """What a month's summary shows of attendance: each trainee's 累计 rate up to the month's
    end, and each group's and the class's rate of the month alone."""

    cumulative: dict[int, Decimal | None]
    groups: dict[int, Decimal | None]
    klass: Decimal | None


def month_attendance(
    *, camp: Camp, month: datetime.date, end: datetime.date, groups_at_end: dict[int, int | None]
) -> MonthAttendance:
    """One query: per trainee, the year so far and the month alone. A group is the one the
    trainee belonged to at the month's end; groups and the class count those who belonged to
    the camp on the month's last day."""
    attendance = Attendance.objects.filter(trainee__camp=camp, session__date__lte=end)
    counts = counts_by_trainee(attendance, part_from=month)
    members = {pk: one for pk, one in counts.items() if one.belonged_on(end)}
    by_group: dict[int, list[tuple[int, int]]] = {}
    for pk, one in members.items():
        group_id = groups_at_end.get(pk)
        if group_id is not None:
            by_group.setdefault(group_id, []).append((one.part_attended, one.part_required))
    return MonthAttendance(
        cumulative={pk: attendance_rate(one.attended, one.required) for pk, one in counts.items()},
        groups={group_id: pooled_rate(pairs) for group_id, pairs in by_group.items()},
        klass=pooled_rate((one.part_attended, one.part_required) for one in members.values()),
    )
