"""What leave tells people (通知): a request to its approvers, each decision to the trainee.

The leave services call these inside their transaction; `notify` sends the other channels
only once it commits, so a channel that is down never blocks the decision."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from camp.notifications.models import Kind
from camp.notifications.services import notify
from camp.roles import Role

from .models import LeaveRequest, LeaveStatus


def staff_users():
    return get_user_model().objects.filter(role=Role.STAFF, is_active=True)


def _span(leave: LeaveRequest) -> str:
    first = f"{leave.training_day.date:%m-%d}{leave.get_half_day_display() or ''}"
    if not leave.is_span:
        return first
    return f"{first} – {leave.end_day.date:%m-%d}{leave.get_last_half_day_display() or ''}"


def leave_requested_notify(*, leave: LeaveRequest, approvers) -> None:
    camp = leave.trainee.camp
    notify(
        users=approvers,
        kind=Kind.LEAVE_TO_APPROVE,
        title=_("%(name)s 请假待审批（%(span)s）") % {"name": leave.trainee, "span": _span(leave)},
        body=leave.reason,
        url=reverse("curriculum-leave", args=[camp.code]),
    )


def leave_decided_notify(
    *, leave: LeaveRequest, by, step_label: str = "", holder: str = ""
) -> None:
    """Tell the trainee of a decision (at each step, when there are several)."""
    user = leave.trainee.person.user
    if user is None:
        return
    approved = leave.status == LeaveStatus.APPROVED or (
        leave.status == LeaveStatus.PENDING and step_label
    )
    verdict = _("已批准") if approved else _("未批准")
    title = _("您的请假（%(span)s）%(step)s%(verdict)s") % {
        "span": _span(leave),
        "step": step_label,
        "verdict": verdict,
    }
    body = _("审批人：%(by)s") % {"by": by}
    if leave.decision_note:
        body += "\n" + _("审批意见：%(note)s") % {"note": leave.decision_note}
    if holder:
        body += "\n" + _("下一步：%(holder)s") % {"holder": holder}
    if leave.status == LeaveStatus.APPROVED:
        due = leave.close_due_on
        if due is not None:
            body += "\n" + _("请于 %(due)s 前销假。") % {"due": f"{due:%Y-%m-%d}"}
    notify(
        users=[user],
        kind=Kind.LEAVE_DECIDED,
        title=title,
        body=body,
        url=reverse("curriculum-leave", args=[leave.trainee.camp.code]),
    )
