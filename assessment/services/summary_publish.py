"""Publishing a month of the monthly summary (services/summaries.py computes it): the rows,
the group averages and the class figures replace the month's in one transaction, after the camp
row is locked, so two runs of one month publish one after the other and each whole. Group and
class figures are computed from the rows being published: the same values the database's own
aggregates give, without three more queries.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.jobs import JobState
from camp.models import Camp

from ..models import (
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlySummaryRow,
    SummaryRun,
)
from ..models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS
from ..notices import summary_published_notify
from ..rates import MonthAttendance, mean, median


@transaction.atomic
def month_publish(
    *,
    camp: Camp,
    month: datetime.date,
    run: SummaryRun | None,
    rows,
    progress,
    attendance: MonthAttendance | None = None,
) -> int:
    """Replace the camp's month with `rows` and their group and class figures, whole, and mark
    the run done in the same transaction; `progress` writes the run's progress (the job's).
    `attendance` carries the group and class rates of the month alone (rates.py)."""
    # Two runs of one month publish one after the other, each whole (never a mix).
    Camp.objects.select_for_update().filter(pk=camp.pk).first()
    if run is not None:
        newer_published = SummaryRun.objects.filter(
            camp=camp, month=month, state=JobState.DONE, pk__gt=run.pk
        ).exists()
        if newer_published:
            progress.write(
                100,
                state=JobState.DONE,
                finished_at=timezone.now(),
                error=_("已有更新的计算结果，本次结果未发布。"),
            )
            return 0
    MonthlySummaryRow.objects.filter(camp=camp, month=month).delete()
    GroupMonthlySummary.objects.filter(camp=camp, month=month).delete()
    ClassMonthlySummary.objects.filter(camp=camp, month=month).delete()
    MonthlySummaryRow.objects.bulk_create(rows, batch_size=500)
    ranked = [row for row in rows if row.class_rank is not None]
    _publish_group_figures(
        camp=camp,
        month=month,
        run=run,
        ranked=ranked,
        rates=attendance.groups if attendance else {},
    )
    _publish_class_figures(
        camp=camp,
        month=month,
        run=run,
        ranked=ranked,
        rate=attendance.klass if attendance else None,
    )
    progress.write(100, state=JobState.DONE, finished_at=timezone.now())
    summary_published_notify(camp=camp, month=month, rows=rows)
    return len(rows)


def _publish_group_figures(
    *, camp, month, run, ranked: list[MonthlySummaryRow], rates: dict | None = None
) -> None:
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
            average_total=mean(row.total for row in members),
            average_theory=mean(row.theory for row in members),
            average_party_spirit=mean(row.party_spirit for row in members),
            average_capability=mean(row.capability for row in members),
            average_assessed_points=mean(row.assessed_points for row in members),
            attendance_rate=(rates or {}).get(group_id),
        )
        for group_id, members in by_group.items()
    )


def _publish_class_figures(*, camp, month, run, ranked: list[MonthlySummaryRow], rate=None) -> None:
    """The class's figures over its ranked trainees: average, highest, lowest and median total,
    average assessed points, and how many totals fall in each band."""
    totals = sorted(row.total for row in ranked)
    n = len(totals)
    ClassMonthlySummary.objects.create(
        camp=camp,
        month=month,
        run=run,
        trainee_count=n,
        average_total=mean(totals),
        highest_total=totals[-1] if n else None,
        lowest_total=totals[0] if n else None,
        median_total=median(totals),
        attendance_rate=rate,
        average_assessed_points=mean(row.assessed_points for row in ranked),
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
