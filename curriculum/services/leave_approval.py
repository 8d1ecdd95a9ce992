"""Leave approved by the right person: each leave's steps, from the camp's policy.

`leave_steps_start` lays out a new request's steps and hands the first to its holder;
`leave_step_decide` records one step (who, when, comment), tells the trainee, and hands on to
the next or ends in `leave_decide`; `leave_steps_pass_overdue` (the daily job) passes a step
undecided past the camp's wait to staff. The counselor step is held by the counselor of the
trainee's group on the day of the decision, so a change of counselor moves it."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.roles import Role
from curriculum.access import can_manage_leave
from curriculum.leave_events import leave_decided_notify, leave_requested_notify
from curriculum.models import (
    ApproverRole,
    LeaveApprovalPolicy,
    LeaveApprovalStep,
    LeaveRequest,
    LeaveStatus,
    StepState,
)


def approval_policy(camp) -> LeaveApprovalPolicy:
    policy, _created = LeaveApprovalPolicy.objects.get_or_create(camp=camp)
    return policy


@transaction.atomic
def leave_approval_policy_update(
    *,
    camp,
    half_day_steps: list[str],
    one_day_steps: list[str],
    longer_steps: list[str],
    wait_hours: int,
    by,
) -> LeaveApprovalPolicy:
    """Set who approves what from now on. Requests already made keep the steps they were
    given; a new request follows the new ones."""
    policy, _created = LeaveApprovalPolicy.objects.select_for_update().get_or_create(camp=camp)
    roles = set(ApproverRole.values)
    for steps in (half_day_steps, one_day_steps, longer_steps):
        if not steps or not set(steps) <= roles or len(set(steps)) != len(steps):
            raise ValidationError(_("每种请假至少要有一个审批步骤，审批人不能重复。"))
    policy.half_day_steps = list(half_day_steps)
    policy.one_day_steps = list(one_day_steps)
    policy.longer_steps = list(longer_steps)
    policy.wait_hours = wait_hours
    policy.full_clean()
    policy.save()
    return policy


def _users_with(role: str):
    return list(get_user_model().objects.filter(role=role, is_active=True).order_by("pk"))


def may_decide_step(user, step: LeaveApprovalStep) -> bool:
    """The step's holders; staff also decide a counselor's step (the class management may act
    for an absent counselor), never the organization department's."""
    if step.role == ApproverRole.COUNSELOR and user.has_role(Role.STAFF):
        return True
    return user in step_holders(step)


def step_holders(step: LeaveApprovalStep) -> list:
    """Who holds this step now."""
    if step.role == ApproverRole.COUNSELOR:
        group = step.leave.trainee.group
        counselor = group.counselor if group is not None else None
        user = counselor.user if counselor is not None else None
        if user is not None and user.is_active:
            return [user]
        return _users_with(Role.STAFF)  # no group or no counselor: staff hold it
    return _users_with(step.role)


def current_step(leave: LeaveRequest) -> LeaveApprovalStep | None:
    return leave.approval_steps.filter(state=StepState.PENDING).order_by("order").first()


def leave_holder_label(leave: LeaveRequest) -> str:
    """What the trainee sees: who holds their pending leave now."""
    step = current_step(leave) if leave.status == LeaveStatus.PENDING else None
    if step is None:
        return ""
    names = "、".join(str(user) for user in step_holders(step)[:3])
    return _("第%(n)d步：%(role)s %(names)s 审批中") % {
        "n": step.order,
        "role": step.get_role_display(),
        "names": names,
    }


def _start(step: LeaveApprovalStep, now) -> None:
    step.state = StepState.PENDING
    step.started_at = now
    step.save(update_fields=["state", "started_at"])
    leave_requested_notify(leave=step.leave, approvers=step_holders(step))


