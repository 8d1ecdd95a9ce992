"""Weekly group reviews (每周讲评): a group's list, one review, and the counselor's form.

Who reads and writes is `assessment.access`'s; a trainee's copy leaves out the remarks on
others (`visible_remarks`)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.access import get_camp_for, role_required
from camp.drafts import draft_key, draft_offer
from camp.roles import Role
from camp.services.drafts import draft_discard
from trainees.access import counseled_group_in, trainee_for_user

from ..access import (
    get_review_group_for,
    get_weekly_review_for,
    is_group_counselor,
    reads_every_group_review,
    visible_remarks,
)
from ..activity_forms import WeeklyReviewForm
from ..review_selectors import (
    group_reviews,
    groups_with_latest_review,
    missing_review_weeks,
    review_members,
    week_start_of,
    weekly_review_of,
)
from ..services.reviews import weekly_review_save


@role_required(*Role.values)
def review_index(request, code):
    """Overseers pick a group; a counselor and a trainee go straight to their own group."""
    camp = get_camp_for(request.user, code)
    user = request.user
    if reads_every_group_review(user):
        rows = [{"group": g, "latest": g.latest} for g in groups_with_latest_review(camp)]
        return render(request, "assessment/review_index.html", {"camp": camp, "rows": rows})
    group = counseled_group_in(user, camp)
    if group is None:
        trainee = trainee_for_user(user, camp)
        group = trainee.group if trainee else None
    if group is None:
        raise Http404
    return redirect("assessment-review-group", group.pk)


@role_required(*Role.values)
def review_group(request, group_pk):
    group = get_review_group_for(request.user, group_pk)
    can_write = is_group_counselor(request.user, group.pk)
    context = {
        "group": group,
        "reviews": group_reviews(group),
        "can_write": can_write,
        "missing": missing_review_weeks(group) if can_write else [],
        "this_week": week_start_of(timezone.localdate()),
    }
    return render(request, "assessment/review_group.html", context)


@role_required(*Role.values)
def review_detail(request, pk):
    review = get_weekly_review_for(request.user, pk)
    can_write = is_group_counselor(request.user, review.group_id)
    context = {
        "review": review,
        "remarks": visible_remarks(request.user, review),
        "can_write": can_write,
    }
    return render(request, "assessment/review_detail.html", context)


def _week(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    return week_start_of(day)


@role_required(Role.COUNSELOR)
def review_write(request, group_pk, week):
    group = get_review_group_for(request.user, group_pk, write=True)
    week_start = _week(week)
    review = weekly_review_of(group, week_start)
    members = list(review_members(group, week_start))
    remarks = {r.trainee_id: r.remark for r in review.remarks.all()} if review else {}
    initial = {"highlights": review.highlights, "problems": review.problems} if review else None
    key = draft_key("review", group.pk, week_start.isoformat())
    saved_at = review.updated_at if review else None
    draft, initial = draft_offer(request, key, initial, saved_at=saved_at)
    form = WeeklyReviewForm(request.POST or None, initial=initial, members=members, remarks=remarks)
    if request.method == "POST" and form.is_valid():
        try:
            saved = weekly_review_save(
                group=group,
                week_start=week_start,
                highlights=form.cleaned_data["highlights"],
                problems=form.cleaned_data["problems"],
                remarks=form.remarks(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            draft_discard(user=request.user, key=key)
            messages.success(request, _("每周讲评已保存。"))
            return redirect("assessment-review", saved.pk)
    context = {
        "group": group,
        "week_start": week_start,
        "form": form,
        "review": review,
        "draft_key": key,
        "draft": draft,
        "restored": draft is not None and request.GET.get("draft") == "restore",
    }
    return render(request, "assessment/review_form.html", context)


urlpatterns = [
    path("camps/<str:code>/reviews/", review_index, name="assessment-reviews"),
    path("reviews/group/<int:group_pk>/", review_group, name="assessment-review-group"),
    path(
        "reviews/group/<int:group_pk>/<str:week>/write/",
        review_write,
        name="assessment-review-write",
    ),
    path("reviews/<int:pk>/", review_detail, name="assessment-review"),
]
