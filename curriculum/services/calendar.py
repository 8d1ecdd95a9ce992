"""The calendar of a camp: 24 training days on the 2nd and 4th Saturdays of its twelve months,
moved off public holidays and adjusted workdays, and moved by hand when staff decide."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp
from curriculum.models import (
    CalendarArrangement,
    DayVerification,
    LeaveRequest,
    MoveKind,
    Session,
    TrainingDay,
    TrainingDayMove,
)

from ..holidays import OfficialCalendar, OfficialDay, verification_of
from ..training_slots import slot_dates, span_saturdays
from .day_moves import (
    MoveNeedsConfirmation,
    fmt_date,
    move_day_sessions,
    move_flags,
    moved_to,
    planned_place,
    planner_reason,
)


@dataclass
class PlanReport:
    """What planning did, in sentences staff can read."""

    created: int = 0
    kept: int = 0
    unverified: int = 0
    moves: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        head = _("新建%(created)d天，保持%(kept)d天，未核验%(unverified)d天。") % {
            "created": self.created,
            "kept": self.kept,
            "unverified": self.unverified,
        }
        return [head, *self.moves, *self.changes, *self.warnings]


def _fingerprint(slot: OfficialDay, held: OfficialDay) -> str:
    if slot.date == held.date:
        return slot.check
    return f"{slot.check}|{held.check}"


def _nearest_free(
    slot: datetime.date, candidates: list[datetime.date], official: dict, taken: set
) -> datetime.date | None:
    free = [d for d in candidates if official[d].free and d not in taken]
    if not free:
        return None
    # Same month first; then the nearest; on a tie the earlier date.
    return min(
        free,
        key=lambda d: ((d.year, d.month) != (slot.year, slot.month), abs((d - slot).days), d),
    )


def _drop_stale_days(existing: dict, slots: set, report: PlanReport, by) -> None:
    """Days left from an earlier start month go, unless something already hangs on them."""
    stale = [day for slot, day in existing.items() if slot not in slots]
    if not stale:
        return
    if (
        Session.objects.filter(training_day__in=stale).exists()
        or LeaveRequest.objects.filter(training_day__in=stale).exists()
    ):
        raise ValidationError(
            _("开班月份已变更，但原有培训日上已有课程或请假，请先调整这些课程和请假后再重新排期。")
        )
    for day in stale:
        existing.pop(day.slot_date)
        day._history_user = by
        day.delete()
        report.changes.append(
            _("删除不在培训周期内的培训日：%(date)s") % {"date": fmt_date(day.date)}
        )
    # The days that stay take their place in the new order; out of the way first, as numbers
    # are unique within a camp.
    order = {slot: number for number, slot in enumerate(sorted(slots), start=1)}
    renumbered = [day for slot, day in existing.items() if day.number != order[slot]]
    for offset in (1000, 0):
        for day in renumbered:
            day.number = order[day.slot_date] + offset
            day._history_user = by
            day.save(update_fields=["number"])


def _replace_day(day: TrainingDay, values: dict, info: OfficialDay, *, by, report) -> list:
    """Save a re-placed day and say what changed; its sessions follow it."""
    old_date, was_unverified = day.date, day.is_unverified
    for name, value in values.items():
        setattr(day, name, value)
    day._history_user = by
    day.save()
    date = day.date
    if date == old_date:
        if was_unverified and not day.is_unverified:
            message = _("%(date)s已核验：%(what)s")
        else:
            message = _("%(date)s的日历数据已更新：%(what)s")
        report.changes.append(message % {"date": fmt_date(date), "what": info.describe()})
        return []
    reason = _("日历数据变化：%(slot)s现为%(what)s，由%(old)s%(moved)s") % {
        "slot": fmt_date(day.slot_date),
        "what": info.describe(),
        "old": fmt_date(old_date),
        "moved": moved_to(old_date, date),
    }
    move_day_sessions(day, old_date, by)
    report.changes.append(reason)
    return [
        TrainingDayMove(
            day=day,
            from_date=old_date,
            to_date=date,
            kind=MoveKind.REPLAN,
            reason=reason[:200],
            by=by,
        )
    ]


@transaction.atomic
def training_days_plan(*, camp: Camp, by) -> PlanReport:
    """Create the camp's 24 training days, or re-check them.

    Re-planning keeps every day staff moved by hand and every earlier move, unless what the
    official calendar says about the day has changed (new data for an unverified year, a
    staff-entered arrangement): such a day is placed again and the report says so."""
    camp = Camp.objects.select_for_update().get(pk=camp.pk)
    slots = slot_dates(camp)
    saturdays = span_saturdays(camp)
    calendar = OfficialCalendar(camp.start_date, camp.end_date)
    official: dict[datetime.date, OfficialDay] = {d: calendar.day(d) for d in saturdays}
    existing = {day.slot_date: day for day in camp.training_days.all()}
    report = PlanReport()
    _drop_stale_days(existing, set(slots), report, by)
    taken: set[datetime.date] = set()
    to_place: list[tuple[int, datetime.date]] = []

    for number, slot in enumerate(slots, start=1):
        day = existing.get(slot)
        if day is None:
            to_place.append((number, slot))
            continue
        held = official.get(day.date) or calendar.day(day.date)
        if day.locked:
            taken.add(day.date)
            report.kept += 1
            if held.lost:
                report.warnings.append(
                    _("%(date)s（人工确定）为%(what)s，请确认是否仍在该日培训。")
                    % {"date": fmt_date(day.date), "what": held.describe()}
                )
            continue
        if day.calendar_check == _fingerprint(official[slot], held):
            taken.add(day.date)
            report.kept += 1
            continue
        to_place.append((number, slot))

    # Days whose own Saturday is free stay there before any lost day looks for a new one.
    placements: dict[datetime.date, datetime.date] = {}
    for _number, slot in to_place:
        if official[slot].free and slot not in taken:
            placements[slot] = slot
            taken.add(slot)
    for _number, slot in to_place:
        if slot in placements:
            continue
        target = _nearest_free(slot, saturdays, official, taken)
        if target is None:
            report.warnings.append(
                _("%(date)s为%(what)s，培训周期内已无空闲周六，请人工调整。")
                % {"date": fmt_date(slot), "what": official[slot].describe()}
            )
            target = slot
        placements[slot] = target
        taken.add(target)

    new_days, moves, updates = [], [], []
    for number, slot in to_place:
        date = placements[slot]
        info = official[slot]
        held = official.get(date) or calendar.day(date)
        values = {
            "date": date,
            "verification": verification_of(info, held),
            # A staff confirmation was for the data as it was: new data replaces it.
            "confirmed_by": None,
            "confirmed_at": None,
            "confirm_reason": "",
            "conflict_kind": info.kind if info.lost else "",
            "conflict_name": info.name if info.lost else "",
            "move_reason": planner_reason(info, date),
            "calendar_check": _fingerprint(info, held),
        }
        day = existing.get(slot)
        if day is None:
            new_days.append(TrainingDay(camp=camp, number=number, slot_date=slot, **values))
            report.created += 1
            if date != slot:
                report.moves.append(values["move_reason"])
        else:
            updates.append((day, values, info))

    # Save re-placed days so that none lands on a date another one still holds.
    while updates:
        held_by = {day.date: day.pk for day, _values, _info in updates}
        ready = [u for u in updates if held_by.get(u[1]["date"], u[0].pk) == u[0].pk]
        if not ready:
            raise ValidationError(_("有培训日需要互换日期，无法自动调整，请人工调整后再重新核验。"))
        for update in ready:
            moves += _replace_day(*update, by=by, report=report)
            updates.remove(update)

    if new_days:
        created = bulk_create_with_history(new_days, TrainingDay, default_user=by)
        by_slot = {d.slot_date: d for d in TrainingDay.objects.filter(camp=camp)}
        for day in created:
            if day.date != day.slot_date:
                moves.append(
                    TrainingDayMove(
                        day=by_slot[day.slot_date],
                        from_date=day.slot_date,
                        to_date=day.date,
                        kind=MoveKind.CONFLICT,
                        reason=day.move_reason[:200],
                        by=by,
                    )
                )
    TrainingDayMove.objects.bulk_create(moves)
    report.unverified = camp.training_days.filter(verification=DayVerification.UNVERIFIED).count()
    camp_changed(camp_id=camp.pk)  # deductions count from the first training day
    return report


@transaction.atomic
def training_day_move(
    *,
    day: TrainingDay,
    to_date: datetime.date,
    by,
    reason: str,
    confirmed: Collection[str] = (),
    override_reason: str = "",
    today: datetime.date | None = None,
) -> TrainingDay:
    """Staff move a training day by hand. The day is then theirs: re-planning leaves it.

    A new date that is a holiday or an adjusted workday, in the past, or out of the days'
    order is flagged (`move_flags`): the move waits until staff confirm each flag by its code
    and say why (`override_reason`); both are kept with the move. A day moved back to where
    the planner put it is the planner's again, and its sessions lose the mark the move left."""
    day = TrainingDay.objects.select_for_update().select_related("camp").get(pk=day.pk)
    reason = (reason or "").strip()
    override_reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整原因。"))
    camp = day.camp
    if not camp.start_date <= to_date <= camp.end_date:
        raise ValidationError(
            _("新日期须在培训周期内（%(start)s至%(end)s）。")
            % {"start": fmt_date(camp.start_date), "end": fmt_date(camp.end_date)}
        )
    if to_date == day.date:
        raise ValidationError(_("新日期与原日期相同，无需调整。"))
    other = TrainingDay.objects.filter(camp=camp, date=to_date).exclude(pk=day.pk).first()
    if other is not None:
        raise ValidationError(
            _("%(date)s已是第%(n)d次培训日，请另选日期。")
            % {"date": fmt_date(to_date), "n": other.number}
        )
    calendar = OfficialCalendar(min(day.slot_date, to_date), max(day.slot_date, to_date))
    held = calendar.day(to_date)
    flags = move_flags(day=day, to_date=to_date, held=held, today=today or timezone.localdate())
    unconfirmed = {f.code for f in flags} - set(confirmed)
    if flags and (unconfirmed or not override_reason):
        changed = bool(unconfirmed) and bool(confirmed) and bool(override_reason)
        raise MoveNeedsConfirmation(flags, changed=changed)
    old_date = day.date
    slot = calendar.day(day.slot_date)
    day.date = to_date
    day.confirmed_by, day.confirmed_at, day.confirm_reason = None, None, ""
    if to_date == planned_place(day) and not held.lost:
        day.locked = False
        day.move_reason = planner_reason(slot, to_date)
        day.verification = verification_of(slot, held)
    else:
        day.locked = True
        day.move_reason = reason[:200]
        day.verification = verification_of(held)
    day.full_clean()
    day._history_user = by
    day.save()
    TrainingDayMove.objects.create(
        day=day,
        from_date=old_date,
        to_date=to_date,
        kind=MoveKind.MANUAL,
        reason=reason,
        by=by,
        flags=" ".join(f.message for f in flags)[:300],
        override_reason=override_reason[:200] if flags else "",
    )
    move_day_sessions(day, old_date, by)
    camp_changed(camp_id=camp.pk)
    return day