@transaction.atomic
def leave_steps_start(*, leave: LeaveRequest) -> list[LeaveApprovalStep]:
    roles = approval_policy(leave.trainee.camp).steps_for(leave.half_days)
    if not roles:
        roles = [ApproverRole.STAFF]
    if roles[0] == ApproverRole.COUNSELOR and leave.trainee.group_id is None:
        roles[0] = ApproverRole.STAFF  # a trainee without a group: staff decide
    steps = LeaveApprovalStep.objects.bulk_create(
        [LeaveApprovalStep(leave=leave, order=n, role=role) for n, role in enumerate(roles, 1)]
    )
    _start(steps[0], timezone.now())
    return steps


@transaction.atomic
def leave_step_decide(*, leave: LeaveRequest, by, approve: bool, comment: str = "") -> LeaveRequest:
    from .leave import leave_decide

    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("trainee__camp", "trainee__person", "trainee__group__counselor__user")
        .select_related("training_day__camp", "last_training_day")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(
            _("该申请已处理（%(s)s），无需重复审批。") % {"s": leave.get_status_display()}
        )
    step = current_step(leave)
    if step is None:  # a leave from before the approval steps: staff decide it whole
        if not can_manage_leave(by):
            raise PermissionDenied(_("这一步不由您审批。"))
        return leave_decide(leave=leave, approve=approve, by=by, note=comment)
    step.leave = leave
    if not may_decide_step(by, step):
        raise PermissionDenied(_("这一步不由您审批。"))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(_("不批准时请填写理由，学员会看到。"))
    now = timezone.now()
    step.state = StepState.APPROVED if approve else StepState.REFUSED
    step.decided_by, step.decided_at, step.comment = by, now, comment[:300]
    step.full_clean()
    step.save()
    following = leave.approval_steps.filter(state=StepState.WAITING).order_by("order").first()
    if approve and following is not None:
        following.leave = leave
        _start(following, now)
        leave.decision_note = step.comment
        leave_decided_notify(
            leave=leave,
            by=by,
            step_label=_("第%(n)d步审批") % {"n": step.order},
            holder=leave_holder_label(leave),
        )
        return leave
    return leave_decide(leave=leave, approve=approve, by=by, note=comment)


def leave_steps_close(*, leave: LeaveRequest, by, approve: bool, note: str) -> None:
    """A decision on the whole leave (staff directly, or the last step) closes its steps."""
    now = timezone.now()
    leave.approval_steps.filter(state=StepState.PENDING).update(
        state=StepState.APPROVED if approve else StepState.REFUSED,
        decided_by=by,
        decided_at=now,
        comment=note[:300],
    )
    leave.approval_steps.filter(state=StepState.WAITING).update(state=StepState.SKIPPED)


def leave_steps_withdraw(*, leave: LeaveRequest) -> None:
    """A request its trainee withdrew needs no decision: its open steps are skipped."""
    leave.approval_steps.filter(state__in=[StepState.PENDING, StepState.WAITING]).update(
        state=StepState.SKIPPED
    )


@transaction.atomic
def leave_steps_pass_overdue(*, now: datetime.datetime | None = None) -> int:
    """Steps undecided past their camp's wait pass to staff (the daily job runs this)."""
    now = now or timezone.now()
    passed = 0
    steps = (
        LeaveApprovalStep.objects.select_for_update(of=("self",))
        .filter(state=StepState.PENDING, leave__status=LeaveStatus.PENDING)
        .exclude(role=ApproverRole.STAFF)
        .select_related("leave__trainee__camp", "leave__trainee__person", "leave__training_day")
    )
    for step in steps:
        wait = datetime.timedelta(hours=approval_policy(step.leave.trainee.camp).wait_hours)
        if step.started_at is None or step.started_at > now - wait:
            continue
        step.passed_from, step.role, step.started_at = step.role, ApproverRole.STAFF, now
        step.save(update_fields=["passed_from", "role", "started_at"])
        leave_requested_notify(leave=step.leave, approvers=step_holders(step))
        passed += 1
    return passed
