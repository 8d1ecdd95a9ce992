"""学时 (study hours), computed here and nowhere else (issue 16 §5).

A session's hours are its half-day count (`Session.counts_as_half_days`) times the camp's
`hours_per_half_day`. As of a day, a trainee's:
- required hours (应修学时) are those of the required sessions (`attendance_required`) held from
  their admission to their withdrawal (or the day), the whole class's and their group's; a
  group's session they have a record at (from a group they have since left) counts as well.
  So a replacement admitted mid-year is required only what was held after they came;
- attended hours (已修学时) are the hours of those sessions they attended: what counts as attended
  is `rate_selectors.ATTENDED` (present, late, left early); leave and absence do not count.

The database sums the half-days, per trainee, in the one query that reads the trainees.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from trainees.models import Trainee

from .models import Attendance, Session
from .rate_selectors import ATTENDED  # what counts as attended has one home


@dataclass(frozen=True)
class StudyHours:
    attended: Decimal
    required: Decimal

    @property
    def share(self) -> Decimal | None:
        """Attended ÷ required in percent, or None when nothing was required yet."""
        if not self.required:
            return None
        return (self.attended * 100 / self.required).quantize(Decimal("0.1"))


def _sum_of(queryset: QuerySet, field: str) -> Subquery:
    """SUM(field) over `queryset` as one correlated subquery (no GROUP BY), 0 when empty."""
    total = queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_study_half_days(trainees: QuerySet[Trainee], *, day: datetime.date) -> QuerySet[Trainee]:
    """The trainees annotated with `required_half_days` and `attended_half_days` as of `day`."""
    until = Coalesce(OuterRef("withdrawn_on"), Value(day))
    required = Session.objects.filter(
        camp_id=OuterRef("camp_id"),
        attendance_required=True,
        date__gte=OuterRef("admitted_on"),
        date__lte=until,
    ).filter(
        Q(group__isnull=True)
        | Q(group_id=OuterRef("group_id"))
        | Exists(
            Attendance.objects.filter(
                session_id=OuterRef("pk"), trainee_id=OuterRef(OuterRef("pk"))
            )
        )
    )
    attended = Attendance.objects.filter(
        trainee_id=OuterRef("pk"),
        # Always so (a session of another camp has none of this trainee's records), and it lets
        # the planner read the camp's sessions by index instead of every camp's for each
        # trainee: 86 ms for a roster of 150 at 10,000 trainees, 12 ms with it.
        session__camp_id=OuterRef("camp_id"),
        status__in=ATTENDED,
        session__attendance_required=True,
        session__date__gte=OuterRef("admitted_on"),
        session__date__lte=until,
    )
    return trainees.annotate(
        required_half_days=_sum_of(required, "counts_as_half_days"),
        attended_half_days=_sum_of(attended, "session__counts_as_half_days"),
    )


def study_hours(trainees: QuerySet[Trainee], *, day: datetime.date) -> dict[int, StudyHours]:
    """Each trainee's 学时 as of `day`, by pk, in one query."""
    rows = with_study_half_days(trainees, day=day).values(
        "pk", "required_half_days", "attended_half_days", "camp__hours_per_half_day"
    )
    return {
        row["pk"]: StudyHours(
            attended=row["attended_half_days"] * row["camp__hours_per_half_day"],
            required=row["required_half_days"] * row["camp__hours_per_half_day"],
        )
        for row in rows
    }


def trainee_study_hours(trainee: Trainee, *, day: datetime.date) -> StudyHours:
    return study_hours(Trainee.objects.filter(pk=trainee.pk), day=day).get(
        trainee.pk, StudyHours(attended=Decimal(0), required=Decimal(0))
    )
