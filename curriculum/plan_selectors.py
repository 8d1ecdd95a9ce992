"""Reads of the curriculum plan: the targets against what is planned and done, and the
article's monthly activities month by month."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp
from camp.months import camp_months
from trainees.selectors import camp_groups

from .models import ActivityKind, ClassroomType, CurriculumTarget, Session, TargetMeasure
from .selectors import instructor_mix

ROUND_TABLE = "圆桌会"  # the article's 青蓝共成长圆桌会, a built-in activity kind
TRAINING_DAYS_PER_MONTH = 2  # the second and fourth Saturday


class Status:
    DONE = "done"
    PLANNED = "planned"
    MISSING = "missing"


def _units() -> dict[str, str]:
    return {
        TargetMeasure.SESSIONS: _("场"),
        TargetMeasure.RESEARCH_TOPICS: _("个"),
        TargetMeasure.TASK_FORCES: _("支"),
    }


def _progress(rows: list[dict]) -> list[dict]:
    """The classroom's badge: its rows summed, per unit, so the badge says what they say."""
    units = _units()
    totals: dict[str, dict] = {}
    for row in rows:
        measure = row["target"].measure
        total = totals.setdefault(measure, {"unit": units[measure], "done": 0, "count": 0})
        total["done"] += row["done"]
        total["count"] += row["target"].count
    return list(totals.values())


def curriculum_plan(camp: Camp, today: datetime.date | None = None) -> dict:
    """Targets with what is planned and done, per classroom, and the badge that sums them;
    every session of each classroom, target or not; the instructor mix by source. A fixed
    handful of queries, whatever the size of the year."""
    today = today or timezone.localdate()
    targets = list(CurriculumTarget.objects.filter(camp=camp).select_related("activity_kind"))
    sessions = Session.objects.filter(camp=camp)
    aggregates = {}
    for target in targets:
        if target.measure != TargetMeasure.SESSIONS:
            continue
        match = Q(activity_kind_id=target.activity_kind_id)
        if target.topic_contains:
            match &= Q(topic__contains=target.topic_contains)
        aggregates[f"p{target.pk}"] = Count("pk", filter=match)
        aggregates[f"d{target.pk}"] = Count("pk", filter=match & Q(date__lte=today))
    counts = sessions.aggregate(**aggregates) if aggregates else {}
    topics = camp.research_topics.aggregate(
        planned=Count("pk"), done=Count("pk", filter=~Q(report=""))
    )
    # A task force is done once it keeps a log; the join repeats it per entry, hence distinct.
    forces = camp.task_forces.aggregate(
        planned=Count("pk", distinct=True),
        done=Count("pk", filter=Q(log__isnull=False), distinct=True),
    )
    units = _units()
    rows = []
    for target in targets:
        if target.measure == TargetMeasure.SESSIONS:
            planned, done = counts[f"p{target.pk}"], counts[f"d{target.pk}"]
        elif target.measure == TargetMeasure.RESEARCH_TOPICS:
            planned, done = topics["planned"], topics["done"]
        else:
            planned, done = forces["planned"], forces["done"]
        rows.append(
            {"target": target, "planned": planned, "done": done, "unit": units[target.measure]}
        )
    per_classroom = {
        row["classroom"]: row
        for row in sessions.values("classroom").annotate(
            planned=Count("pk"), done=Count("pk", filter=Q(date__lte=today))
        )
    }
    classrooms = []
    for value, label in ClassroomType.choices:
        own = [r for r in rows if r["target"].classroom == value]
        classrooms.append(
            {
                "classroom": value,
                "label": label,
                "targets": own,
                "progress": _progress(own),
                "planned": per_classroom.get(value, {}).get("planned", 0),
                "done": per_classroom.get(value, {}).get("done", 0),
            }
        )
    return {
        "classrooms": classrooms,
        "instructor_mix": instructor_mix(camp),
        "monthly": monthly_activities(camp, today),
    }


def _cell(dates: list[datetime.date], expected: int, today: datetime.date) -> dict:
    if len(dates) < expected:
        status = Status.MISSING
    elif all(date <= today for date in dates):
        status = Status.DONE
    else:
        status = Status.PLANNED
    return {"status": status, "count": len(dates), "expected": expected}


def monthly_activities(camp: Camp, today: datetime.date | None = None) -> dict:
    """The article's monthly rhythm, month by month of the camp's year: two training days,
    and each group's round table with its counselor (a round table for the whole class counts
    for every group). A cell is done when all of it has been held, planned when it is
    scheduled, missing when the month lacks it. Three queries."""
    today = today or timezone.localdate()
    months = [(month.year, month.month) for month in camp_months(camp)]
    day_dates = defaultdict(list)
    for date in camp.training_days.values_list("date", flat=True):
        day_dates[(date.year, date.month)].append(date)
    kind = ActivityKind.objects.filter(name=ROUND_TABLE).values("pk")
    tables = defaultdict(list)
    for date, group_id in Session.objects.filter(camp=camp, activity_kind__in=kind).values_list(
        "date", "group_id"
    ):
        tables[(group_id, date.year, date.month)].append(date)
    rows = [
        {
            "label": _("集中培训日（每月2次）"),
            "cells": [_cell(day_dates[m], TRAINING_DAYS_PER_MONTH, today) for m in months],
        }
    ]
    missing = []
    for group in camp_groups(camp):
        cells = []
        for year, month in months:
            dates = tables[(group.pk, year, month)] + tables[(None, year, month)]
            cell = _cell(dates, 1, today)
            cells.append(cell)
            if cell["status"] == Status.MISSING:
                missing.append({"group": group, "month": datetime.date(year, month, 1)})
        rows.append({"label": _("第%(n)d组圆桌会") % {"n": group.number}, "cells": cells})
    return {
        "months": [datetime.date(year, month, 1) for year, month in months],
        "rows": rows,
        "missing_round_tables": missing,
    }
