"""Leave: the trainee asks, staff decide, the trainee closes it (销假) after the day."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from curriculum.access import can_manage_leave
from curriculum.leave_coverage import leave_coverage, leave_halves_on
from curriculum.leave_events import leave_decided_notify
from curriculum.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    HalfDay,
    LeaveRequest,
    LeaveStatus,
    TrainingDay,
)
from curriculum.rate_selectors import ATTENDED
from trainees.access import is_self
from trainees.models import Trainee

from .attendance import attendance_changed, save_attendance_rows
from .leave_attachment import leave_attachment_check, leave_attachment_store
from .leave_attendance import DECIDED_AFTER_ROLL_CALL, leave_refused_mark_absences

OPEN_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)


def _overlaps(leave: LeaveRequest, others) -> bool:
    days = {leave.training_day.date, leave.end_day.date}
    for other in others:
        for day in days | {other.training_day.date, other.end_day.date}:
            if leave_halves_on(leave, day) & leave_halves_on(other, day):
                return True
    return False


def _nominal_half_days(leave: LeaveRequest) -> int:
    if not leave.is_span:
        return 1 if leave.half_day else 2
    days = leave.trainee.camp.training_days.filter(
        date__gte=leave.training_day.date, date__lte=leave.end_day.date
    ).count()
    return 2 * days - (leave.half_day == HalfDay.AFTERNOON) - (leave.last_half_day == "morning")


@transaction.atomic
def leave_request(
    *,
    trainee: Trainee,
    training_day: TrainingDay,
    half_day: str,
    reason: str,
    by,
    approve: bool = False,
    last_training_day: TrainingDay | None = None,
    last_half_day: str = "",
    attachment=None,
) -> LeaveRequest:
    """Ask for leave from a whole training day (`half_day` empty) or a half-day of it, or
    from consecutive training days up to `last_training_day` (from the first day's afternoon
    when `half_day` is afternoon, to the last day's morning when `last_half_day` is morning).

    The trainee asks for themself, for a day still to come or just past (within the camp's
    closing deadline after it). Staff may enter a request on a
    trainee's behalf (a phone call, a note from the unit), also for a day that has passed, and
    approve it at once (`approve`) or leave it pending like any other."""
    on_behalf = not is_self(by, trainee)
    if (on_behalf or approve) and not can_manage_leave(by):
        raise PermissionDenied(_("只有班级管理员可以代学员登记或直接批准请假。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写请假事由。"))
    note = leave_attachment_check(attachment) if attachment else None
    if training_day.camp_id != trainee.camp_id:
        raise ValidationError(_("该培训日不属于您所在的届次。"))
    for half in (half_day, last_half_day):
        if half and half not in (HalfDay.MORNING, HalfDay.AFTERNOON):
            raise ValidationError(_("请选择上午、下午或全天。"))
    if last_training_day is not None and last_training_day.pk == training_day.pk:
        last_training_day = None  # one day, asked for as a span of one
    if last_training_day is not None:
        if last_training_day.camp_id != trainee.camp_id:
            raise ValidationError(_("该培训日不属于您所在的届次。"))
        if last_training_day.date < training_day.date:
            raise ValidationError(_("最后一个培训日不能早于第一个培训日。"))
    elif last_half_day:
        raise ValidationError(_("只请一天时，请用“时段”选择上午、下午或全天。"))
    # A day just past may still be asked for (an emergency that morning), within the camp's
    # closing deadline; after that only staff record it.
    too_late = timezone.localdate() > trainee.camp.leave_close_due(training_day.date)
    if too_late and not on_behalf:
        raise ValidationError(_("培训日已过，不能再请假；如有特殊情况请联系班级管理员。"))
    leave = LeaveRequest(
        trainee=trainee,
        training_day=training_day,
        half_day=half_day or "",
        last_training_day=last_training_day,
        last_half_day=last_half_day or "",
        reason=reason,
    )
    last = leave.end_day.date
    others = LeaveRequest.objects.filter(
        trainee=trainee,
        status__in=OPEN_STATUSES,
        training_day__date__lte=last,
    ).select_related("training_day", "last_training_day")
    others = [o for o in others if o.end_day.date >= training_day.date]
    if _overlaps(leave, others):
        raise ValidationError(_("该时段已有请假申请，无需重复提交。"))
    leave.half_days = _nominal_half_days(leave)
    leave.full_clean()
    leave._history_user = by
    leave.save()
    if note is not None:
        leave_attachment_store(leave, *note)
    if approve:
        leave = leave_decide(leave=leave, approve=True, by=by, note=_("班级管理员代为登记"))
    else:
        from .leave_approval import leave_steps_start

        leave_steps_start(leave=leave)
        if training_day.date <= timezone.localdate():
            # Asked for after the session: an absence already marked waits for the decision.
            attendance_changed(camp=trainee.camp, trainee_ids=[trainee.pk], by=by)
    return leave


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, approve: bool, by, note: str = "") -> LeaveRequest:
    """Staff approve or refuse a pending request. An approved leave marks the trainee on leave
    for the sessions it covers; the trainee must close it by the camp's deadline."""
    leave = (
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (last_training_day).
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related(
            "trainee__camp", "trainee__person", "training_day__camp", "last_training_day"
        )
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
    leave.full_clean()
    leave._history_user = by
    leave.save()
    if approve:
        _mark_on_leave(leave, by, now)
        attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    elif leave_refused_mark_absences(leave=leave, by=by):
        attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    from .leave_approval import leave_steps_close

    leave_steps_close(leave=leave, by=by, approve=approve, note=leave.decision_note)
    leave_decided_notify(leave=leave, by=by)
    return leave


def _mark_on_leave(leave: LeaveRequest, by, now) -> None:
    sessions = [session.pk for session in leave_coverage([leave])[leave.pk]]
    existing = {
        a.session_id: a
        for a in Attendance.objects.filter(trainee=leave.trainee, session_id__in=sessions)
    }
    to_create, to_update = [], []
    for session_id in sessions:
        row = existing.get(session_id)
        if row is not None and row.status in ATTENDED:
            continue  # came after all: the record stands, and the leave is not charged for it
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
            if row.status == AttendanceStatus.ABSENT:
                row.note = DECIDED_AFTER_ROLL_CALL  # the absence mark stays in the history
            row.status = AttendanceStatus.ON_LEAVE
            row.source = AttendanceSource.LEAVE
            row.leave = leave
            row.recorded_by = by
            row.recorded_at = now
            to_update.append(row)
    save_attendance_rows(to_create, to_update, by=by)


@transaction.atomic
def leave_close(*, leave: LeaveRequest, by) -> LeaveRequest:
    """The trainee closes an approved leave (销假) once its last day has come."""
    leave = (
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (last_training_day).
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("training_day__camp", "last_training_day")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveStatus.APPROVED:
        raise ValidationError(_("只有已批准的请假才需要销假。"))
    if leave.closed_at is not None:
        raise ValidationError(_("已销假，无需重复操作。"))
    if leave.end_day.date > timezone.localdate():
        raise ValidationError(_("请假日期还未到，请在培训日之后再销假。"))
    leave.closed_at = timezone.now()
    leave._history_user = by
    leave.save(update_fields=["closed_at"])
    attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    return leave


@transaction.atomic
def leave_cancel(*, leave: LeaveRequest, by) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("training_day__camp")
        .get(pk=leave.pk)
    )
    if leave.status != LeaveStatus.PENDING:
        raise ValidationError(_("只能撤回待审批的申请；已批准的请假请联系班级管理员。"))
    leave.status = LeaveStatus.CANCELLED
    leave._history_user = by
    leave.save(update_fields=["status"])
    from .leave_approval import leave_steps_withdraw

    leave_steps_withdraw(leave=leave)
    if leave.training_day.date <= timezone.localdate():
        # An absence it held pending counts again.
        attendance_changed(camp=leave.training_day.camp, trainee_ids=[leave.trainee_id], by=by)
    return leave
