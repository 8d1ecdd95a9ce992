"""The counselor's weekly group reviews, read: the weeks a review is due for, the weeks still
missing, a group's reviews, each group's latest, one week's review and its members."""

from __future__ import annotations

import datetime

from django.db.models import Max, QuerySet
from django.utils import timezone

from trainees.models import StudyGroup, Trainee

from .models import WeeklyReview
from .standing_selectors import first_training_day


def week_start_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def review_weeks(group: StudyGroup, today: datetime.date) -> list[datetime.date]:
    """The Mondays of the weeks a review is due for: from the camp's first training day to
    the last completed week (and never past the camp's end)."""
    camp = group.camp
    first = week_start_of(first_training_day(camp))
    last = min(week_start_of(today) - datetime.timedelta(days=7), week_start_of(camp.end_date))
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week += datetime.timedelta(days=7)
    return weeks


def missing_review_weeks(group: StudyGroup, today: datetime.date | None = None):
    """Completed weeks of the group's year without a review, oldest first (two queries)."""
    today = today or timezone.localdate()
    written = set(WeeklyReview.objects.filter(group=group).values_list("week_start", flat=True))
    return [week for week in review_weeks(group, today) if week not in written]


def group_reviews(group: StudyGroup):
    return WeeklyReview.objects.filter(group=group).select_related("author").order_by("-week_start")


def groups_with_latest_review(camp) -> QuerySet[StudyGroup]:
    """The camp's groups, each with `latest`: the week of its newest review (or None)."""
    return (
        StudyGroup.objects.filter(camp=camp)
        .select_related("counselor")
        .annotate(latest=Max("weekly_reviews__week_start"))
        .order_by("number")
    )


def weekly_review_of(group: StudyGroup, week_start: datetime.date) -> WeeklyReview | None:
    return (
        WeeklyReview.objects.filter(group=group, week_start=week_start)
        .prefetch_related("remarks")
        .first()
    )


def review_members(group: StudyGroup, week_start: datetime.date) -> QuerySet[Trainee]:
    """Those in the group in the week reviewed: members of the camp and of the group on its
    last day (the dated membership), so an earlier week's review lists who was there then."""
    last_day = week_start + datetime.timedelta(days=6)
    return (
        Trainee.objects.filter(camp_id=group.camp_id)
        .members_of_group_on(group, last_day)
        .select_related("person")
        .order_by("person__name")
    )
