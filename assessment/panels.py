"""Home panels of the weekly reviews: a counselor sees which weeks still want a review."""

from camp.panels import register_panel
from camp.roles import Role

from .models import WeeklyReview
from .review_selectors import missing_review_weeks, week_start_of


def missing_reviews(request, camp):
    from django.utils import timezone

    from trainees.access import counseled_groups_in

    groups = list(counseled_groups_in(request.user, camp).select_related("camp").order_by("number"))
    if not groups:
        return None
    today = timezone.localdate()
    this_week = week_start_of(today)
    written = set(
        WeeklyReview.objects.filter(group__in=groups, week_start=this_week).values_list(
            "group_id", flat=True
        )
    )
    return {
        "entries": [
            {
                "group": group,
                "missing": missing_review_weeks(group, today),
                "this_week_written": group.pk in written,
            }
            for group in groups
        ],
        "this_week": this_week,
    }


def register() -> None:
    register_panel(
        roles={Role.COUNSELOR},
        order=20,
        template="assessment/panels/missing_reviews.html",
        context=missing_reviews,
    )
