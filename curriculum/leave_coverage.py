"""Which sessions a leave covers: the one answer the deductions, the 1/7 warning, the shortlist
and the trainee's schedule all read (scheme: "A leave covers the required sessions it spans").

A leave spans its days and half-days (models.attendance.LeaveRequest). It covers the trainee's
required sessions (the whole class's and their group's) that fall in that span. A session
counted as two half-days (a whole-day field trip) fills the morning and the afternoon, so a
leave of either half covers it. The evening belongs to the day, so a whole-day leave covers it.

What is charged is narrower (`leave_charged_sessions`): covered sessions that have taken place by
the day asked about, while the trainee belonged to the camp, and that they did not attend.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from trainees.membership import GroupTimeline
from trainees.models import Trainee

from .models import Attendance, AttendanceStatus, HalfDay, LeaveRequest, LeaveStatus, Session
from .rate_selectors import ATTENDED  # what counts as attended has one home

WHOLE_DAY = frozenset({HalfDay.MORNING, HalfDay.AFTERNOON, HalfDay.EVENING})


def leave_halves_on(leave: LeaveRequest, day: datetime.date) -> frozenset[str]:
    """The half-days of `day` the leave takes (empty when the day is outside it)."""
    first, last = leave.training_day.date, leave.end_day.date
    if day < first or day > last:
        return frozenset()
    if not leave.is_span:
        return frozenset({leave.half_day}) if leave.half_day else WHOLE_DAY
    halves = set(WHOLE_DAY)
    if day == first and leave.half_day == HalfDay.AFTERNOON:
        halves.discard(HalfDay.MORNING)
    if day == last and leave.last_half_day == HalfDay.MORNING:
        halves -= {HalfDay.AFTERNOON, HalfDay.EVENING}
    return frozenset(halves)


def _session_halves(session: Session) -> frozenset[str]:
    if session.counts_as_half_days >= 2 and session.half_day == HalfDay.MORNING:
        return frozenset({HalfDay.MORNING, HalfDay.AFTERNOON})
    return frozenset({session.half_day})


def leave_covers(
    leave: LeaveRequest,
    session: Session,
    trainee: Trainee | None = None,
    timeline: GroupTimeline | None = None,
) -> bool:
    """Whether the leave covers the session. A group's session is the trainee's if they were
    in that group on its date (`timeline`, the dated membership; without one, today's group)."""
    trainee = trainee or leave.trainee
    if not session.attendance_required or session.training_day_id is None:
        return False
    if session.camp_id != trainee.camp_id:
        return False
    if session.group_id is not None:
        group = trainee.group_id if timeline is None else timeline.on(trainee.pk, session.date)
        if session.group_id != group:
            return False
    return bool(leave_halves_on(leave, session.date) & _session_halves(session))


def _with_days(leaves: Iterable[LeaveRequest]) -> list[LeaveRequest]:
    """The leaves with their trainee and days at hand: those that came without them are
    fetched again, all in one query."""
    leaves = list(leaves)
    cached = ("trainee", "training_day", "last_training_day")
    missing = [
        leave.pk
        for leave in leaves
        if not all(name in leave._state.fields_cache for name in cached)
    ]
    if not missing:
        return leaves
    loaded = LeaveRequest.objects.select_related(*cached).in_bulk(missing)
    return [loaded.get(leave.pk, leave) for leave in leaves]


def leave_coverage(leaves: Iterable[LeaveRequest]) -> dict[int, list[Session]]:
    """Each leave's covered sessions, by date: one query for the sessions of all of them (the
    leaves come with `trainee`, `training_day` and `last_training_day` selected, or are
    fetched so in one more)."""
    leaves = _with_days(leaves)
    if not leaves:
        return {}
    first = min(leave.training_day.date for leave in leaves)
    last = max(leave.end_day.date for leave in leaves)
    camps = {leave.trainee.camp_id for leave in leaves}
    sessions = list(
        Session.objects.filter(
            camp_id__in=camps,
            attendance_required=True,
            training_day__isnull=False,
            date__gte=first,
            date__lte=last,
        ).order_by("date", "start_time", "pk")
    )
    timeline = None
    if any(session.group_id is not None for session in sessions):
        # A group's session: the group on its date, from the moves (one more query).
        timeline = GroupTimeline(
            None, {leave.trainee_id: leave.trainee.group_id for leave in leaves}
        )
    return {
        leave.pk: [s for s in sessions if leave_covers(leave, s, timeline=timeline)]
        for leave in leaves
    }


def _belonged(trainee: Trainee, day: datetime.date) -> bool:
    if trainee.admitted_on and day < trainee.admitted_on:
        return False
    return not (trainee.withdrawn_on and day > trainee.withdrawn_on)


def leave_charged_sessions(
    leaves: Iterable[LeaveRequest], *, up_to: datetime.date
) -> dict[int, list[Session]]:
    """Of each leave's covered sessions, those it is charged for as of `up_to`: held by then,
    while the trainee belonged, neither attended nor recorded as an unexcused absence (which
    is charged as such)."""
    leaves = {leave.pk: leave for leave in _with_days(leaves)}
    coverage = leave_coverage(leaves.values())
    session_ids = {s.pk for sessions in coverage.values() for s in sessions}
    trainee_ids = {leave.trainee_id for leave in leaves.values()}
    not_charged = set(
        Attendance.objects.filter(
            session_id__in=session_ids,
            trainee_id__in=trainee_ids,
            status__in=(*ATTENDED, AttendanceStatus.ABSENT),
        ).values_list("trainee_id", "session_id")
    )
    charged = {}
    for pk, sessions in coverage.items():
        trainee = leaves[pk].trainee
        charged[pk] = [
            s
            for s in sessions
            if s.date <= up_to
            and _belonged(trainee, s.date)
            and (trainee.pk, s.pk) not in not_charged
        ]
    return charged


def leave_half_days_charged(sessions: Iterable[Session]) -> int:
    return sum(session.counts_as_half_days for session in sessions)


def sessions_on_leave(trainee: Trainee) -> dict[int, LeaveRequest]:
    """The trainee's sessions covered by an approved or pending leave, with that leave (for
    the schedule: "请假（已批准）")."""
    leaves = LeaveRequest.objects.filter(
        trainee=trainee, status__in=(LeaveStatus.APPROVED, LeaveStatus.PENDING)
    ).select_related("trainee", "training_day", "last_training_day")
    by_pk = {leave.pk: leave for leave in leaves}
    covered: dict[int, LeaveRequest] = {}
    for pk, sessions in leave_coverage(by_pk.values()).items():
        leave = by_pk[pk]
        for session in sessions:
            # An approved leave says more than a pending one about the same session.
            if session.pk not in covered or leave.status == LeaveStatus.APPROVED:
                covered[session.pk] = leave
    return covered


__all__ = [
    "leave_charged_sessions",
    "leave_coverage",
    "leave_covers",
    "leave_half_days_charged",
    "leave_halves_on",
    "sessions_on_leave",
]
