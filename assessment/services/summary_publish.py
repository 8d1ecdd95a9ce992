"""Publishing a month of the monthly summary (services/summaries.py computes it): the rows,
the group averages and the class figures replace the month's in one transaction, after the camp
row is locked, so two runs of one month publish one after the other and each whole. Group and
class figures are computed from the rows being published: the same values the database's own
aggregates give, without three more queries.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp

from ..models import (
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlySummaryRow,
    RunState,
    SummaryRun,
)
from ..models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS

TENTH = Decimal("0.1")


def rounded(value) -> Decimal | None:
    """Half-up to 0.1, as the summary's figures are stored."""
    return None if value is None else Decimal(value).quantize(TENTH, ROUND_HALF_UP)


@transaction.atomic
def month_publish(
    *, camp: Camp, month: datetime.date, run: SummaryRun | None, rows, progress
) -> int:
    """Replace the camp's month with `rows` and their group and class figures, whole, and mark
    the run done in the same transaction; `progress` writes the run's progress (the job's)."""
    # Two runs of one month publish one after the other, each whole (never a mix).
    Camp.objects.select_for_update().filter(pk=camp.pk).first()
    if run is not None:
        newer_published = SummaryRun.objects.filter(
            camp=camp, month=month, state=RunState.DONE, pk__gt=run.pk
        ).exists()
        if newer_published:
            progress.write(
                100,
                state=RunState.DONE,
                finished_at=timezone.now(),
                error=_("已有更新的计算结果，本次结果未发布。"),
            )
            return 0
    MonthlySummaryRow.objects.filter(camp=camp, month=month).delete()
    GroupMonthlySummary.objects.filter(camp=camp, month=month).delete()
    ClassMonthlySummary.objects.filter(camp=camp, month=month).delete()
    MonthlySummaryRow.objects.bulk_create(rows, batch_size=500)
    ranked = [row for row in rows if row.class_rank is not None]
    _publish_group_figures(camp=camp, month=month, run=run, ranked=ranked)
    _publish_class_figures(camp=camp, month=month, run=run, ranked=ranked)
    progress.write(100, state=RunState.DONE, finished_at=timezone.now())
    return len(rows)


def _mean(values) -> Decimal | None:
    """The mean of the values that are not None, rounded half-up to 0.1 (as SQL's AVG then
    round: Decimal arithmetic is exact here, the rows' values having one decimal place)."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return rounded(sum(present, Decimal(0)) / len(present))


def _publish_group_figures(*, camp, month, run, ranked: list[MonthlySummaryRow]) -> None:
    """Group averages over the group's ranked members (a group without one gets no figures),
    from the rows being published: the same values the database stores."""
    by_group: dict[int, list[MonthlySummaryRow]] = {}
    for row in ranked:
        if row.group_id is not None:
            by_group.setdefault(row.group_id, []).append(row)
    GroupMonthlySummary.objects.bulk_create(
        GroupMonthlySummary(
            camp=camp,
            group_id=group_id,
            month=month,
            run=run,
            trainee_count=len(members),
            average_total=_mean(row.total for row in members),
            average_theory=_mean(row.theory for row in members),
            average_party_spirit=_mean(row.party_spirit for row in members),
            average_capability=_mean(row.capability for row in members),
            average_assessed_points=_mean(row.assessed_points for row in members),
            average_attendance_rate=_mean(row.attendance_rate for row in members),
        )
        for group_id, members in by_group.items()
    )


def _publish_class_figures(*, camp, month, run, ranked: list[MonthlySummaryRow]) -> None:
    """The class's figures over its ranked trainees: average, highest, lowest and median total,
    average assessed points, and how many totals fall in each band."""
    totals = sorted(row.total for row in ranked)
    n = len(totals)
    median = None
    if n:
        middle = totals[(n - 1) // 2 : n // 2 + 1]
        median = rounded(sum(middle) / len(middle))
    ClassMonthlySummary.objects.create(
        camp=camp,
        month=month,
        run=run,
        trainee_count=n,
        average_total=_mean(totals),
        highest_total=totals[-1] if n else None,
        lowest_total=totals[0] if n else None,
        median_total=median,
        average_assessed_points=_mean(row.assessed_points for row in ranked),
        distribution=[
            {
                "from": str(low),
                "to": str(high),
                "count": sum(
                    1
                    for total in totals
                    if low <= total and (total <= high if high == TOP_OF_BANDS else total < high)
                ),
            }
            for low, high in DISTRIBUTION_BANDS
        ],
    )
