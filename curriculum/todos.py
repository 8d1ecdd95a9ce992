"""The curriculum app's to-dos (camp/todos.py).

A trainee: a check-in open now, approved leave still to close, sessions awaiting their 评课.
A counselor: members they have not talked with for the camp's talk interval.
Staff: today's roll calls not yet taken, leave waiting for a decision, training days ahead whose
date is not verified, and roll calls of sessions held that are not closed."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.roles import Role
from camp.todos import Todo, register_todos
from trainees.access import counseled_groups_in
from trainees.models import Trainee
from trainees.todos import request_trainee

from .models import (
    ApproverRole,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    LeaveApprovalStep,
    LeaveRequest,
    LeaveStatus,
    Session,
    StepState,
)
from .models.calendar import DayVerification, TrainingDay
from .roll_call_selectors import open_roll_calls
from .selectors import trainee_sessions
from .services.attendance import SIGNED_IN, check_in_window

# Sessions older than this no longer ask for a rating on the home page: a 评课 is useful while
# the session is fresh in mind.
EVALUATION_DAYS = 30
# Sessions listed one by one; more are summed up in one line to the schedule.
EVALUATIONS_LISTED = 5


def _trainee_todos(request, camp) -> list[Todo]:
    trainee = request_trainee(request, camp)
    if trainee is None:
        return []
    now = timezone.now()
    today = timezone.localdate()
    sessions = list(
        trainee_sessions(trainee)
        .prefetch_related(None)
        .filter(date__gte=today - datetime.timedelta(days=EVALUATION_DAYS), date__lte=today)
        .exclude(evaluations__trainee=trainee)
        .order_by("-date", "-start_time", "-pk")
    )
    marks = dict(
        Attendance.objects.filter(trainee=trainee, session__in=sessions).values_list(
            "session_id", "status"
        )
    )
    todos = [
        Todo(
            label=_("签到进行中：%(topic)s") % {"topic": session.topic},
            detail=_("到场后扫描现场二维码签到，%(time)s 截止。")
            % {"time": timezone.localtime(check_in_window(session)[1]).strftime("%H:%M")},
            url=reverse("curriculum-session", args=[session.pk]),
            main=True,
        )
        for session in sessions
        if session.attendance_required
        and check_in_window(session)[0] <= now <= check_in_window(session)[1]
        and marks.get(session.pk) not in SIGNED_IN
    ]
    todos.extend(_leave_todos(trainee, camp, today))
    missed = {AttendanceStatus.ABSENT, AttendanceStatus.ON_LEAVE}
    due = [s for s in sessions if s.starts_at <= now and marks.get(s.pk) not in missed]
    todos.extend(
        Todo(
            label=_("待评课：%(topic)s") % {"topic": session.topic},
            detail=session.date.strftime("%Y-%m-%d"),
            url=reverse("curriculum-session", args=[session.pk]) + "#evaluate",
        )
        for session in due[:EVALUATIONS_LISTED]
    )
    if len(due) > EVALUATIONS_LISTED:
        todos.append(
            Todo(
                label=_("还有 %(n)d 节课待评课") % {"n": len(due) - EVALUATIONS_LISTED},
                url=reverse("curriculum-my-schedule"),
                count=len(due) - EVALUATIONS_LISTED,
            )
        )
    return todos


def _leave_todos(trainee: Trainee, camp, today: datetime.date) -> list[Todo]:
    to_close = list(
        LeaveRequest.objects.filter(
            trainee=trainee,
            status=LeaveStatus.APPROVED,
            closed_at__isnull=True,
            training_day__date__lte=today,
        )
        .select_related("training_day__camp")
        .order_by("training_day__date")
    )
    return [
        Todo(
            label=_("销假：%(day)s 的请假") % {"day": leave.training_day.date.strftime("%Y-%m-%d")},
            detail=_("请于 %(due)s 前销假，逾期按考核方案扣分。")
            % {"due": leave.close_due_on.strftime("%Y-%m-%d")},
            url=reverse("curriculum-leave", args=[camp.code]),
        )
        for leave in to_close
    ]


def _counselor_todos(request, camp) -> list[Todo]:
    """Members of the counselor's groups with no talk within the camp's interval, in one
    grouped query."""
    since = timezone.localdate() - datetime.timedelta(weeks=camp.talk_interval_weeks)
    members = (
        Trainee.objects.filter(camp=camp, group__in=counseled_groups_in(request.user, camp))
        .active()
        .annotate(last_talk=Max("talks__held_on"))
        .filter(Q(last_talk__isnull=True) | Q(last_talk__lt=since))
        .select_related("person")
        .order_by("person__name")
    )
    names = [trainee.person.name for trainee in members]
    if not names:
        return []
    return [
        Todo(
            label=_("%(weeks)d 周内未谈心谈话的组员") % {"weeks": camp.talk_interval_weeks},
            detail="、".join(names[:8]) + ("…" if len(names) > 8 else ""),
            url=reverse("curriculum-talks", args=[camp.code]),
            count=len(names),
        )
    ]


def _untaken_today(today) -> Q:
    """A session of today's training day whose roll call nobody has taken: nothing recorded,
    leaving out the rows an approved leave wrote in advance. It is a roll call to take
    (_staff_todos), not yet one to close (_roll_call_todos): one rule for both lists."""
    recorded = Attendance.objects.filter(session=OuterRef("pk")).exclude(
        source=AttendanceSource.LEAVE
    )
    return Q(date=today, training_day__isnull=False) & ~Exists(recorded)


def _staff_todos(request, camp) -> list[Todo]:
    # Leave staff may decide now: not while its current step is the organization department's.
    waiting = (
        LeaveRequest.objects.filter(trainee__camp=camp, status=LeaveStatus.PENDING)
        .exclude(
            Exists(
                LeaveApprovalStep.objects.filter(
                    leave=OuterRef("pk"), state=StepState.PENDING, role=ApproverRole.ORGDEPT
                )
            )
        )
        .count()
    )
    today = timezone.localdate()
    # One query for the days ahead: how many are unverified, and whether today is one.
    days = TrainingDay.objects.filter(camp=camp, date__gte=today).aggregate(
        unverified=Count("pk", filter=Q(verification=DayVerification.UNVERIFIED)),
        today=Max("pk", filter=Q(date=today)),
    )
    unverified = days["unverified"]
    todos = []
    if days["today"] is not None:
        # On a training day its roll calls are staff's main task: one tap from home to each
        # session's attendance sheet, until something has been recorded for it; from then on
        # it is a roll call to close (_roll_call_todos), so none shows twice. (One query more,
        # on training days only.)
        todos = [
            Todo(
                label=_("今日点名：%(title)s") % {"title": session.title},
                detail=session.start_time.strftime("%H:%M"),
                url=reverse("curriculum-session-attendance", args=[session.pk]),
                main=True,
            )
            for session in Session.objects.filter(
                _untaken_today(today),
                training_day_id=days["today"],
                attendance_required=True,
            )
            .select_related("activity_kind")
            .order_by("start_time", "pk")
        ]
    if waiting:
        todos.append(
            Todo(
                label=_("待审批的请假"),
                url=reverse("curriculum-leave", args=[camp.code]),
                count=waiting,
                main=True,
            )
        )
    if unverified:
        todos.append(
            Todo(
                label=_("日历待核验的培训日"),
                detail=_("日期尚无节假日数据或人工确认，可能与节假日冲突。"),
                url=reverse("curriculum-calendar", args=[camp.code]),
                count=unverified,
            )
        )
    return todos


# Roll calls listed one by one on the staff home; the rest are summed up in the last line.
ROLL_CALLS_LISTED = 3


def _roll_call_todos(request, camp) -> list[Todo]:
    """Sessions held whose roll call staff have not closed, in one query."""
    # Today's training-day sessions not yet taken are roll calls to take (_staff_todos).
    untaken = _untaken_today(timezone.localdate())
    sessions = list(open_roll_calls(camp).exclude(untaken).values("pk", "date", "topic"))
    todos = [
        Todo(
            label=_("点名未结束：%(date)s %(topic)s")
            % {"date": session["date"].strftime("%m-%d"), "topic": session["topic"]},
            detail=_("核对考勤后结束点名，考勤即锁定。"),
            url=reverse("curriculum-session-board", args=[session["pk"]]),
        )
        for session in sessions[:ROLL_CALLS_LISTED]
    ]
    if len(sessions) > ROLL_CALLS_LISTED:
        rest = sessions[ROLL_CALLS_LISTED:]
        todos.append(
            Todo(
                label=_("其他点名未结束的课程"),
                detail=_("最早一节：%(date)s") % {"date": rest[-1]["date"].strftime("%Y-%m-%d")},
                url=reverse("curriculum-session-board", args=[rest[0]["pk"]]),
                count=len(rest),
            )
        )
    return todos


def register() -> None:
    register_todos(roles={Role.STAFF}, order=15, items=_roll_call_todos)
    register_todos(roles={Role.TRAINEE}, order=10, items=_trainee_todos)
    register_todos(roles={Role.COUNSELOR}, order=40, items=_counselor_todos)
    register_todos(roles={Role.STAFF}, order=10, items=_staff_todos)
