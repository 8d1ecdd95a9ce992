"""Attendance and leave: what the assessment app turns into deductions.

How the assessment reads them, with no guessing (see /work/shared/assessment-scheme.md):
- absence without approved leave (旷课), per half-day: `Attendance` rows with status `absent`,
  weighted by `session.counts_as_half_days`, for sessions with `attendance_required`;
- late / left early, per occurrence: `Attendance` rows with status `late` / `left_early`;
- approved leave, per half-day: the required sessions an approved `LeaveRequest` covers
  (`curriculum.leave_coverage`, the one place that says which), held by then, during
  membership, and not attended, weighted by `session.counts_as_half_days`;
- leave not closed within the camp's deadline (`Camp.leave_close_days`) after the day:
  approved `LeaveRequest` whose `closed_at` is empty past `close_due_on`, or later than it.
`assessment.deduction_selectors.attendance_deductions_due()` turns exactly these into
deductions.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trainees.models import Trainee

from .calendar import TrainingDay
from .sessions import HalfDay, Session


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    CANCELLED = "cancelled", _("已撤回")


class LeaveRequest(models.Model):
    """A trainee's request to miss a training day (`half_day` empty) or one half-day of it, or
    consecutive training days from `training_day` to `last_training_day`.

    A single-day leave leaves `last_training_day` empty. On a span, `half_day` = afternoon
    starts it at the first day's afternoon and `last_half_day` = morning ends it at the last
    day's morning; empty means the whole first / last day. `half_days` is the nominal count
    (2 a day), for display: what is charged is the sessions covered (`leave_coverage`). Once
    approved the trainee must close it (销假, `closed_at`) by `close_due_on`, the camp's
    `leave_close_days` after its last day. The due date is derived, never stored, so changing
    the camp's deadline moves every leave's.
    """

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="leave_requests", verbose_name=_("学员")
    )
    training_day = models.ForeignKey(
        TrainingDay,
        on_delete=models.CASCADE,
        related_name="leave_requests",
        verbose_name=_("培训日"),
    )
    half_day = models.CharField(
        _("时段"),
        max_length=20,
        choices=HalfDay.choices,
        blank=True,
        help_text=_("留空表示全天"),
    )
    last_training_day = models.ForeignKey(
        TrainingDay,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后一个培训日"),
        help_text=_("连续请多个培训日时填写；留空表示只请一天"),
    )
    last_half_day = models.CharField(
        _("最后一天时段"),
        max_length=20,
        choices=HalfDay.choices,
        blank=True,
        help_text=_("留空表示到最后一天下午"),
    )
    half_days = models.PositiveSmallIntegerField(_("半天数"), default=2, editable=False)
    reason = models.CharField(_("请假事由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=20, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("销假时间"), null=True, blank=True)
    # A doctor's note or the like (PDF or image), served only through the leave's access check.
    attachment = models.FileField(
        _("证明材料"), upload_to="leave-notes/%Y/%m/", max_length=300, blank=True
    )
    attachment_name = models.CharField(_("证明材料文件名"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("请假")
        verbose_name_plural = _("请假")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} {self.training_day}"

    @property
    def end_day(self) -> TrainingDay:
        return self.last_training_day or self.training_day

    @property
    def is_span(self) -> bool:
        return self.last_training_day_id is not None and (
            self.last_training_day_id != self.training_day_id
        )

    @property
    def close_due_on(self) -> datetime.date | None:
        """The last day to close an approved leave; reads `training_day__camp` and
        `last_training_day` (select them)."""
        if self.status != LeaveStatus.APPROVED:
            return None
        return self.training_day.camp.leave_close_due(self.end_day.date)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出勤")
    LATE = "late", _("迟到")
    LEFT_EARLY = "left_early", _("早退")
    ON_LEAVE = "on_leave", _("请假")
    ABSENT = "absent", _("缺勤")


class AttendanceSource(models.TextChoices):
    STAFF = "staff", _("管理员录入")
    CHECK_IN = "check_in", _("扫码签到")
    LEAVE = "leave", _("请假审批")


class Attendance(models.Model):
    """One trainee at one session. No row means not recorded yet, never "present".

    `absent` is an unexcused absence (旷课); an approved leave is `on_leave` with its `leave`.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("考勤"), max_length=20, choices=AttendanceStatus.choices)
    source = models.CharField(
        _("来源"), max_length=20, choices=AttendanceSource.choices, default=AttendanceSource.STAFF
    )
    leave = models.ForeignKey(
        LeaveRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("请假"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["trainee", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} {self.session} {self.get_status_display()}"
