"""Reads of the live roll call (issue 16 §4): the board staff watch during a session, and the
roll calls still open for the staff's to-do list."""

from __future__ import annotations

import datetime

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from trainees.models import Trainee

from .models import AttendanceStatus, RollCall, Session
from .rate_selectors import ATTENDED  # what counts as attended has one home

BOARD_COLUMNS = ("checked_in", "on_leave", "missing")


def roll_call_board(session: Session) -> dict:
    """Who of the session's trainees (its group's or the class's members on its day) has
    checked in, is on leave, or is missing (absent or not recorded yet). One query: the
    trainees left-joined with their attendance at this session."""
    trainees = Trainee.objects.members_on(session.date).filter(camp_id=session.camp_id)
    if session.group_id is not None:
        trainees = trainees.filter(group_id=session.group_id)
    rows = (
        trainees.annotate(
            mark=FilteredRelation("attendances", condition=Q(attendances__session=session))
        )
        .values("pk", "person__name", "group__number", "mark__status", "mark__recorded_at")
        .order_by("group__number", "person__name", "pk")
    )
    board: dict[str, list[dict]] = {column: [] for column in BOARD_COLUMNS}
    for row in rows:
        status = row["mark__status"]
        if status in ATTENDED:
            column = "checked_in"
        elif status == AttendanceStatus.ON_LEAVE:
            column = "on_leave"
        else:
            column = "missing"
        at = row["mark__recorded_at"] if column != "missing" else None
        board[column].append(
            {
                "name": row["person__name"],
                "group": row["group__number"],
                "status": status or "",
                "at": timezone.localtime(at).strftime("%H:%M") if at else "",
            }
        )
    board["counts"] = {column: len(board[column]) for column in BOARD_COLUMNS}
    return board


def open_roll_calls(camp, *, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Sessions held (ended by `now`) that count for attendance and whose roll call is still
    open, the latest first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    local = timezone.localtime(now)
    held = Q(date__lt=today) | Q(date=today, end_time__lte=local.time())
    return (
        Session.objects.filter(camp=camp, attendance_required=True)
        .filter(held)
        .exclude(Exists(RollCall.objects.filter(session=OuterRef("pk"))))
        .order_by("-date", "-start_time", "-pk")
    )


def roll_call_closed(session: Session) -> RollCall | None:
    """The session's closed roll call, or None while it is open."""
    return RollCall.objects.filter(session=session).select_related("closed_by").first()
