"""Attendance becomes deductions automatically (scheme document, "Attendance into deductions").

The curriculum app records attendance per session and leave per training day; this module turns
them into ScoreEntry rows with source `attendance`, one per event, dated the day it happened:
- an absence without approved leave (旷课): per half-day on item 1 and on item 12;
- late or left early: per occurrence on item 1;
- approved leave: per half-day session it covers (`curriculum.leave_coverage`) on item 1, one
  entry per session, dated the session's day; never for a session still to come or one the
  trainee attended;
- leave not closed (未销假) within the camp's deadline (`Camp.leave_close_days`, the one the
  leave pages show) after its last day: on item 12, dated the day after the deadline.
Only sessions during the trainee's membership (admitted_on .. withdrawn_on) are charged.
The figures come from the camp's scheme, so staff may change them per camp.

`attendance_deductions_sync` recomputes the entries a trainee should have and brings the table
in line: new events are created, changed ones edited, and entries whose event went away (an
absence corrected to present, a leave cancelled) deleted. Each entry's `source_key` names its
event, so running it twice changes nothing. Every write is in the history (bulk writes through
`bulk_*_with_history`), with the reason "考勤同步".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp
from camp.services.camps import camp_leave_deadline_set

from ..default_scheme import ATTENDANCE_ITEM, LEAVE_ITEM
from ..models import AssessmentItem, Scheme, ScoreEntry, Source

SYNC_REASON = "考勤同步"


@dataclass(frozen=True)
class Deduction:
    trainee_id: int
    item_number: int
    key: str
    points: Decimal
    date: datetime.date
    reason: str


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _half_day_label(half_day: str) -> str:
    return {"morning": _("上午"), "afternoon": _("下午")}.get(half_day, "")


def attendance_deductions_due(
    *, camp: Camp, scheme: Scheme, trainee_ids=None, today: datetime.date | None = None
) -> list[Deduction]:
    """The attendance deductions the records call for today (positive amounts, one per event
    and item). Zero figures produce no entry."""
    from curriculum.leave_coverage import leave_charged_sessions
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
    if trainee_ids is not None:
        attendance = attendance.filter(trainee_id__in=list(trainee_ids))
        leave = leave.filter(trainee_id__in=list(trainee_ids))
    # Membership: a session before admission or after withdrawal is none of the trainee's.
    attendance = attendance.filter(session__date__gte=F("trainee__admitted_on")).filter(
        Q(trainee__withdrawn_on__isnull=True) | Q(session__date__lte=F("trainee__withdrawn_on"))
    )

    for pk, trainee_id, status, day, half_day, half_days, topic in attendance.values_list(
        "pk",
        "trainee_id",
        "status",
        "session__date",
        "session__half_day",
        "session__counts_as_half_days",
        "session__topic",
    ):
        when = f"{day:%Y-%m-%d}{_half_day_label(half_day)}《{topic}》"
        if status == AttendanceStatus.ABSENT:
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


@transaction.atomic
def attendance_deductions_sync(
    *, camp: Camp, trainee_ids=None, by=None, today: datetime.date | None = None
) -> SyncResult:
    """Bring the attendance-sourced entries of the camp (or of some trainees) in line with the
    attendance and leave records. Idempotent; corrections edit or delete the entries."""
    scheme = Scheme.objects.select_for_update().filter(camp=camp).first()
    if scheme is None:
        return SyncResult()  # a camp made without camp_create has no scheme to deduct on
    items = {
        item.number: item
        for item in AssessmentItem.objects.filter(
            scheme=scheme, number__in=[ATTENDANCE_ITEM, LEAVE_ITEM]
        )
    }
    wanted = {
        (d.trainee_id, items[d.item_number].pk, d.key): d
        for d in attendance_deductions_due(
            camp=camp, scheme=scheme, trainee_ids=trainee_ids, today=today
        )
        if d.item_number in items
    }
    existing_qs = ScoreEntry.objects.select_for_update(of=("self",)).filter(
        trainee__camp=camp, source=Source.ATTENDANCE
    )
    if trainee_ids is not None:
        existing_qs = existing_qs.filter(trainee_id__in=list(trainee_ids))
    existing = {(e.trainee_id, e.item_id, e.source_key): e for e in existing_qs}

    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    for key, deduction in wanted.items():
        entry = existing.get(key)
        if entry is None:
            to_create.append(
                ScoreEntry(
                    trainee_id=deduction.trainee_id,
                    item=items[deduction.item_number],
                    points=deduction.points,
                    date=deduction.date,
                    reason=deduction.reason[:300],
                    source=Source.ATTENDANCE,
                    source_key=deduction.key,
                )
            )
        elif (entry.points, entry.date, entry.reason) != (
            deduction.points,
            deduction.date,
            deduction.reason[:300],
        ):
            entry.points = deduction.points
            entry.date = deduction.date
            entry.reason = deduction.reason[:300]
            entry.version += 1
            entry.updated_at = now
            to_update.append(entry)
    to_delete = [entry for key, entry in existing.items() if key not in wanted]

    if to_create:
        bulk_create_with_history(
            to_create, ScoreEntry, default_user=by, default_change_reason=SYNC_REASON
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            ["points", "date", "reason", "version", "updated_at"],
            default_user=by,
            default_change_reason=SYNC_REASON,
        )
    for entry in to_delete:
        entry._history_user = by
        entry._change_reason = _("考勤更正，撤销扣分")
        entry.delete()
    if to_create or to_update or to_delete:
        camp_changed(camp_id=camp.pk)
    return SyncResult(created=len(to_create), updated=len(to_update), deleted=len(to_delete))


ATTENDANCE_RULE_FIELDS = (
    "absence_item1_points",
    "absence_item12_points",
    "late_item1_points",
    "leave_item1_points",
    "unclosed_leave_item12_points",
)


@transaction.atomic
def attendance_rules_update(
    *, scheme: Scheme, figures: dict, leave_close_days: int, by
) -> SyncResult:
    """Save the scheme's attendance figures and the camp's leave deadline together, then bring
    every attendance deduction in line with them. The deadline is the camp's, not the scheme's:
    the leave pages show the same one."""
    for name in ATTENDANCE_RULE_FIELDS:
        setattr(scheme, name, figures[name])
    scheme.full_clean()
    scheme._history_user = by
    scheme.save(update_fields=list(ATTENDANCE_RULE_FIELDS))
    camp = scheme.camp
    if camp.leave_close_days != leave_close_days:
        camp = camp_leave_deadline_set(camp=camp, days=leave_close_days, by=by)
    return attendance_deductions_sync(camp=camp, by=by)
