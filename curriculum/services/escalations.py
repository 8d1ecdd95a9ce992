"""Absences escalated (预警). `escalations_sync` runs after every attendance change (the
ATTENDANCE_CHANGED_HOOKS) and is idempotent: it raises what the absences and the leave call for,
once each, and withdraws what an excuse has undone.

- an unexcused absence (旷课) → the group's counselor (staff for a trainee without one);
- a second one in the camp, or absences on two consecutive training days → staff;
- approved leave passing 1/7 of the year's half-days (the scheme's warning) → staff and orgdept.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.notifications.models import Kind
from camp.notifications.services import notify
from camp.roles import Role
from trainees.models import Trainee

from ..access import may_close_escalation
from ..leave_coverage import leave_coverage
from ..models import (
    Attendance,
    AttendanceStatus,
    Escalation,
    EscalationReason,
    EscalationState,
    LeaveRequest,
    LeaveStatus,
)
from ..selectors import leave_over_limit

COUNSELOR, STAFF, STAFF_AND_ORGDEPT = "counselor", "staff", "staff,orgdept"


def _users(*roles: str) -> list:
    return list(get_user_model().objects.filter(role__in=roles, is_active=True))


def _audience_users(trainee: Trainee, audience: str) -> list:
    if audience == COUNSELOR:
        counselor = trainee.group.counselor if trainee.group_id else None
        if counselor is not None and counselor.user is not None and counselor.user.is_active:
            return [counselor.user]
        return _users(Role.STAFF)
    return _users(*audience.split(","))


def _raise(trainee, reason, audience, attendance=None) -> Escalation | None:
    lookup = {"attendance": attendance} if attendance is not None else {"trainee": trainee}
    existing = Escalation.objects.filter(reason=reason, **lookup).first()
    if existing is not None:
        if existing.state == EscalationState.WITHDRAWN:  # absent again after all
            existing.state, existing.withdrawn_at = EscalationState.OPEN, None
            existing.save(update_fields=["state", "withdrawn_at"])
        return None
    escalation = Escalation.objects.create(
        trainee=trainee, reason=reason, audience=audience, attendance=attendance
    )
    detail = ""
    if attendance is not None:
        session = attendance.session
        detail = f"{session.date:%m-%d} {session.get_half_day_display()} {session.topic}"
    notify(
        users=_audience_users(trainee, audience),
        kind=Kind.ESCALATION,
        title=_("考勤预警：%(name)s %(reason)s")
        % {"name": trainee, "reason": escalation.get_reason_display()},
        body=detail,
        url=reverse("curriculum-escalations", args=[trainee.camp.code]),
    )
    return escalation


@transaction.atomic
def escalations_sync(*, camp, trainee_ids=None, by=None) -> None:
    trainees = Trainee.objects.filter(camp=camp).select_related(
        "person", "group__counselor__user", "camp"
    )
    if trainee_ids is not None:
        trainees = trainees.filter(pk__in=trainee_ids)
    trainees = list(trainees)
    absences = list(
        Attendance.objects.filter(
            trainee__in=trainees,
            status=AttendanceStatus.ABSENT,
            session__attendance_required=True,
        )
        .select_related("session")
        .order_by("session__date", "session__start_time", "pk")
    )
    # A leave still pending for the session: the absence waits for its decision (a refusal
    # marks it again, which syncs again).
    pending = LeaveRequest.objects.filter(
        trainee__in=trainees, status=LeaveStatus.PENDING
    ).select_related("trainee", "training_day", "last_training_day")
    trainee_of = {leave.pk: leave.trainee_id for leave in pending}
    waiting = {
        (trainee_of[pk], session.pk)
        for pk, sessions in leave_coverage(pending).items()
        for session in sessions
    }
    absences = [a for a in absences if (a.trainee_id, a.session_id) not in waiting]
    day_index = {
        date: n
        for n, date in enumerate(camp.training_days.order_by("date").values_list("date", flat=True))
    }
    by_trainee = {t.pk: t for t in trainees}
    seen_days: dict[int, set[int]] = {}
    count: dict[int, int] = {}
    for absence in absences:
        trainee = by_trainee[absence.trainee_id]
        _raise(trainee, EscalationReason.ABSENCE, COUNSELOR, absence)
        count[trainee.pk] = count.get(trainee.pk, 0) + 1
        if count[trainee.pk] == 2:
            _raise(trainee, EscalationReason.REPEATED, STAFF, absence)
        day = day_index.get(absence.session.date)
        days = seen_days.setdefault(trainee.pk, set())
        if day is not None and day - 1 in days:
            _raise(trainee, EscalationReason.CONSECUTIVE, STAFF, absence)
        if day is not None:
            days.add(day)
    # An excuse (approved leave, a corrected mark) withdraws what the absence raised.
    Escalation.objects.filter(trainee__in=trainees, attendance__isnull=False).exclude(
        attendance__status=AttendanceStatus.ABSENT
    ).exclude(state=EscalationState.WITHDRAWN).update(
        state=EscalationState.WITHDRAWN, withdrawn_at=timezone.now()
    )
    over = leave_over_limit(camp, Trainee.objects.filter(pk__in=[t.pk for t in trainees]))
    for trainee in over:
        _raise(by_trainee[trainee.pk], EscalationReason.LEAVE_LIMIT, STAFF_AND_ORGDEPT)


@transaction.atomic
def escalation_close(*, escalation: Escalation, by, talk_on, note: str) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not may_close_escalation(by, escalation):
        raise PermissionDenied
    if escalation.state != EscalationState.OPEN:
        raise ValidationError(_("该预警已处理或已撤销。"))
    if talk_on is None:
        raise ValidationError(_("请填写谈话日期。"))
    if talk_on > timezone.localdate():
        raise ValidationError(_("谈话日期不能晚于今天。"))
    escalation.talk_on = talk_on
    escalation.note = (note or "").strip()
    escalation.state = EscalationState.CLOSED
    escalation.closed_by = by
    escalation.closed_at = timezone.now()
    escalation.full_clean()
    escalation.save()
    return escalation
