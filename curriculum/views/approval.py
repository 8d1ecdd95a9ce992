"""Staff set the camp's leave approval steps (who approves what, and how long a step waits)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import allowed, get_camp_for

from ..access import can_manage_leave
from ..approval_forms import LENGTHS, ApprovalPolicyForm
from ..services.leave_approval import approval_policy, leave_approval_policy_update


@allowed(can_manage_leave)
def approval_policy_edit(request, code):
    camp = get_camp_for(request.user, code)
    policy = approval_policy(camp)
    form = ApprovalPolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            leave_approval_policy_update(
                camp=camp,
                **{name: form.cleaned_data[name] for name, _label in LENGTHS},
                wait_hours=form.cleaned_data["wait_hours"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("请假审批设置已保存，新提交的请假按新设置审批。"))
            return redirect("curriculum-leave", camp.code)
    return render(request, "curriculum/approval_policy.html", {"camp": camp, "form": form})


urlpatterns = [
    path(
        "camps/<str:code>/leave/approval/",
        approval_policy_edit,
        name="curriculum-leave-approval-policy",
    ),
]
