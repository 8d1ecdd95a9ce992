"""The camp page everyone may read: headcount against capacity, status, groups."""

from django.shortcuts import redirect, render
from django.urls import path

from camp.access import can_edit_camp, get_camp_for, role_required
from camp.navigation import current_camp_for
from camp.panels import render_panels
from camp.roles import Role
from camp.todos import todos_for
from camp.workbooks import camp_page_exports

from ..access import can_edit_selection, can_read_selection
from ..selectors import camp_headcount, candidate_counts, groups_with_sizes, waitlist_next


@role_required(*Role.values)
def overview_current(request):
    """The home of staff, orgdept and leaders: the camp they work in."""
    camp = current_camp_for(request.user)
    if camp is None:
        return redirect("camp-list")
    return redirect("camp-overview", camp.code)


@role_required(*Role.values)
def camp_overview(request, code):
    camp = get_camp_for(request.user, code)
    user = request.user
    context = {
        "camp": camp,
        "headcount": camp_headcount(camp),
        "groups": groups_with_sizes(camp),
        "can_read_selection": can_read_selection(user),
        "can_edit_selection": can_edit_selection(user),
        "can_edit_camp": can_edit_camp(user),
        "exports": camp_page_exports(user),
        # The role's to-dos in this camp head the page, before any chart.
        "todos": todos_for(request, camp),
        # The dashboards other apps contribute: the camp at a glance for staff, orgdept and
        # leaders, whose home this page is.
        "panels": render_panels(request, camp),
    }
    if context["can_read_selection"]:
        context["candidate_counts"] = candidate_counts(camp)
    if context["can_edit_selection"]:
        context["next_waitlisted"] = waitlist_next(camp)
    return render(request, "trainees/camp_overview.html", context)


urlpatterns = [
    path("overview/", overview_current, name="overview-current"),
    path("camps/<str:code>/overview/", camp_overview, name="camp-overview"),
]
