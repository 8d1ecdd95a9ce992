"""Reads for the score pages, dashboards, rankings and training record (the selectors of
D1's selectors.py cover the scheme, entries and submissions).

Live figures come from `scores_as_of` (a fixed number of grouped queries for the whole camp);
month-by-month figures come from the published MonthlySummaryRow tables.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from camp.models import Camp
from camp.pinyin import name_q
from camp.workbooks import labels_by_pk
from trainees.membership import GroupTimeline
from trainees.models import StudyGroup, Trainee, TraineeStatus
from trainees.selectors import camp_groups

from .models import (
    TOTAL_POINTS,
    AssessmentItem,
    Category,
    ClassMonthlySummary,
    Contest,
    ContestMark,
    ContestParticipant,
    ContestStatus,
    GroupMonthlySummary,
    MonthlySummaryRow,
    Recorder,
    ScoreEntry,
    WeeklyReview,
    WeeklyReviewRemark,
)
from .rates import mean
from .review_selectors import missing_review_weeks, week_start_of
from .standing import camp_standing


def category_rows(score, items) -> list[dict]:
    """[{label, earned, maximum}] for the three categories."""
    maxima: dict[str, Decimal] = {}
    for item in items:
        maxima[item.category] = maxima.get(item.category, Decimal(0)) + item.max_points
    return [
        {"label": label, "earned": score.categories.get(value), "maximum": maxima.get(value)}
        for value, label in Category.choices
    ]


def item_rows(score, items) -> list[dict]:
    """[{item, score}] for the scheme's items; score is None where not yet assessed."""
    return [
        {"item": item, "score": score.items.get(item.number) if score else None} for item in items
    ]


def trainee_standing(trainee: Trainee, as_of: datetime.date | None = None):
    """The trainee's running score now (ranked among the whole camp)."""
    return camp_standing(trainee.camp, as_of).get(trainee.pk)


def entries_of(trainee: Trainee) -> QuerySet[ScoreEntry]:
    return (
        ScoreEntry.objects.filter(trainee=trainee)
        .select_related("item", "recorded_by")
        .order_by("-date", "-pk")
    )


def trainee_trend(trainee: Trainee) -> list[dict]:
    """Month by month, from the published summaries."""
    return list(
        MonthlySummaryRow.objects.filter(trainee=trainee)
        .order_by("month")
        .values(
            "month",
            "total",
            "assessed_points",
            "theory",
            "party_spirit",
            "capability",
            "class_rank",
            "group_rank",
        )
    )


def trend_chart_data(trend: list[dict]) -> dict:
    """The chart spec that static/js/charts.js draws, like every chart of the app (numbers as
    strings, never floats)."""
    return {
        "type": "line",
        "labels": [f"{row['month']:%Y-%m}" for row in trend],
        "datasets": [
            {"label": gettext("总分"), "data": [str(row["total"]) for row in trend]},
            {
                "label": gettext("已考核分值"),
                "data": [str(row["assessed_points"]) for row in trend],
            },
        ],
        "max": int(TOTAL_POINTS),
    }


def _figure(value) -> str:
    """A figure as the page prints it: a long table renders hundreds, and Django's number
    localization costs more than the rest of a cell (no locale of the camp groups digits)."""
    return "—" if value is None else str(value)


def camp_ranking(
    camp: Camp, *, as_of: datetime.date | None = None, group_id: int | None = None, query: str = ""
) -> dict:
    """The class ranking (live), optionally one group's or matching a name: the groups and the
    trainees besides the camp's standing. Rows carry their figures ready to print, and the
    group's label computed once per group, not once per row."""
    as_of = as_of or timezone.localdate()
    scores = camp_standing(camp, as_of)
    study_groups = list(camp_groups(camp))
    labels = labels_by_pk(study_groups)
    trainees = Trainee.objects.filter(camp=camp)
    if query:
        trainees = trainees.filter(
            name_q(query, name="person__name", initials="person__name_initials")
        )
    rows = []
    for pk, name, status in trainees.values_list("pk", "person__name", "status"):
        score = scores.get(pk)
        # A group's ranking lists those in the group on the day (the dated membership the
        # scores carry), not today's members.
        if score is None or (group_id and score.group_id != group_id):
            continue
        rows.append(
            {
                "pk": pk,
                "name": name,
                "withdrawn": status == TraineeStatus.WITHDRAWN,
                "group": labels.get(score.group_id, "—"),
                "class_rank": score.class_rank,
                "group_rank": _figure(score.group_rank),
                "theory": _figure(score.categories.get(Category.THEORY)),
                "party_spirit": _figure(score.categories.get(Category.PARTY_SPIRIT)),
                "capability": _figure(score.categories.get(Category.CAPABILITY)),
                "total": _figure(score.total),
                "assessed_points": _figure(score.assessed_points),
            }
        )
    rows.sort(key=lambda r: (r["class_rank"] is None, r["class_rank"] or 0, r["pk"]))
    ranked = [s for s in scores.values() if s.ranked]
    by_group: dict[int, list[Decimal]] = {}
    for score in ranked:
        if score.group_id is not None:
            by_group.setdefault(score.group_id, []).append(score.total)
    groups = [
        {
            "group": group,
            "label": labels[group.pk],
            "average": mean(by_group.get(group.pk, [])),
            "n": len(by_group.get(group.pk, [])),
        }
        for group in study_groups
    ]
    return {
        "as_of": as_of,
        "rows": rows,
        "class_average": mean([s.total for s in ranked]),
        "groups": groups,
    }


