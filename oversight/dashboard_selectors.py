"""Figures for the dashboards, each counted by the database in one query.

The class dashboard (staff, orgdept, leaders) and the group dashboard (a counselor) share these
functions, the group one narrowing them to `group_ids`. The trainee's trend is their own rows
against the class average per month: no other individual's figure leaves the database.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from assessment.models import MonthlySummaryRow
from assessment.models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS
from assessment.rates import mean
from camp.models import Camp
from curriculum.models import Attendance
from curriculum.rate_selectors import attendance_by_month as monthly_rates
from curriculum.selectors import next_training_day
from trainees.membership import GroupTimeline
from trainees.models import Trainee, TraineeStatus

from .selectors import latest_summary_month

MOVERS = 5


def headcount(camp: Camp, group_ids=None, today: datetime.date | None = None) -> dict:
    trainees = Trainee.objects.filter(camp=camp)
    if group_ids is not None:
        # Those in the groups today (the dated membership), not merely recorded there.
        day = today or timezone.localdate()
        trainees = trainees.with_group_on(day).filter(group_on__in=group_ids)
    counts = trainees.aggregate(
        active=Count("pk", filter=Q(status=TraineeStatus.ACTIVE)),
        withdrawn=Count("pk", filter=~Q(status=TraineeStatus.ACTIVE)),
    )
    return {**counts, "capacity": camp.capacity if group_ids is None else None}


def attendance_by_month(camp: Camp, group_ids=None) -> list[dict]:
    """Each month's own 出勤率 (the month alone, pooled over those who belonged on its last
    day), as curriculum computes every attendance rate."""
    attendance = Attendance.objects.filter(session__camp=camp)
    if group_ids is None:
        return monthly_rates(attendance)
    # Each month counts those in the groups on its last day: two queries read the timeline.
    return monthly_rates(attendance, groups=(GroupTimeline(camp), set(group_ids)))


def _latest_rows(camp: Camp, month, group_ids=None):
    rows = MonthlySummaryRow.objects.filter(camp=camp, month=month)
    if group_ids is not None:
        rows = rows.filter(group_id__in=group_ids)
    return rows


def score_distribution(camp: Camp, month, group_ids=None) -> list[dict]:
    """How many trainees' totals fall in each 30-point band, in one aggregate query."""
    bands = DISTRIBUTION_BANDS
    aggregates = {
        f"b{low}": Count(
            "pk",
            filter=Q(total__gte=low)
            & (Q(total__lt=high) if high < TOP_OF_BANDS else Q(total__lte=high)),
        )
        for low, high in bands
    }
    counts = _latest_rows(camp, month, group_ids).aggregate(**aggregates)
    return [{"label": f"{low}–{high}", "count": counts[f"b{low}"]} for low, high in bands]


def category_averages_by_group(camp: Camp, month) -> list[dict]:
    """The three category averages of every group (the class as a whole last), over the ranked
    rows of the month as the published group figures are (rates.mean: of the rounded scores)."""
    rows = list(
        MonthlySummaryRow.objects.filter(camp=camp, month=month, class_rank__isnull=False)
        .values_list("group_id", "group__number", "theory", "party_spirit", "capability")
        .order_by("group__number")
    )
    keys = ("theory", "party_spirit", "capability")
    numbers = {group_id: number for group_id, number, *_ in rows if group_id is not None}

    def figures(selected) -> dict:
        return {key: mean(row[2 + index] for row in selected) for index, key in enumerate(keys)}

    result = [
        {
            "group_id": group_id,
            "label": f"第{number}组",
            **figures([row for row in rows if row[0] == group_id]),
        }
        for group_id, number in numbers.items()
    ]
    result.append({"group_id": None, "label": "全班", **figures(rows)})
    return result


def movers(camp: Camp, month, group_ids=None) -> dict:
    """The biggest gains and losses since last month."""
    rows = (
        _latest_rows(camp, month, group_ids)
        .filter(change__isnull=False)
        .select_related("trainee__person", "group")
    )
    return {
        "top": list(rows.filter(change__gt=0).order_by("-change", "trainee_id")[:MOVERS]),
        "bottom": list(rows.filter(change__lt=0).order_by("change", "trainee_id")[:MOVERS]),
    }


def camp_dashboard(camp: Camp, group_ids=None, today: datetime.date | None = None) -> dict:
    month = latest_summary_month(camp)
    data = {
        "headcount": headcount(camp, group_ids, today),
        "attendance": attendance_by_month(camp, group_ids),
        "month": month,
        "next_day": next_training_day(camp, today),
    }
    if month is not None:
        data["distribution"] = score_distribution(camp, month, group_ids)
        data["categories"] = category_averages_by_group(camp, month)
        if group_ids is not None:
            data["categories"] = [
                row
                for row in data["categories"]
                if row["group_id"] is None or row["group_id"] in group_ids
            ]
        data["movers"] = movers(camp, month, group_ids)
    return data


def trainee_trend(trainee: Trainee) -> list[dict]:
    """The trainee's total per month beside the class average (of the month's ranked totals,
    as the summary publishes it): nobody else's figures leave this function."""
    own = {
        row["month"]: row
        for row in MonthlySummaryRow.objects.filter(trainee=trainee).values("month", "total")
    }
    totals: dict[datetime.date, list[Decimal]] = {}
    ranked = MonthlySummaryRow.objects.filter(camp_id=trainee.camp_id, class_rank__isnull=False)
    for month, total in ranked.values_list("month", "total").order_by("month"):
        totals.setdefault(month, []).append(total)
    return [
        {
            "month": month,
            "total": own[month]["total"] if month in own else None,
            "average": mean(values),
        }
        for month, values in totals.items()
    ]
