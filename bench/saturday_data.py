"""What a training Saturday needs in the bench database, added on top of the generated year.

`saturday_prepare` is idempotent and runs before every Saturday run (so `--reuse` works on a
later day): for every camp, a training day on today's local date and one on tomorrow's (a run
near midnight in Asia/Shanghai crosses into it), each with `sessions_per_day` whole-day sessions
whose roll call is open, so trainees can check in with the rotating code whatever the hour; and
`leaves_per_camp` pending leave requests for one of the camp's coming training days, each with
the camp's single staff approval step pending (the default policy for a one-day leave).

Logins: `session_cookies` writes many Django sessions in one statement (the load client needs a
few thousand trainees' sessions; `SessionStore.create` one by one would take a minute at 10,000).
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

SATURDAY_NUMBER_BASE = 900  # training day numbers far above the generated 1-24
LEAVE_REASON = "bench-sat 家中有事"


def _start_time(day: datetime.date, now: datetime.datetime) -> datetime.time:
    """Today's sessions start 20 minutes from now, so that the check-in window (open 30
    minutes before) is open and a check-in in the run's first minutes counts as on time, as
    most do on a real Saturday; tomorrow's (for a run that crosses midnight) start at 00:00."""
    local = timezone.localtime(now)
    if day != local.date():
        return datetime.time(0, 0)
    start = min(local + datetime.timedelta(minutes=20), local.replace(hour=23, minute=30))
    return start.time().replace(second=0, microsecond=0)


def saturday_dates(now: datetime.datetime | None = None) -> list[datetime.date]:
    today = timezone.localdate(now)
    return [today, today + datetime.timedelta(days=1)]


@transaction.atomic
def saturday_prepare(*, sessions_per_day: int = 2, leaves_per_camp: int = 20) -> dict:
    """Make sure every camp has today's and tomorrow's Saturday sessions (open roll calls) and
    its pending leave requests; returns counts of what was added."""
    from camp.models import Camp
    from curriculum.models import (
        ActivityKind,
        ApproverRole,
        LeaveApprovalStep,
        LeaveRequest,
        LeaveStatus,
        Session,
        StepState,
        TrainingDay,
    )
    from trainees.models import Trainee

    added = {"training_days": 0, "sessions": 0, "leaves": 0}
    kind = ActivityKind.objects.order_by("pk").first()
    now = timezone.now()
    for camp in Camp.objects.order_by("code"):
        for offset, day in enumerate(saturday_dates(now)):
            training_day = TrainingDay.objects.filter(camp=camp, date=day).first()
            if training_day is None:
                number = SATURDAY_NUMBER_BASE + (day - datetime.date(2026, 1, 1)).days
                training_day = TrainingDay.objects.create(
                    camp=camp, number=number, slot_date=day, date=day
                )
                added["training_days"] += 1
            have = Session.objects.filter(training_day=training_day, topic__startswith="bench-sat")
            start = _start_time(day, now)
            have.update(start_time=start)
            missing = sessions_per_day - have.count()
            if missing > 0:
                Session.objects.bulk_create(
                    Session(
                        camp=camp,
                        training_day=training_day,
                        date=day,
                        half_day="morning",
                        start_time=start,
                        end_time=datetime.time(23, 59, 59),
                        place="市委党校报告厅",
                        classroom=kind.classroom,
                        activity_kind=kind,
                        topic=f"bench-sat 第{offset + 1}天 第{have.count() + n + 1}节",
                    )
                    for n in range(missing)
                )
                added["sessions"] += missing
        # Pending leave for a coming training day: trainees from the end of the roster, so
        # that the first ones (the readers and the check-ins) are not the ones on leave.
        pending = LeaveRequest.objects.filter(
            trainee__camp=camp, status=LeaveStatus.PENDING, reason=LEAVE_REASON
        ).count()
        missing = leaves_per_camp - pending
        if missing <= 0:
            continue
        days = list(
            TrainingDay.objects.filter(camp=camp, date__gt=timezone.localdate(now)).order_by(
                "date"
            )[:3]
        )
        # A third of a small camp at most, so that the rest can check in.
        members = Trainee.objects.active().filter(camp=camp)
        trainees = list(members.order_by("-pk")[: min(50, max(1, members.count() // 3))])
        leaves = LeaveRequest.objects.bulk_create(
            LeaveRequest(
                trainee=trainees[n % len(trainees)],
                training_day=days[(n // len(trainees)) % len(days)],
                half_day="",
                half_days=2,
                reason=LEAVE_REASON,
                status=LeaveStatus.PENDING,
            )
            for n in range(missing)
        )
        LeaveApprovalStep.objects.bulk_create(
            LeaveApprovalStep(
                leave=leave,
                order=1,
                role=ApproverRole.STAFF,
                state=StepState.PENDING,
                started_at=now,
            )
            for leave in leaves
        )
        added["leaves"] += missing
    return added


def open_sessions(camp_ids: list[int]) -> dict[int, dict[datetime.date, list[int]]]:
    """{camp: {date: [session ids]}} of the Saturday sessions, for the check-ins."""
    from curriculum.models import Session

    found: dict[int, dict[datetime.date, list[int]]] = {}
    for pk, camp_id, day in (
        Session.objects.filter(camp_id__in=camp_ids, topic__startswith="bench-sat")
        .order_by("date", "pk")
        .values_list("pk", "camp_id", "date")
    ):
        found.setdefault(camp_id, {}).setdefault(day, []).append(pk)
    return found


def pending_leaves(camp_ids: list[int]) -> dict[int, list[int]]:
    from curriculum.models import LeaveRequest, LeaveStatus

    found: dict[int, list[int]] = {}
    for pk, camp_id in (
        LeaveRequest.objects.filter(
            trainee__camp_id__in=camp_ids, status=LeaveStatus.PENDING, reason=LEAVE_REASON
        )
        .order_by("pk")
        .values_list("pk", "trainee__camp_id")
    ):
        found.setdefault(camp_id, []).append(pk)
    return found


def session_cookies(users) -> dict[int, str]:
    """{user id: "sessionid=…"}: logged-in sessions for many users, written in one statement,
    as `bench.load.session_cookie` makes one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    # A day, not the idle timeout: a check-in's login is made before the runs and used later.
    expires = timezone.now() + datetime.timedelta(days=1)
    rows, cookies = [], {}
    store = SessionStore()
    for user in users:
        key = secrets.token_hex(16)
        data = store.encode(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        rows.append(Session(session_key=key, session_data=data, expire_date=expires))
        cookies[user.pk] = f"{settings.SESSION_COOKIE_NAME}={key}"
    Session.objects.bulk_create(rows, batch_size=1000)
    return cookies