@transaction.atomic
def training_day_confirm(*, day: TrainingDay, by, reason: str) -> TrainingDay:
    """Staff confirm a day no holiday data covers (e.g. from a notice the State Council has
    just published), with what they rely on. It verifies that day only."""
    day = TrainingDay.objects.select_for_update().get(pk=day.pk)
    reason = (reason or "").strip()
    if not day.is_unverified:
        raise ValidationError(
            _("该培训日已核验（%(source)s），无需人工确认。")
            % {"source": day.get_verification_display()}
        )
    if not reason:
        raise ValidationError(_("请填写确认依据，例如：国务院办公厅关于节假日安排的通知。"))
    day.verification = DayVerification.CONFIRMED
    day.confirmed_by = by
    day.confirmed_at = timezone.now()
    day.confirm_reason = reason[:200]
    day.full_clean()
    day._history_user = by
    day.save(update_fields=["verification", "confirmed_by", "confirmed_at", "confirm_reason"])
    return day


@transaction.atomic
def calendar_arrangement_create(*, date: datetime.date, kind: str, name: str, by):
    """Staff enter one date of the State Council's arrangement. It overrides the package; run
    the planning again to apply it to the camps' days."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写节日名称，例如：春节。"))
    if CalendarArrangement.objects.filter(date=date).exists():
        raise ValidationError(
            _("%(date)s已录入安排；如需更改，请先删除该条再重新录入。") % {"date": fmt_date(date)}
        )
    arrangement = CalendarArrangement(date=date, kind=kind, name=name, entered_by=by)
    arrangement.full_clean()
    arrangement._history_user = by
    arrangement.save()
    return arrangement


@transaction.atomic
def calendar_arrangement_delete(*, arrangement: CalendarArrangement, by) -> None:
    """Staff withdraw an entry made in error. The history keeps what it said and who removed
    it. Days planned on it keep their dates until the planning runs again: re-planning sees
    that the calendar data for them changed and places them anew (locked days excepted)."""
    arrangement = CalendarArrangement.objects.select_for_update().get(pk=arrangement.pk)
    arrangement._history_user = by
    arrangement.delete()
