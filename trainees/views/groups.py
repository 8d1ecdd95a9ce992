"""The six study groups: the camp's groups, automatic placement, one group, moves, counselors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from camp.access import allowed, get_camp_for, role_required
from camp.roles import Role

from ..access import (
    can_edit_groups,
    can_read_conduct_codes_in,
    can_see_placement,
    get_group_for,
    get_trainee_for,
)
from ..group_forms import CounselorForm, CounselorReplaceForm, MoveForm, PlaceForm
from ..group_selectors import (
    counselor_terms,
    counselors_with_groups,
    group_members_for,
    placement_of,
    recent_moves,
    unplaced_count,
)
from ..selectors import groups_with_sizes
from ..services.counselors import counselor_create, group_counselor_replace
from ..services.grouping import groups_place, trainee_move


@role_required(*Role.values)
def group_list(request, code):
    camp = get_camp_for(request.user, code)
    groups = groups_with_sizes(camp)
    spread = groups.aggregate(low=Min("size"), high=Max("size"))
    context = {
        "camp": camp,
        "groups": groups,
        "spread": (spread["high"] or 0) - (spread["low"] or 0),
        "unplaced": unplaced_count(camp),
        "can_edit": can_edit_groups(request.user),
        "can_see_placement": can_see_placement(request.user),
    }
    if context["can_edit"]:
        context["counselors"] = counselors_with_groups(camp)
    return render(request, "trainees/group_list.html", context)


@allowed(can_see_placement)
def group_placement(request, code):
    """Where everyone was placed and why; staff run the placement from here."""
    camp = get_camp_for(request.user, code, edit=request.method == "POST")
    # A bare POST (the checkbox left unticked) is still a submission.
    form = PlaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moves = groups_place(camp=camp, by=request.user, replace=form.cleaned_data["replace"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已完成分组：%(n)d 名学员分入小组。") % {"n": len(moves)})
            return redirect("group-placement", camp.code)
    context = {
        "camp": camp,
        "form": form,
        "placement": placement_of(camp),
        "moves": recent_moves(camp),
        "unplaced": unplaced_count(camp),
        "can_edit": can_edit_groups(request.user),
    }
    return render(request, "trainees/group_placement.html", context)


@role_required(*Role.values)
def group_detail(request, pk):
    group = get_group_for(request.user, pk)
    context = {
        "group": group,
        "camp": group.camp,
        "members": group_members_for(request.user, group),
        "terms": counselor_terms(group),
        "can_edit": can_edit_groups(request.user),
        "can_read_conduct": can_read_conduct_codes_in(request.user, group.pk),
    }
    return render(request, "trainees/group_detail.html", context)


@role_required(*Role.values)
def trainee_move_view(request, pk):
    trainee = get_trainee_for(request.user, pk, edit=True)
    form = MoveForm(request.POST or None, trainee=trainee)
    if request.method == "POST" and form.is_valid():
        try:
            trainee_move(
                trainee=trainee,
                to_group=form.cleaned_data["to_group"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已将%(name)s调入%(group)s。")
                % {"name": trainee.person.name, "group": form.cleaned_data["to_group"]},
            )
            return redirect("group-detail", form.cleaned_data["to_group"].pk)
    return render(request, "trainees/trainee_move.html", {"trainee": trainee, "form": form})


@role_required(*Role.values)
def group_counselor(request, pk):
    group = get_group_for(request.user, pk, edit=True)
    form = CounselorReplaceForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group_counselor_replace(group=group, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已更换政治辅导员。"))
            return redirect("group-detail", group.pk)
    context = {"group": group, "form": form, "terms": counselor_terms(group)}
    return render(request, "trainees/group_counselor.html", context)


@role_required(Role.STAFF)
def counselor_new(request):
    """Staff add a counselor (and their login), then go back where they came from: the groups
    page or a group's replace-counselor form."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = CounselorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counselor = counselor_create(**form.cleaned_data)
        except ValidationError as error:
            # The user's own fields (username) map onto the form; anything else is shown above.
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("已添加政治辅导员%(name)s。") % {"name": counselor.name})
            return redirect(back or reverse("home"))
    return render(request, "trainees/counselor_form.html", {"form": form, "next": back})


urlpatterns = [
    path("camps/<str:code>/groups/", group_list, name="group-list"),
    path("camps/<str:code>/groups/placement/", group_placement, name="group-placement"),
    path("groups/<int:pk>/", group_detail, name="group-detail"),
    path("groups/<int:pk>/counselor/", group_counselor, name="group-counselor"),
    path("counselors/new/", counselor_new, name="counselor-new"),
    path("trainees/<int:pk>/move/", trainee_move_view, name="trainee-move"),
]
