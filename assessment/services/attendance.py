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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp
from camp.services.camps import camp_leave_deadline_set

from ..deduction_selectors import attendance_deductions_due
from ..default_scheme import ATTENDANCE_ITEM, LEAVE_ITEM
from ..models import AssessmentItem, Scheme, ScoreEntry, Source

SYNC_REASON = "考勤同步"


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


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
        touched = [entry.trainee_id for entry in (*to_create, *to_update, *to_delete)]
        camp_changed(camp_id=camp.pk, trainee_ids=touched)
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
