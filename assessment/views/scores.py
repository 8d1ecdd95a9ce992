"""Seeing the scores: a trainee's "my scores", one trainee's scores for those who may see them,
a counselor's group dashboard and the class ranking. The training record (培训档案) is in
views/records.py.

A trainee sees only their own figures, and their rank only if the camp's setting allows it."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from camp.access import allowed, get_camp_for, role_required
from camp.roles import Role
from trainees.access import counseled_group_in, is_self, trainee_for_user

from ..access import (
    can_read_graduation,
    can_read_group_scores,
    can_read_summaries,
    get_dashboard_group_for,
    get_trainee_scores_for,
    may_see_rank,
    require_summary_access,
)
from ..graduation_selectors import has_final_graduation
from ..models import StatementKind
from ..score_selectors import (
    camp_ranking,
    category_rows,
    entries_of,
    group_dashboard,
    item_rows,
    trainee_standing,
    trainee_trend,
    trend_chart_data,
)
from ..selectors import scheme_items

# A trainee's year holds about 150 entries; their phone shows the latest, the entry list all.
RECENT_ENTRIES = 20


def _scores_page(request, trainee):
    items = list(scheme_items(trainee.camp))
    score = trainee_standing(trainee)
    trend = trainee_trend(trainee)
    show_rank = may_see_rank(request.user, trainee)
    entries = list(entries_of(trainee)[: RECENT_ENTRIES + 1])
    context = {
        "trainee": trainee,
        "score": score,
        "categories": category_rows(score, items) if score else [],
        "items": item_rows(score, items),
        "entries": entries[:RECENT_ENTRIES],
        "more_entries": len(entries) > RECENT_ENTRIES,
        "trend": trend,
        "chart": trend_chart_data(trend),
        "show_rank": show_rank,
        "today": timezone.localdate(),
        # A trainee reads their appraisal form once it is final; link to it from here then.
        "graduation_final": (
            final := can_read_graduation(request.user, trainee) and has_final_graduation(trainee)
        ),
        # Before that, the trainee writes their own summary (个人总结) for the form.
        "summary_url": not final
        and is_self(request.user, trainee)
        and reverse("appraisal-statement", args=[trainee.pk, StatementKind.SELF_SUMMARY]),
    }
    return render(request, "assessment/scores.html", context)


@role_required(Role.TRAINEE)
def my_scores(request, code):
    camp = get_camp_for(request.user, code)
    trainee = trainee_for_user(request.user, camp)
    if trainee is None:
        raise Http404
    return _scores_page(request, trainee)


@role_required(*Role.values)
def trainee_scores(request, pk):
    return _scores_page(request, get_trainee_scores_for(request.user, pk))


@role_required(Role.COUNSELOR)
def my_group_scores(request, code):
    camp = get_camp_for(request.user, code)
    group = counseled_group_in(request.user, camp)
    if group is None:
        raise Http404
    return redirect("assessment-group-scores", group.pk)


@allowed(can_read_group_scores)
def group_scores(request, pk):
    group = get_dashboard_group_for(request.user, pk)
    return render(request, "assessment/group_scores.html", group_dashboard(group))


@allowed(can_read_summaries)
def ranking(request, code):
    camp = get_camp_for(request.user, code)
    require_summary_access(request.user)
    group_id = request.GET.get("group", "")
    group_id = int(group_id) if group_id.isdigit() else None
    query = request.GET.get("q", "").strip()[:50]
    context = {
        "camp": camp,
        "ranking": camp_ranking(camp, group_id=group_id, query=query),
        "group_id": group_id,
        "query": query,
    }
    return render(request, "assessment/ranking.html", context)


urlpatterns = [
    path("camps/<str:code>/my-scores/", my_scores, name="assessment-my-scores"),
    path("camps/<str:code>/my-group-scores/", my_group_scores, name="assessment-my-group-scores"),
    path("camps/<str:code>/ranking/", ranking, name="assessment-ranking"),
    path("scores/trainees/<int:pk>/", trainee_scores, name="assessment-trainee-scores"),
    path("scores/groups/<int:pk>/", group_scores, name="assessment-group-scores"),
]
