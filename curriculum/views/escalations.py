"""考勤预警: the camp's escalations for those who may see the trainees' records, and closing
one with its handling (a talk held on a date, a note)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.roles import Role
from trainees.access import counselor_group_ids, visible_trainees

from ..access import get_escalation_for, may_close_escalation, may_read_handling
from ..models import Escalation
from ..services.escalations import escalation_close
from .feedback import run_and_tell

PAGE_SIZE = 30


# Everyone sees the escalations of the trainees they may see (a trainee their own).
@role_required(*Role.values)
def escalation_list(request, code):
    camp = get_camp_for(request.user, code)
    escalations = (
        Escalation.objects.filter(trainee__in=visible_trainees(request.user, camp))
        .select_related("trainee__person", "trainee__group", "closed_by")
        .order_by("state", "-created_at", "-pk")
    )
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    group_ids = counselor_group_ids(request.user)  # once for the page, not per row
    rows = [
        {
            "escalation": escalation,
            "handling": may_read_handling(request.user, escalation, group_ids=group_ids),
            "closable": may_close_escalation(request.user, escalation, group_ids=group_ids),
        }
        for escalation in page
    ]
    return render(
        request, "curriculum/escalations.html", {"camp": camp, "page": page, "rows": rows}
    )


@require_POST
@login_required
def escalation_close_view(request, pk):
    escalation = get_escalation_for(request.user, pk)

    def close():
        try:
            talk_on = datetime.date.fromisoformat(request.POST.get("talk_on", ""))
        except ValueError:
            talk_on = None
        return escalation_close(
            escalation=escalation,
            by=request.user,
            talk_on=talk_on,
            note=request.POST.get("note", ""),
        )

    run_and_tell(request, close, done=_("已记录预警处理情况。"))
    return redirect("curriculum-escalations", escalation.trainee.camp.code)


urlpatterns = [
    path("camps/<str:code>/escalations/", escalation_list, name="curriculum-escalations"),
    path(
        "curriculum/escalations/<int:pk>/close/",
        escalation_close_view,
        name="curriculum-escalation-close",
    ),
]
