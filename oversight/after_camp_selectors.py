"""Reads of the after-camp record (训后跟踪): who is a graduate, the graduates across editions,
one graduate's record, and each edition's promotion rate.

A graduate is a trainee of a finished edition (已结业) who was granted graduation
(`Graduation.graduates`) and did not withdraw. A running edition's graduation drafts do not
make graduates yet.

The promotion rate (`promotion_rates`) is a stable public function: the editions comparison
page reads it too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from camp.models import Camp, CampStatus
from camp.months import add_years
from camp.rounding import round_points
from trainees.models import Trainee, TraineeStatus

from .models import AfterCampNote, Appraisal, Award, PostChange

# The promotion rate is shown one, two and three years after graduation.
RATE_YEARS = (1, 2, 3)

GRADUATE_Q = Q(
    status=TraineeStatus.ACTIVE,
    graduation__graduates=True,
    camp__status=CampStatus.FINISHED,
)


def graduates() -> QuerySet[Trainee]:
    """Every graduate of every edition (see the module's docstring)."""
    return Trainee.objects.filter(GRADUATE_Q)


def is_graduate(trainee: Trainee) -> bool:
    return graduates().filter(pk=trainee.pk).exists()


def graduate_list() -> QuerySet[Trainee]:
    """The graduates across editions, newest edition first, each with their latest post change
    (`latest_post`, `latest_rank`) and whether they were ever promoted since (`promoted`)."""
    latest = PostChange.objects.filter(graduate=OuterRef("pk")).order_by("-date", "-pk")
    return (
        graduates()
        .select_related("person", "camp", "group")
        .annotate(
            latest_post=Subquery(latest.values("post")[:1]),
            latest_rank=Subquery(latest.values("rank")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
            promoted=Exists(PostChange.objects.filter(graduate=OuterRef("pk"), promotion=True)),
        )
        .order_by("-camp__year", "-camp__start_month", "person__name", "pk")
    )


def other_graduations(graduate: Trainee) -> QuerySet[Trainee]:
    """The same person's graduations from other editions (rare): their records are kept there."""
    return (
        graduates()
        .filter(person_id=graduate.person_id)
        .exclude(pk=graduate.pk)
        .select_related("camp")
    )


@dataclass(frozen=True)
class GraduateAfterCamp:
    post_changes: list[PostChange]
    appraisals: list[Appraisal]
    awards: list[Award]
    notes: list[AfterCampNote]


def after_camp_record(graduate: Trainee) -> GraduateAfterCamp:
    """Everything recorded after the camp about one graduate, newest first."""
    return GraduateAfterCamp(
        post_changes=list(graduate.post_changes.select_related("updated_by")),
        appraisals=list(graduate.appraisals.select_related("updated_by")),
        awards=list(graduate.awards.select_related("updated_by")),
        notes=list(graduate.after_camp_notes.select_related("updated_by")),
    )


@dataclass(frozen=True)
class PromotionRate:
    """Graduates promoted within `years` of the edition's graduation date, over its graduates.
    `so_far` while the period runs: then only promotions up to `cut_off` (today) count."""

    years: int
    promoted: int
    graduates: int
    so_far: bool
    cut_off: datetime.date

    @property
    def rate(self) -> Decimal | None:
        """In percent, half-up to 0.1; None without graduates (shown as "—")."""
        if not self.graduates:
            return None
        return round_points(Decimal(self.promoted) * 100 / Decimal(self.graduates))


def _period_end(camp: Camp, years: int) -> datetime.date:
    """The last day of the N-year period: the graduation date's anniversary, included."""
    return add_years(camp.graduation_date, years)


def _per_camp(camps: list[Camp], value_of) -> Case:
    return Case(
        *[When(camp_id=camp.pk, then=Value(value_of(camp))) for camp in camps],
        output_field=DateField(),
    )


def promotion_rates(camps, *, today: datetime.date) -> dict[int, list[PromotionRate]]:
    """Each edition's promotion rates one, two and three years after its graduation date, in
    one query whatever the number of editions: {camp id: [PromotionRate for N = 1, 2, 3]}.

    A graduate counts as promoted within N years when a post change marked 提拔 is dated from
    the graduation date up to its N-th anniversary (included). A period not over by `today`
    counts promotions up to `today` only and says so (`so_far`)."""
    camps = list(camps)
    if not camps:
        return {}
    cut_offs = {
        (camp.pk, years): min(_period_end(camp, years), today)
        for camp in camps
        for years in RATE_YEARS
    }
    first_promotion = (
        PostChange.objects.filter(
            graduate=OuterRef("pk"), promotion=True, date__gte=OuterRef("graduated")
        )
        .order_by("date")
        .values("date")[:1]
    )
    annotations = {
        "graduated": _per_camp(camps, lambda camp: camp.graduation_date),
        "first_promotion": Subquery(first_promotion, output_field=DateField()),
    }
    for years in RATE_YEARS:
        annotations[f"until_{years}"] = _per_camp(
            camps, lambda camp, years=years: cut_offs[(camp.pk, years)]
        )
    counts = {
        f"promoted_{years}": Count(
            "pk",
            filter=Q(first_promotion__isnull=False, first_promotion__lte=F(f"until_{years}")),
        )
        for years in RATE_YEARS
    }
    rows = {
        row["camp_id"]: row
        for row in graduates()
        .filter(camp__in=camps)
        .annotate(**annotations)
        .values("camp_id")
        .annotate(graduates=Count("pk"), **counts)
        .order_by()
    }
    result = {}
    for camp in camps:
        row = rows.get(camp.pk, {})
        result[camp.pk] = [
            PromotionRate(
                years=years,
                promoted=row.get(f"promoted_{years}", 0),
                graduates=row.get("graduates", 0),
                so_far=today <= _period_end(camp, years),
                cut_off=cut_offs[(camp.pk, years)],
            )
            for years in RATE_YEARS
        ]
    return result
