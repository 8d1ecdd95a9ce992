"""The curriculum's part of the daily schedule (camp/notifications/reminders.py): tomorrow's
training day to trainees, roll calls still open to staff, leave waiting to its approvers."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.notifications.models import Kind
from camp.notifications.reminders import Due, register_reminder
from trainees.models import Trainee

from .leave_events import staff_users
from .models import LeaveRequest, LeaveStatus, Session
from .roll_call_selectors import open_roll_calls

# A roll call still open this long after its session is reminded about, each day for a week.
ROLL_CALL_GRACE = datetime.timedelta(hours=24)
ROLL_CALL_LOOKBACK_DAYS = 7
LEAVE_WAITING = datetime.timedelta(days=1)


def _session_line(session: Session) -> str:
    line = f"{session.start_time:%H:%M} {session.topic} · {session.place}"
    if session.off_site and session.assembly_place:
        assembly = f"{session.assembly_time:%H:%M} " if session.assembly_time else ""
        line += " · " + _("集合：%(at)s%(place)s") % {
            "at": assembly,
            "place": session.assembly_place,
        }
    return line


def training_day_tomorrow(camp, today: datetime.date) -> list[Due]:
    """Trainees with sessions tomorrow: time, place and (off-site) where to assemble."""
    tomorrow = today + datetime.timedelta(days=1)
    sessions = list(Session.objects.filter(camp=camp, date=tomorrow).order_by("start_time", "pk"))
    if not sessions:
        return []
    trainees = (
        Trainee.objects.filter(camp=camp, person__user__isnull=False, person__user__is_active=True)
        .active()
        .members_on(tomorrow)
        .select_related("person__user")
    )
    dues = []
    for trainee in trainees:
        mine = [s for s in sessions if s.group_id is None or s.group_id == trainee.group_id]
        if not mine:
            continue
        dues.append(
            Due(
                user=trainee.person.user,
                title=_("明日（%(day)s）培训安排") % {"day": f"{tomorrow:%m-%d}"},
                body="\n".join(_session_line(s) for s in mine)
                + "\n"
                + _("请携带学习笔记本和证件，按时签到。"),
                url=reverse("curriculum-session", args=[mine[0].pk]),
            )
        )
    return dues


def roll_calls_open_a_day_after(camp, today: datetime.date) -> list[Session]:
    """Roll calls not closed (curriculum/roll_call_selectors.py) whose session ended at least
    ROLL_CALL_GRACE before the end of `today`, within the last week."""
    end_of_today = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    since = today - datetime.timedelta(days=ROLL_CALL_LOOKBACK_DAYS)
    return list(
        open_roll_calls(camp, now=end_of_today - ROLL_CALL_GRACE)
        .filter(date__gte=since)
        .select_related("activity_kind")
        .order_by("date", "start_time")
    )


def roll_call_open(camp, today: datetime.date) -> list[Due]:
    sessions = roll_calls_open_a_day_after(camp, today)
    if not sessions:
        return []
    body = "\n".join(f"{s.date:%m-%d} {_session_line(s)}" for s in sessions)
    return [
        Due(
            user=user,
            title=_("%(n)d 场课程的点名尚未结束") % {"n": len(sessions)},
            body=body,
            url=reverse("curriculum-session-board", args=[sessions[0].pk]),
        )
        for user in staff_users()
    ]


def leave_waiting(camp, today: datetime.date) -> list[Due]:
    """Leave pending longer than a day, to whoever holds it (staff until approval steps)."""
    cutoff = timezone.now() - LEAVE_WAITING
    waiting = LeaveRequest.objects.filter(
        Q(trainee__camp=camp), status=LeaveStatus.PENDING, requested_at__lt=cutoff
    ).count()
    if not waiting:
        return []
    return [
        Due(
            user=user,
            title=_("%(n)d 条请假申请等待审批已超过一天") % {"n": waiting},
            url=reverse("curriculum-leave", args=[camp.code]),
        )
        for user in staff_users()
    ]


def leave_to_close(camp, today: datetime.date) -> list[Due]:
    """Approved leave whose last day has passed and which is not closed yet, to its trainee,
    each day until the camp's closing deadline."""
    leaves = (
        LeaveRequest.objects.filter(
            trainee__camp=camp, status=LeaveStatus.APPROVED, closed_at__isnull=True
        )
        .filter(
            Q(last_training_day__date__lt=today)
            | Q(last_training_day__isnull=True, training_day__date__lt=today)
        )
        .select_related("trainee__person__user", "training_day__camp", "last_training_day")
    )
    dues = []
    for leave in leaves:
        user = leave.trainee.person.user
        due = leave.close_due_on
        if user is None or due is None or due < today:
            continue
        dues.append(
            Due(
                user=user,
                title=_("请于 %(due)s 前销假") % {"due": f"{due:%Y-%m-%d}"},
                body=_("请假：%(day)s") % {"day": f"{leave.training_day.date:%m-%d}"},
                url=reverse("curriculum-leave", args=[camp.code]),
            )
        )
    return dues


def register() -> None:
    register_reminder(Kind.LEAVE_TO_CLOSE, leave_to_close)
    register_reminder(Kind.TRAINING_DAY_TOMORROW, training_day_tomorrow)
    register_reminder(Kind.ROLL_CALL_OPEN, roll_call_open)
    register_reminder(Kind.LEAVE_WAITING, leave_waiting)
