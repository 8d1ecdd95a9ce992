"""Comprehensive comparison (综合比选): rounds, the shortlist with its evidence in one view,
and the department's decisions (audited). orgdept writes; staff and leaders read; interviews
appear in the evidence only for orgdept and staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for, role_required
from camp.forms import add_validation_error
from camp.roles import Role
from camp.workbooks import may_export, registry
from trainees.models import Trainee

from ..access import (
    can_read_interviews,
    can_read_oversight,
    can_write_oversight,
    get_shortlist_entry_for,
    get_shortlist_round_for,
    require_oversight_access,
)
from ..forms import (
    ShortlistAddForm,
    ShortlistDecisionForm,
    ShortlistRefreshForm,
    ShortlistRoundForm,
)
from ..selectors import shortlist_evidence, shortlist_figures_log, shortlist_rounds
from ..services.shortlist import (
    shortlist_add_trainees,
    shortlist_decide,
    shortlist_figures_refresh,
    shortlist_round_create,
)


@allowed(can_read_oversight)
def shortlist_list(request, code):
    camp = get_camp_for(request.user, code)
    require_oversight_access(request.user)
    can_write = can_write_oversight(request.user)
    form = ShortlistRoundForm(request.POST or None) if can_write else None
    if request.method == "POST":
        require_oversight_access(request.user, write=True)
        if form.is_valid():
            try:
                shortlist_round = shortlist_round_create(
                    camp=camp, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("已创建比选轮次，请加入人选。"))
                return redirect("shortlist-detail", shortlist_round.pk)
    return render(
        request,
        "oversight/shortlist_list.html",
        {"camp": camp, "rounds": shortlist_rounds(camp), "form": form},
    )


def _candidates(shortlist_round):
    return (
        Trainee.objects.filter(camp=shortlist_round.camp)
        .active()
        .exclude(shortlist_entries__round=shortlist_round)
        .select_related("person", "group")
        .order_by("group__number", "pk")
    )


@allowed(can_read_oversight)
def shortlist_detail(request, pk):
    shortlist_round = get_shortlist_round_for(request.user, pk)
    with_interviews = can_read_interviews(request.user)
    evidence = shortlist_evidence(shortlist_round, with_interviews=with_interviews)
    can_write = can_write_oversight(request.user)
    return render(
        request,
        "oversight/shortlist_detail.html",
        {
            "round": shortlist_round,
            "camp": shortlist_round.camp,
            "evidence": evidence,
            "figures_log": shortlist_figures_log(shortlist_round),
            "refresh_form": ShortlistRefreshForm() if can_write else None,
            "with_interviews": with_interviews,
            "can_write": can_write,
            "can_export": may_export(request.user, registry["shortlist"]),
            "add_form": ShortlistAddForm(trainees=_candidates(shortlist_round))
            if can_write
            else None,
        },
    )


@require_POST
@role_required(Role.ORGDEPT)
def shortlist_add(request, pk):
    shortlist_round = get_shortlist_round_for(request.user, pk, write=True)
    form = ShortlistAddForm(request.POST, trainees=_candidates(shortlist_round))
    if form.is_valid():
        added = shortlist_add_trainees(
            shortlist_round=shortlist_round, trainees=form.cleaned_data["trainees"], by=request.user
        )
        messages.success(request, _("已加入%(n)d名人选。") % {"n": len(added)})
    else:
        messages.error(request, _("请至少勾选一名本期在训学员。"))
    return redirect("shortlist-detail", shortlist_round.pk)


@require_POST
@role_required(Role.ORGDEPT)
def shortlist_refresh(request, pk):
    """Take the round's figures again, as of its date, with a reason (kept in the history)."""
    shortlist_round = get_shortlist_round_for(request.user, pk, write=True)
    form = ShortlistRefreshForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明更新比选依据的原因（不超过100字）。"))
        return redirect("shortlist-detail", shortlist_round.pk)
    try:
        shortlist_figures_refresh(
            shortlist_round=shortlist_round, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已按比选日期（%(date)s）重新取数。") % {"date": f"{shortlist_round.date:%Y-%m-%d}"},
        )
    return redirect("shortlist-detail", shortlist_round.pk)


@allowed(can_read_oversight)
def shortlist_decide_view(request, pk):
    """The decision form for orgdept; its history (who decided what, when) for every reader."""
    entry = get_shortlist_entry_for(request.user, pk, write=request.method == "POST")
    can_write = can_write_oversight(request.user)
    form = None
    if can_write:
        initial = {"decision": entry.decision, "reason": entry.reason}
        form = ShortlistDecisionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                shortlist_decide(entry=entry, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("已记录比选意见。"))
                return redirect("shortlist-detail", entry.round_id)
    history = entry.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "oversight/shortlist_decide.html",
        {"entry": entry, "form": form, "history": history},
    )


urlpatterns = [
    path("camps/<str:code>/shortlists/", shortlist_list, name="shortlist-list"),
    path("shortlists/<int:pk>/", shortlist_detail, name="shortlist-detail"),
    path("shortlists/<int:pk>/add/", shortlist_add, name="shortlist-add"),
    path("shortlists/<int:pk>/refresh/", shortlist_refresh, name="shortlist-refresh"),
    path("shortlist-entries/<int:pk>/", shortlist_decide_view, name="shortlist-decide"),
]
