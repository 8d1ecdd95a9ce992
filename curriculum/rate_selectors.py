"""出勤率, computed here and nowhere else (assessment-scheme.md, "Rates").

A rate for a period is attended sessions ÷ required sessions of the trainees in question during
that period, pooled over the trainees (never a mean of their rates), rounded half-up to 0.1 %.
Present, late and left early count as attended; leave and absence are required but not attended.
A group's or the class's rate counts the trainees who belonged on the period's last day
("Membership and dates"). The database counts; the one division and rounding are in
`attendance_rate`, so every page, workbook and summary shows the same figure for the same data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from camp.months import month_end
from camp.rounding import round_points
from trainees.membership import GroupTimeline
from trainees.models import StudyGroup, Trainee, group_on

from .models import Attendance, AttendanceStatus

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


def attendance_rate(attended: int, required: int) -> Decimal | None:
    """Attended ÷ required in percent, half-up to 0.1; None when nothing was required
    (shown as "—", never as 0 or 100)."""
    if not required:
        return None
    return round_points(Decimal(attended) * 100 / Decimal(required))


def pooled_rate(counts: Iterable[tuple[int, int]]) -> Decimal | None:
    """The rate of several trainees together: their (attended, required) pairs summed first."""
    attended = required = 0
    for one_attended, one_required in counts:
        attended += one_attended
        required += one_required
    return attendance_rate(attended, required)


def _counts():
    return {
        "required": Count("pk"),
        "attended": Count("pk", filter=Q(status__in=ATTENDED)),
        "absent": Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        "late": Count("pk", filter=Q(status=AttendanceStatus.LATE)),
        "left_early": Count("pk", filter=Q(status=AttendanceStatus.LEFT_EARLY)),
        "on_leave": Count("pk", filter=Q(status=AttendanceStatus.ON_LEAVE)),
    }


def _with_rates(rows) -> list[dict]:
    rows = list(rows)
    for row in rows:
        row["rate"] = attendance_rate(row["attended"], row["required"])
    return rows


def required_attendance(
    attendance: QuerySet[Attendance],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Attendance]:
    """The records of required sessions from `start` to `end` (both included, either open)."""
    attendance = attendance.filter(session__attendance_required=True)
    if start is not None:
        attendance = attendance.filter(session__date__gte=start)
    if end is not None:
        attendance = attendance.filter(session__date__lte=end)
    return attendance


def members_only(attendance: QuerySet[Attendance], day: datetime.date) -> QuerySet[Attendance]:
    """The records of the trainees who belonged to the camp on `day` (a period's last day)."""
    return attendance.filter(trainee__in=Trainee.objects.members_on(day))


def attendance_by_trainee(attendance: QuerySet[Attendance]) -> list[dict]:
    return _with_rates(
        attendance.filter(session__attendance_required=True)
        .values("trainee_id", "trainee__person__name", "trainee__group__number")
        .annotate(**_counts())
        .order_by("trainee__group__number", "trainee__person__name")
    )


def attendance_by_group(attendance: QuerySet[Attendance], day: datetime.date) -> list[dict]:
    """Pooled per group, each trainee in the group they belonged to on `day` (the period's
    last day; the dated membership), not today's group. Rows keep the keys
    `trainee__group_id` and `trainee__group__number` the pages and workbooks read."""
    number = StudyGroup.objects.filter(pk=OuterRef("trainee__group_id")).values("number")[:1]
    rows = (
        attendance.filter(session__attendance_required=True)
        .annotate(trainee__group_id=group_on(day, "trainee_id", "trainee__group_id"))
        .values("trainee__group_id")
        .annotate(trainee__group__number=Subquery(number), **_counts())
        .order_by("trainee__group__number")
    )
    return _with_rates(rows)


def attendance_overall(attendance: QuerySet[Attendance]) -> dict:
    """The pooled figures of all the records given (the class, or a counselor's groups)."""
    row = attendance.filter(session__attendance_required=True).aggregate(**_counts())
    row["rate"] = attendance_rate(row["attended"], row["required"])
    return row


def attendance_by_day(attendance: QuerySet[Attendance]) -> list[dict]:
    return _with_rates(
        attendance.filter(session__attendance_required=True, session__training_day__isnull=False)
        .values("session__training_day_id", "session__date")
        .annotate(**_counts())
        .order_by("session__date")
    )


@dataclass(frozen=True)
class TraineeCounts:
    """A trainee's required and attended sessions over a whole span and over its last part
    (a month within the year so far), with the membership dates a pooled figure checks."""

    attended: int
    required: int
    part_attended: int
    part_required: int
    admitted_on: datetime.date | None
    withdrawn_on: datetime.date | None

    def belonged_on(self, day: datetime.date) -> bool:
        """As `Trainee.objects.members_on(day)` says, for the trainee already read here."""
        if self.admitted_on is not None and self.admitted_on > day:
            return False
        return self.withdrawn_on is None or self.withdrawn_on >= day


def counts_by_trainee(
    attendance: QuerySet[Attendance], *, part_from: datetime.date
) -> dict[int, TraineeCounts]:
    """Per trainee, in one query: (attended, required) of the required sessions in
    `attendance`, and the same from `part_from` on. What 累计 and a month's pooled rates are
    computed from."""
    part = Q(session__date__gte=part_from)
    rows = (
        attendance.filter(session__attendance_required=True)
        .values("trainee_id", "trainee__admitted_on", "trainee__withdrawn_on")
        .annotate(
            required=Count("pk"),
            attended=Count("pk", filter=Q(status__in=ATTENDED)),
            part_required=Count("pk", filter=part),
            part_attended=Count("pk", filter=part & Q(status__in=ATTENDED)),
        )
        .order_by()
    )
    return {
        row["trainee_id"]: TraineeCounts(
            attended=row["attended"],
            required=row["required"],
            part_attended=row["part_attended"],
            part_required=row["part_required"],
            admitted_on=row["trainee__admitted_on"],
            withdrawn_on=row["trainee__withdrawn_on"],
        )
        for row in rows
    }


def attendance_by_month(
    attendance: QuerySet[Attendance], *, groups: tuple[GroupTimeline, set[int]] | None = None
) -> list[dict]:
    """Each month's own rate (the month alone), pooled over the trainees who belonged on the
    month's last day, with its attended and required sessions. One query. With `groups`
    (a timeline and group ids), only those in one of the groups on the month's last day."""
    fields = ["month", "trainee__admitted_on", "trainee__withdrawn_on"]
    if groups is not None:
        fields.append("trainee_id")
    rows = (
        attendance.filter(session__attendance_required=True)
        .annotate(month=TruncMonth("session__date"))
        .values(*fields)
        .annotate(required=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by("month")
    )
    months: dict[datetime.date, list[int]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        last = month_end(month)
        admitted, withdrawn = row["trainee__admitted_on"], row["trainee__withdrawn_on"]
        if admitted is not None and admitted > last:
            continue
        if withdrawn is not None and withdrawn < last:
            continue
        if groups is not None and groups[0].on(row["trainee_id"], last) not in groups[1]:
            continue
        totals = months.setdefault(month, [0, 0])
        totals[0] += row["attended"]
        totals[1] += row["required"]
    return [
        {
            "month": month,
            "attended": attended,
            "required": required,
            "rate": attendance_rate(attended, required),
        }
        for month, (attended, required) in sorted(months.items())
    ]
