"""Absences escalated (预警): each escalation is a record, closed with its handling."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trainees.models import Trainee

from .attendance import Attendance


class EscalationReason(models.TextChoices):
    ABSENCE = "absence", _("旷课")
    REPEATED = "repeated", _("再次旷课")
    CONSECUTIVE = "consecutive", _("连续两个培训日旷课")
    LEAVE_LIMIT = "leave_limit", _("请假超过全年半天数的七分之一")


class EscalationState(models.TextChoices):
    OPEN = "open", _("待处理")
    CLOSED = "closed", _("已处理")
    WITHDRAWN = "withdrawn", _("已撤销")


class Escalation(models.Model):
    """Who was told (`audience`: counselor, staff, staff and orgdept) of what, and how it was
    handled: a talk held on a date and a note. An absence later excused withdraws it; the record
    stays, as withdrawn."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("学员")
    )
    reason = models.CharField(_("事由"), max_length=20, choices=EscalationReason.choices)
    audience = models.CharField(_("告知对象"), max_length=40)
    # The absence that raised it (empty for the leave limit); its excuse withdraws it.
    attendance = models.ForeignKey(
        Attendance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=EscalationState.choices, default=EscalationState.OPEN
    )
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)
    talk_on = models.DateField(_("谈话日期"), null=True, blank=True)
    note = models.TextField(_("处理记录"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    closed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考勤预警")
        verbose_name_plural = _("考勤预警")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One escalation per absence and reason; one leave-limit escalation per trainee.
            models.UniqueConstraint(
                fields=["attendance", "reason"],
                condition=models.Q(attendance__isnull=False),
                name="escalation_once_per_absence",
            ),
            models.UniqueConstraint(
                fields=["trainee"],
                condition=models.Q(reason="leave_limit"),
                name="escalation_leave_limit_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} {self.get_reason_display()}"
