"""Leave: the trainee asks, staff decide, the trainee closes it (销假) after the day."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.access import has_role
from camp.roles import Role
from curriculum.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    HalfDay,
    LeaveRequest,
    LeaveStatus,
    Session,
    TrainingDay,
)
from trainees.access import is_self
from trainees.models import Trainee

from .attendance import attendance_changed, save_attendance_rows
from .day_moves import LEAVE_CLOSE_DAYS

OPEN_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


def _sessions_covered(leave: LeaveRequest):
    sessions = Session.objects.filter(training_day=leave.training_day, attendance_required=True)
    if leave.half_day:
        sessions = sessions.filter(half_day=leave.half_day)
    trainee = leave.trainee
    return sessions.filter(Q(group__isnull=True) | Q(group_id=trainee.group_id))


@transaction.atomic
def leave_request(
    *,
    trainee: Trainee,
    training_day: TrainingDay,
    half_day: str,
    reason: str,
    by,
    approve: bool = False,
) -> LeaveRequest:
    """Ask for leave from a whole training day (`half_day` empty) or a half-day of it.

    The trainee asks for themself, for a day still to come. Staff may enter a request on a
    trainee's behalf (a phone call, a note from the unit), also for a day that has passed, and
    approve it at once (`approve`) or leave it pending like any other."""
    on_behalf = not is_self(by, trainee)
    if (on_behalf or approve) and not has_role(by, Role.STAFF):
        raise PermissionDenied(_("只有班级管理员可以代学员登记或直接批准请假。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写请假事由。"))
    if training_day.camp_id != trainee.camp_id:
        raise ValidationError(_("该培训日不属于您所在的届次。"))
    if half_day and half_day not in (HalfDay.MORNING, HalfDay.AFTERNOON):
        raise ValidationError(_("请选择上午、下午或全天。"))
    if training_day.date < timezone.localdate() and not on_behalf:
        raise ValidationError(_("培训日已过，不能再请假；如有特殊情况请联系班级管理员。"))
    overlapping = LeaveRequest.objects.filter(
        trainee=trainee, training_day=training_day, status__in=OPEN_STATUSES
    )
    if half_day:
        overlapping = overlapping.filter(Q(half_day="") | Q(half_day=half_day))
    if overlapping.exists():
        raise ValidationError(_("该时段已有请假申请，无需重复提交。"))
    leave = LeaveRequest(
        trainee=trainee,
        training_day=training_day,
        half_day=half_day or "",
        half_days=1 if half_day else 2,
        reason=reason,
    )
    leave.full_clean()
    leave._history_user = by
    leave.save()
    if approve:
        leave = leave_decide(leave=leave, approve=True, by=by, note=_("班级管理员代为登记"))
    return leave


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, approve: bool, by, note: str = "") -> LeaveRequest:
    """Staff approve or refuse a pending request. An approved leave marks the trainee on leave
    for the sessions it covers and sets the day by which they must close it."""
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("trainee", "training_day")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(
            _("该申请已处理（%(s)s），无需重复审批。") % {"s": leave.get_status_display()}
        )
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError(_("不批准时请填写理由，学员会看到。"))
    now = timezone.now()
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_by = by
    leave.decided_at = now
    leave.decision_note = note[:300]
    if approve:
        leave.close_due_on = leave.training_day.date + datetime.timedelta(days=LEAVE_CLOSE_DAYS)
    leave.full_clean()
    leave._history_user = by
    leave.save()
    if approve:
        _mark_on_leave(leave, by, now)
        attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    return leave


def _mark_on_leave(leave: LeaveRequest, by, now) -> None:
    sessions = list(_sessions_covered(leave).values_list("pk", flat=True))
    existing = {
        a.session_id: a
        for a in Attendance.objects.filter(trainee=leave.trainee, session_id__in=sessions)
    }
    to_create, to_update = [], []
    for session_id in sessions:
        row = existing.get(session_id)
        if row is None:
            to_create.append(
                Attendance(
                    session_id=session_id,
                    trainee=leave.trainee,
                    status=AttendanceStatus.ON_LEAVE,
                    source=AttendanceSource.LEAVE,
                    leave=leave,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        else:
            row.status = AttendanceStatus.ON_LEAVE
            row.source = AttendanceSource.LEAVE
            row.leave = leave
            row.recorded_by = by
            row.recorded_at = now
            to_update.append(row)
    save_attendance_rows(to_create, to_update, by=by)


@transaction.atomic
def leave_close(*, leave: LeaveRequest, by) -> LeaveRequest:
    """The trainee closes an approved leave (销假) once the day has come."""
    leave = (
        LeaveRequest.objects.select_for_update()
        .select_related("training_day__camp")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveStatus.APPROVED:
        raise ValidationError(_("只有已批准的请假才需要销假。"))
    if leave.closed_at is not None:
        raise ValidationError(_("已销假，无需重复操作。"))
    if leave.training_day.date > timezone.localdate():
        raise ValidationError(_("请假日期还未到，请在培训日之后再销假。"))
    leave.closed_at = timezone.now()
    leave._history_user = by
    leave.save(update_fields=["closed_at"])
    attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    return leave


@transaction.atomic
def leave_cancel(*, leave: LeaveRequest, by) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(_("只能撤回待审批的申请；已批准的请假请联系班级管理员。"))
    leave.status = LeaveStatus.CANCELLED
    leave._history_user = by
    leave.save(update_fields=["status"])
    return leave
