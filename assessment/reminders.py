"""The assessment's part of the daily schedule: weekly reviews due or overdue, to counselors."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from camp.notifications.models import Kind
from camp.notifications.reminders import Due, register_reminder
from trainees.models import StudyGroup

from .models import WeeklyReview
from .review_selectors import review_weeks


def review_due(camp, today: datetime.date) -> list[Due]:
    groups = list(
        StudyGroup.objects.filter(camp=camp, counselor__user__is_active=True)
        .select_related("camp", "counselor__user")
        .order_by("number")
    )
    written = set(
        WeeklyReview.objects.filter(group__in=groups).values_list("group_id", "week_start")
    )
    dues = []
    for group in groups:
        missing = [w for w in review_weeks(group, today) if (group.pk, w) not in written]
        if missing:
            dues.append(
                Due(
                    user=group.counselor.user,
                    title=_("第%(n)d组有 %(k)d 周讲评待写")
                    % {"n": group.number, "k": len(missing)},
                    body=_("未写：%(weeks)s")
                    % {"weeks": "、".join(f"{w:%m-%d}" for w in missing[-4:])},
                    url=reverse("assessment-review-group", args=[group.pk]),
                )
            )
    return dues


def register() -> None:
    register_reminder(Kind.REVIEW_DUE, review_due)
