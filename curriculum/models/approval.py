"""Who approves a leave: the camp's steps (a policy per camp) and each leave's steps.

By default (issue 16): one half-day session → the counselor of the trainee's group on the day
of the decision (staff for a trainee without a group); up to one training day → staff; more →
staff, then the organization department. A step undecided for `wait_hours` passes to staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from camp.models import Camp

from .attendance import LeaveRequest


class ApproverRole(models.TextChoices):
    COUNSELOR = "counselor", _("小组辅导员")
    STAFF = "staff", _("党校管理员")
    ORGDEPT = "orgdept", _("组织部")


def half_day_default() -> list[str]:
    return [ApproverRole.COUNSELOR.value]


def one_day_default() -> list[str]:
    return [ApproverRole.STAFF.value]


def longer_default() -> list[str]:
    return [ApproverRole.STAFF.value, ApproverRole.ORGDEPT.value]


class LeaveApprovalPolicy(models.Model):
    """The camp's approval steps, by the leave's length: a list of roles, in order."""

    camp = models.OneToOneField(
        Camp, on_delete=models.CASCADE, related_name="leave_approval_policy"
    )
    half_day_steps = models.JSONField(_("半天请假的审批步骤"), default=half_day_default)
    one_day_steps = models.JSONField(_("一天以内请假的审批步骤"), default=one_day_default)
    longer_steps = models.JSONField(
        _("一天以上请假的审批步骤"),
        default=longer_default,
    )
    wait_hours = models.PositiveSmallIntegerField(
        _("单步审批时限（小时）"),
        default=48,
        help_text=_("超过这么多小时未审批的步骤转交党校管理员。"),
    )

    class Meta:
        verbose_name = _("请假审批设置")
        verbose_name_plural = _("请假审批设置")

    def __str__(self) -> str:
        return str(self.camp)

    def steps_for(self, half_days: int) -> list[str]:
        if half_days <= 1:
            return list(self.half_day_steps)
        if half_days <= 2:
            return list(self.one_day_steps)
        return list(self.longer_steps)


class StepState(models.TextChoices):
    WAITING = "waiting", _("未开始")
    PENDING = "pending", _("审批中")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")
    SKIPPED = "skipped", _("无需审批")


class LeaveApprovalStep(models.Model):
    """One step of one leave: who holds it (a role; the counselor is the group's on the day of
    the decision), and who decided it, when, with what comment."""

    leave = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="approval_steps")
    order = models.PositiveSmallIntegerField()
    role = models.CharField(_("审批人"), max_length=20, choices=ApproverRole.choices)
    state = models.CharField(
        _("状态"), max_length=20, choices=StepState.choices, default=StepState.WAITING
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Set when the step passed to staff for waiting too long (the role it had before).
    passed_from = models.CharField(
        _("转交前审批人"), max_length=20, choices=ApproverRole.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("请假审批步骤")
        verbose_name_plural = _("请假审批步骤")
        ordering = ["leave", "order"]
        constraints = [
            models.UniqueConstraint(fields=["leave", "order"], name="leave_step_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.leave_id} #{self.order} {self.role}"
