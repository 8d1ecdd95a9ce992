"""Figures for the dashboards, each counted by the database in one query.

The class dashboard (staff, orgdept, leaders) and the group dashboard (a counselor) share these
functions, the group one narrowing them to `group_ids`. The trainee's trend is their own rows
against the class average per month: no other individual's figure leaves the database.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from camp.models import Camp
from curriculum.models import Attendance, AttendanceStatus
from curriculum.selectors import ATTENDED, next_training_day
from trainees.models import Trainee, TraineeStatus

from .models import MonthlySummaryRow
from .models.summaries import DISTRIBUTION_BANDS, TOP_OF_BANDS
from .oversight_selectors import latest_summary_month

MOVERS = 5


def headcount(camp: Camp, group_ids=None) -> dict:
    trainees = Trainee.objects.filter(camp=camp)
    if group_ids is not None:
        trainees = trainees.filter(group_id__in=group_ids)
    counts = trainees.aggregate(
        active=Count("pk", filter=Q(status=TraineeStatus.ACTIVE)),
        withdrawn=Count("pk", filter=~Q(status=TraineeStatus.ACTIVE)),
    )
    return {**counts, "capacity": camp.capacity if group_ids is None else None}


def attendance_by_month(camp: Camp, group_ids=None) -> list[dict]:
    """Attendance rate per month: attended / recorded sessions, leave excluded (as the
    curriculum counts it)."""
    attendance = Attendance.objects.filter(session__camp=camp, session__attendance_required=True)
    if group_ids is not None:
        attendance = attendance.filter(trainee__group_id__in=group_ids)
    rows = (
        attendance.annotate(month=TruncMonth("session__date"))
        .values("month")
        .annotate(
            recorded=Count("pk", filter=~Q(status=AttendanceStatus.ON_LEAVE)),
            attended=Count("pk", filter=Q(status__in=ATTENDED)),
        )
        .order_by("month")
    )
    result = []
    for row in rows:
        rate = None
        if row["recorded"]:
            rate = (Decimal(row["attended"]) * 100 / row["recorded"]).quantize(Decimal("0.1"))
        result.append({"month": row["month"], "rate": rate, **row})
    return result


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
    """The three category averages of every group (the class as a whole last)."""
    rows = list(
        MonthlySummaryRow.objects.filter(camp=camp, month=month, group__isnull=False)
        .values("group_id", "group__number")
        .annotate(
            theory=Avg("theory"),
            party_spirit=Avg("party_spirit"),
            capability=Avg("capability"),
        )
        .order_by("group__number")
    )
    overall = MonthlySummaryRow.objects.filter(camp=camp, month=month).aggregate(
        theory=Avg("theory"), party_spirit=Avg("party_spirit"), capability=Avg("capability")
    )
    result = [
        {
            "group_id": row["group_id"],
            "label": f"第{row['group__number']}组",
            **{key: _one_place(row[key]) for key in ("theory", "party_spirit", "capability")},
        }
        for row in rows
    ]
    result.append(
        {
            "group_id": None,
            "label": "全班",
            **{key: _one_place(overall[key]) for key in ("theory", "party_spirit", "capability")},
        }
    )
    return result


def _one_place(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


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
        "headcount": headcount(camp, group_ids),
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
    """The trainee's total per month beside the class average: nobody else's figures."""
    own = {
        row["month"]: row
        for row in MonthlySummaryRow.objects.filter(trainee=trainee).values("month", "total")
    }
    averages = (
        MonthlySummaryRow.objects.filter(camp_id=trainee.camp_id)
        .values("month")
        .annotate(average=Avg("total"))
        .order_by("month")
    )
    return [
        {
            "month": row["month"],
            "total": own[row["month"]]["total"] if row["month"] in own else None,
            "average": _one_place(row["average"]),
        }
        for row in averages
    ]
