"""The attendance deductions the records call for (services/attendance.py's module docstring
gives the rules): one per event and item, positive amounts, read from the curriculum's
attendance and leave and the camp's scheme. The sync that writes them is
services/attendance.py's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp

from .default_scheme import ATTENDANCE_ITEM, LEAVE_ITEM
from .models import Scheme


@dataclass(frozen=True)
class Deduction:
    trainee_id: int
    item_number: int
    key: str
    points: Decimal
    date: datetime.date
    reason: str


def _half_day_label(half_day: str) -> str:
    return {"morning": _("上午"), "afternoon": _("下午")}.get(half_day, "")


def attendance_deductions_due(
    *, camp: Camp, scheme: Scheme, trainee_ids=None, today: datetime.date | None = None
) -> list[Deduction]:
    """The attendance deductions the records call for today (positive amounts, one per event
    and item). Zero figures produce no entry."""
    from curriculum.leave_coverage import leave_charged_sessions, leave_coverage
    from curriculum.models import Attendance, AttendanceStatus, LeaveRequest, LeaveStatus

    today = today or timezone.localdate()
    due: list[Deduction] = []
    attendance = Attendance.objects.filter(
        trainee__camp=camp,
        session__camp=camp,
        session__attendance_required=True,
        session__date__lte=today,
        status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY],
    )
    leave = LeaveRequest.objects.filter(
        trainee__camp=camp, status=LeaveStatus.APPROVED
    ).select_related("trainee", "training_day", "last_training_day")
    pending = LeaveRequest.objects.filter(
        trainee__camp=camp, status=LeaveStatus.PENDING, training_day__date__lte=today
    ).select_related("trainee", "training_day", "last_training_day")
    if trainee_ids is not None:
        attendance = attendance.filter(trainee_id__in=list(trainee_ids))
        leave = leave.filter(trainee_id__in=list(trainee_ids))
        pending = pending.filter(trainee_id__in=list(trainee_ids))
    # A leave still pending when its session happened makes that absence pending, not 旷课,
    # until it is decided: a refusal marks it absent again, an approval charges it as leave.
    pending = list(pending)
    covered = leave_coverage(pending) if pending else {}
    awaiting = {
        (request.trainee_id, session.pk)
        for request in pending
        for session in covered.get(request.pk, [])
    }
    # Membership: a session before admission or after withdrawal is none of the trainee's.
    attendance = attendance.filter(session__date__gte=F("trainee__admitted_on")).filter(
        Q(trainee__withdrawn_on__isnull=True) | Q(session__date__lte=F("trainee__withdrawn_on"))
    )

    for (
        pk,
        trainee_id,
        session_id,
        status,
        day,
        half_day,
        half_days,
        topic,
    ) in attendance.values_list(
        "pk",
        "trainee_id",
        "session_id",
        "status",
        "session__date",
        "session__half_day",
        "session__counts_as_half_days",
        "session__topic",
    ):
        when = f"{day:%Y-%m-%d}{_half_day_label(half_day)}《{topic}》"
        if status == AttendanceStatus.ABSENT:
            if (trainee_id, session_id) in awaiting:
                continue
            weight = Decimal(half_days or 1)
            reason = _("旷课 %(n)s 个半天：%(when)s") % {"n": half_days or 1, "when": when}
            for number, figure in (
                (ATTENDANCE_ITEM, scheme.absence_item1_points),
                (LEAVE_ITEM, scheme.absence_item12_points),
            ):
                due.append(
                    Deduction(trainee_id, number, f"attendance:{pk}", figure * weight, day, reason)
                )
        else:
            label = _("迟到") if status == AttendanceStatus.LATE else _("早退")
            due.append(
                Deduction(
                    trainee_id,
                    ATTENDANCE_ITEM,
                    f"attendance:{pk}",
                    scheme.late_item1_points,
                    day,
                    f"{label}：{when}",
                )
            )

    leaves = list(leave)
    charged = leave_charged_sessions(leaves, up_to=today)
    for request in leaves:
        for session in charged.get(request.pk, []):
            n = session.counts_as_half_days
            when = f"{session.date:%Y-%m-%d}{_half_day_label(session.half_day)}《{session.topic}》"
            due.append(
                Deduction(
                    request.trainee_id,
                    ATTENDANCE_ITEM,
                    f"leave:{request.pk}:{session.pk}",
                    scheme.leave_item1_points * Decimal(n),
                    session.date,
                    _("请假 %(n)d 个半天：%(when)s") % {"n": n, "when": when},
                )
            )
        last_day = request.end_day.date
        deadline = camp.leave_close_due(last_day)
        closed_at = request.closed_at
        closed_on = timezone.localdate(closed_at) if closed_at is not None else None
        late = (closed_on is None and today > deadline) or (closed_on and closed_on > deadline)
        # Not for a leave that ended before admission, nor one due after withdrawal.
        member = last_day >= request.trainee.admitted_on and _belonged(
            request.trainee, deadline + datetime.timedelta(days=1)
        )
        if late and member:
            due.append(
                Deduction(
                    request.trainee_id,
                    LEAVE_ITEM,
                    f"leave-unclosed:{request.pk}",
                    scheme.unclosed_leave_item12_points,
                    deadline + datetime.timedelta(days=1),
                    _("%(day)s 的请假未在 %(deadline)s 前销假")
                    % {"day": f"{last_day:%Y-%m-%d}", "deadline": f"{deadline:%Y-%m-%d}"},
                )
            )
    return [deduction for deduction in due if deduction.points > 0]


def _belonged(trainee, day: datetime.date) -> bool:
    return trainee.admitted_on <= day and (
        trainee.withdrawn_on is None or day <= trainee.withdrawn_on
    )