def group_dashboard(group: StudyGroup, today: datetime.date | None = None) -> dict:
    """A counselor's group: members' totals, what is missing this week and this month, and the
    group's average against the class's."""
    today = today or timezone.localdate()
    camp = group.camp
    scores = camp_standing(camp, today)
    members = list(
        Trainee.objects.members_of_group_on(group, today)
        .select_related("person")
        .order_by("person__name")
    )
    ranked = [s for s in scores.values() if s.ranked]
    group_totals = [scores[m.pk].total for m in members if m.pk in scores]
    month_start = today.replace(day=1)
    # JSON "contains" is not portable (SQLite lacks it); a scheme has only 26 items.
    counselor_monthly = [
        item
        for item in AssessmentItem.objects.filter(scheme__camp=camp, frequency="monthly").order_by(
            "number"
        )
        if item.recordable_by(Recorder.COUNSELOR)
    ]
    recorded = set(
        ScoreEntry.objects.filter(
            trainee__in=members, item__in=counselor_monthly, date__gte=month_start, date__lte=today
        ).values_list("trainee_id", "item_id")
    )
    rows = []
    for member in members:
        score = scores.get(member.pk)
        rows.append(
            {
                "trainee": member,
                "score": score,
                "missing_items": [
                    i for i in counselor_monthly if (member.pk, i.pk) not in recorded
                ],
            }
        )
    this_week = week_start_of(today)
    return {
        "group": group,
        "rows": rows,
        "group_average": mean(group_totals),
        "class_average": mean([s.total for s in ranked]),
        "missing_weeks": missing_review_weeks(group, today),
        "this_week": this_week,
        "this_week_written": WeeklyReview.objects.filter(
            group=group, week_start=this_week
        ).exists(),
        "monthly_items": counselor_monthly,
    }


def month_summary(camp: Camp, month: datetime.date) -> dict:
    """A published month: the rows (ranked first), group averages and class figures."""
    rows = (
        MonthlySummaryRow.objects.filter(camp=camp, month=month)
        .select_related("trainee__person", "group")
        .order_by(F("class_rank").asc(nulls_last=True), "trainee__person__name")
    )
    return {
        "rows": rows,
        "groups": GroupMonthlySummary.objects.filter(camp=camp, month=month)
        .select_related("group")
        .order_by("group__number"),
        "klass": ClassMonthlySummary.objects.filter(camp=camp, month=month).first(),
    }


def trainee_reviews(trainee: Trainee) -> QuerySet[WeeklyReviewRemark]:
    """Weekly reviews that mention the trainee (a remark about them)."""
    return (
        WeeklyReviewRemark.objects.filter(trainee=trainee)
        .select_related("review", "review__author", "review__group")
        .order_by("-review__week_start")
    )


def trainee_contests(trainee: Trainee) -> QuerySet[ContestParticipant]:
    return (
        ContestParticipant.objects.filter(
            Q(trainee=trainee) | Q(group_id=trainee.group_id, group__isnull=False)
        )
        .select_related("contest", "group")
        .order_by("-contest__date")
    )


def contest_results(
    camp: Camp, trainee_ids, *, up_to: datetime.date | None = None
) -> dict[int, list[ContestParticipant]]:
    """The closed contests that gave each trainee contest points (item 20), earliest first:
    their own entries and their group's (every member of the group on the contest's date gets
    a group's result, as closing the contest grades them: the dated membership).
    `up_to` keeps the contests held by that day. Three queries."""
    trainees = {
        pk: (group_id, admitted_on, withdrawn_on)
        for pk, group_id, admitted_on, withdrawn_on in Trainee.objects.filter(
            pk__in=list(trainee_ids)
        ).values_list("pk", "group_id", "admitted_on", "withdrawn_on")
    }
    results: dict[int, list[ContestParticipant]] = {pk: [] for pk in trainees}
    timeline = GroupTimeline(None, {pk: row[0] for pk, row in trainees.items()})
    participants = ContestParticipant.objects.filter(
        Q(trainee_id__in=list(trainees)) | Q(trainee__isnull=True, group__isnull=False),
        contest__camp=camp,
        contest__status=ContestStatus.CLOSED,
    )
    if up_to is not None:
        participants = participants.filter(contest__date__lte=up_to)
    for participant in participants.select_related("contest", "group").order_by(
        "contest__date", "contest__pk"
    ):
        if participant.trainee_id is not None:
            results[participant.trainee_id].append(participant)
            continue
        day = participant.contest.date
        for pk, (_group, admitted_on, withdrawn_on) in trainees.items():
            member = admitted_on <= day and (withdrawn_on is None or day <= withdrawn_on)
            if member and timeline.on(pk, day) == participant.group_id:
                results[pk].append(participant)
    return results


def contest_marks_table(contest: Contest):
    """Every mark of a closed contest: {(judge id, participant id): mark}."""
    return {
        (m.judge_id, m.participant_id): m.mark
        for m in ContestMark.objects.filter(participant__contest=contest)
    }
