"""The calendar of a camp: 24 training days on the 2nd and 4th Saturdays of its twelve months,
moved off public holidays and adjusted workdays, and moved by hand when staff decide."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp
from curriculum.models import (
    CalendarArrangement,
    DayVerification,
    LeaveRequest,
    LeaveStatus,
    MoveKind,
    Session,
    TrainingDay,
    TrainingDayMove,
)

from .attendance import attendance_changed
from .holidays import OfficialCalendar, OfficialDay

SATURDAY = 5


def saturdays_of(year: int, month: int) -> list[datetime.date]:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(SATURDAY - first.weekday()) % 7)
    found = []
    while day.month == month:
        found.append(day)
        day += datetime.timedelta(days=7)
    return found


def camp_months(camp: Camp) -> list[tuple[int, int]]:
    months = []
    for index in range(12):
        month_index = camp.start_month - 1 + index
        months.append((camp.year + month_index // 12, month_index % 12 + 1))
    return months


def slot_dates(camp: Camp) -> list[datetime.date]:
    """The 2nd and 4th Saturday of each of the camp's twelve months: 24 dates."""
    slots = []
    for year, month in camp_months(camp):
        saturdays = saturdays_of(year, month)
        slots += [saturdays[1], saturdays[3]]
    return slots


def span_saturdays(camp: Camp) -> list[datetime.date]:
    return [d for year, month in camp_months(camp) for d in saturdays_of(year, month)]


def _fmt(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


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


def _move_day_sessions(day: TrainingDay, old_date: datetime.date, by) -> None:
    """A day that moves takes its sessions with it, and trainees see the sessions as changed.
    Its leave moves too (a leave hangs on the day, and its deadline is derived from it)."""
    now = timezone.now()
    note = _("日期由%(old)s调整为%(new)s") % {"old": _fmt(old_date), "new": _fmt(day.date)}
    sessions = list(Session.objects.filter(training_day=day))
    for session in sessions:
        session.date = day.date
        session.changed_at = now
        session.change_note = note
    if sessions:
        bulk_update_with_history(
            sessions, Session, ["date", "changed_at", "change_note"], default_user=by
        )
    leaves = LeaveRequest.objects.filter(training_day=day, status=LeaveStatus.APPROVED).exists()
    if sessions or leaves:
        # Deductions are dated by the day: they move with it.
        attendance_changed(camp=day.camp, by=by)


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
        report.changes.append(_("删除不在培训周期内的培训日：%(date)s") % {"date": _fmt(day.date)})
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
        report.changes.append(message % {"date": _fmt(date), "what": info.describe()})
        return []
    reason = _("日历数据变化：%(slot)s现为%(what)s，由%(old)s调整至%(new)s") % {
        "slot": _fmt(day.slot_date),
        "what": info.describe(),
        "old": _fmt(old_date),
        "new": _fmt(date),
    }
    _move_day_sessions(day, old_date, by)
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
                    % {"date": _fmt(day.date), "what": held.describe()}
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
                % {"date": _fmt(slot), "what": official[slot].describe()}
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
            "verification": (
                DayVerification.VERIFIED
                if info.known and held.known
                else DayVerification.UNVERIFIED
            ),
            "conflict_kind": info.kind if info.lost else "",
            "conflict_name": info.name if info.lost else "",
            "move_reason": (
                _("原定%(slot)s为%(what)s，调整至%(date)s")
                % {"slot": _fmt(slot), "what": info.describe(), "date": _fmt(date)}
                if date != slot
                else ""
            ),
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
def training_day_move(*, day: TrainingDay, to_date: datetime.date, by, reason: str) -> TrainingDay:
    """Staff move a training day by hand. The day is then theirs: re-planning leaves it."""
    day = TrainingDay.objects.select_for_update().select_related("camp").get(pk=day.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整原因。"))
    camp = day.camp
    if not camp.start_date <= to_date <= camp.end_date:
        raise ValidationError(
            _("新日期须在培训周期内（%(start)s至%(end)s）。")
            % {"start": _fmt(camp.start_date), "end": _fmt(camp.end_date)}
        )
    if to_date == day.date:
        raise ValidationError(_("新日期与原日期相同，无需调整。"))
    if TrainingDay.objects.filter(camp=camp, date=to_date).exclude(pk=day.pk).exists():
        raise ValidationError(_("%(date)s已有培训日，请另选日期。") % {"date": _fmt(to_date)})
    old_date = day.date
    held = OfficialCalendar(to_date, to_date).day(to_date)
    day.date = to_date
    day.locked = True
    day.move_reason = reason[:200]
    day.verification = DayVerification.VERIFIED if held.known else DayVerification.UNVERIFIED
    day.full_clean()
    day._history_user = by
    day.save()
    TrainingDayMove.objects.create(
        day=day, from_date=old_date, to_date=to_date, kind=MoveKind.MANUAL, reason=reason, by=by
    )
    _move_day_sessions(day, old_date, by)
    camp_changed(camp_id=camp.pk)
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
            _("%(date)s已录入安排；如需更改，请先删除该条再重新录入。") % {"date": _fmt(date)}
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
