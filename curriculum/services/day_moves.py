"""What moving a training day means: the checks on the new date, the words for the move, and
what the day's sessions tell trainees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from curriculum.models import (
    Attendance,
    LeaveRequest,
    LeaveStatus,
    MoveKind,
    Session,
    TrainingDay,
)

from ..holidays import OfficialDay
from .attendance import attendance_changed

NOTE_SEPARATOR = "；"


def fmt_date(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def moved_to(from_date: datetime.date, to_date: datetime.date) -> str:
    """The words for a move, 提前至X or 顺延至X, matching its direction."""
    if to_date < from_date:
        return _("提前至%(date)s") % {"date": fmt_date(to_date)}
    return _("顺延至%(date)s") % {"date": fmt_date(to_date)}


@dataclass(frozen=True)
class MoveFlag:
    """Something about a new date staff must see before they move a day there. `code` is
    what a confirmation names, so that confirming one warning does not pass another."""

    code: str
    message: str


class MoveNeedsConfirmation(ValidationError):
    """A move the checks flagged: it waits for staff to confirm `flags` with a reason.
    `changed` says staff did confirm, but other flags than the ones now raised."""

    def __init__(self, flags: list[MoveFlag], *, changed: bool):
        self.flags = flags
        if changed:
            ask = _("提示内容已变化，请核对后重新勾选确认。")
        else:
            ask = _("确需调整的，请勾选“仍按此日期调整”并填写理由。")
        super().__init__([*(f.message for f in flags), ask])


def move_flags(
    *, day: TrainingDay, to_date: datetime.date, held: OfficialDay, today: datetime.date
) -> list[MoveFlag]:
    flags = []
    if held.lost:
        flags.append(
            MoveFlag(
                "calendar",
                _("%(date)s为%(what)s。") % {"date": fmt_date(to_date), "what": held.describe()},
            )
        )
    if to_date < today:
        flags.append(
            MoveFlag(
                "past",
                _("%(date)s已经过去（今天是%(today)s）。")
                % {"date": fmt_date(to_date), "today": fmt_date(today)},
            )
        )
    # A day that was held has its attendance taken; one moved to a past date by mistake and
    # moved back has none, and is not flagged.
    if day.date < today and Attendance.objects.filter(session__training_day=day).exists():
        flags.append(
            MoveFlag(
                "held",
                _("第%(n)d次培训（%(date)s）已经举行并记录了考勤，考勤将随之改期。")
                % {"n": day.number, "date": fmt_date(day.date)},
            )
        )
    neighbours = TrainingDay.objects.filter(camp_id=day.camp_id).exclude(pk=day.pk)
    before = neighbours.filter(number__lt=day.number).order_by("-number").first()
    after = neighbours.filter(number__gt=day.number).order_by("number").first()
    where = None
    if before and to_date <= before.date:
        where = _("第%(m)d次（%(date)s）之前") % {"m": before.number, "date": fmt_date(before.date)}
    elif after and to_date >= after.date:
        where = _("第%(m)d次（%(date)s）之后") % {"m": after.number, "date": fmt_date(after.date)}
    if where:
        flags.append(
            MoveFlag(
                "order",
                _("第%(n)d次培训将排在%(where)s，培训日的先后顺序会被打乱。")
                % {"n": day.number, "where": where},
            )
        )
    return flags


def planned_place(day: TrainingDay) -> datetime.date:
    """Where the planner put the day: its last move not made by hand, else its own Saturday.
    A day staff move back there is the planner's again."""
    move = day.moves.exclude(kind=MoveKind.MANUAL).order_by("-at", "-pk").first()
    return day.slot_date if move is None else move.to_date


def planner_reason(slot: OfficialDay, date: datetime.date) -> str:
    """Why the planner holds a day elsewhere than its Saturday; empty when it does not."""
    if date == slot.date:
        return ""
    return _("原定%(slot)s为%(what)s，%(moved)s") % {
        "slot": fmt_date(slot.date),
        "what": slot.describe(),
        "moved": moved_to(slot.date, date),
    }


def _date_note(origin: datetime.date, date: datetime.date) -> str:
    return _("日期由%(old)s%(moved)s") % {"old": fmt_date(origin), "moved": moved_to(origin, date)}


def _renoted(session: Session, old_date: datetime.date, now) -> None:
    """Replace the session's note about its day's move. Trainees were given `moved_from`
    (or the old date, at the first move); back there, the mark about the date goes, and the
    session is unmarked unless something else about it changed."""
    origin = session.moved_from or old_date
    others = [
        part
        for part in session.change_note.split(NOTE_SEPARATOR)
        if part and part != _date_note(origin, old_date)
    ]
    if session.date == origin:
        session.moved_from = None
        if not others:
            session.changed_at = None
    else:
        session.moved_from = origin
        others.append(_date_note(origin, session.date))
        session.changed_at = now
    session.change_note = NOTE_SEPARATOR.join(others)[:300]


def move_day_sessions(day: TrainingDay, old_date: datetime.date, by) -> None:
    """A day that moves takes its sessions with it (and so its leave, whose deadline is derived
    from the day), and trainees see the sessions as changed until the day is back where they
    were told."""
    now = timezone.now()
    sessions = list(Session.objects.filter(training_day=day))
    for session in sessions:
        session.date = day.date
        _renoted(session, old_date, now)
    if sessions:
        bulk_update_with_history(
            sessions,
            Session,
            ["date", "changed_at", "change_note", "moved_from"],
            default_user=by,
        )
    leaves = LeaveRequest.objects.filter(training_day=day, status=LeaveStatus.APPROVED).exists()
    if sessions or leaves:
        # Deductions are dated by the day: they move with it.
        attendance_changed(camp=day.camp, by=by)
