"""Reads, with their joins made and their sums done by the database."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from camp.models import Camp
from trainees.models import StudyGroup, Trainee

from .holidays import OfficialCalendar
from .leave_coverage import leave_charged_sessions, leave_half_days_charged, sessions_on_leave
from .models import (
    Attendance,
    AttendanceStatus,
    ClassroomType,
    DayVerification,
    Instructor,
    InstructorSource,
    LeaveRequest,
    LeaveStatus,
    Session,
    SessionEvaluation,
    Talk,
    TrainingDay,
)

# Approved leave beyond this share of the year's half-days is flagged (不予结业 may follow).
LEAVE_SHARE_LIMIT = Decimal(1) / Decimal(7)


def session_queryset() -> QuerySet[Session]:
    return Session.objects.select_related(
        "activity_kind", "group", "training_day"
    ).prefetch_related("instructors")


def training_days(camp: Camp) -> QuerySet[TrainingDay]:
    return camp.training_days.order_by("date").prefetch_related(
        Prefetch("sessions", queryset=session_queryset().order_by("start_time", "pk"))
    )


def training_days_as_held(camp: Camp) -> list[TrainingDay]:
    """The year's days with what the official calendar says about the date each is held on
    (`held`), so that a day staff kept on a holiday says so. One more query: the entries."""
    days = list(training_days(camp))
    if days:
        calendar = OfficialCalendar(days[0].date, days[-1].date)
        for day in days:
            day.held = calendar.day(day.date)
    return days


def calendar_sources(days: list[TrainingDay]) -> list[tuple[str, str, int]]:
    """How many days rest on each source: (value, label, count)."""
    counts = Counter(day.verification for day in days)
    return [(value, label, counts[value]) for value, label in DayVerification.choices]


def next_training_day(
    camp: Camp, today: datetime.date | None = None, *, trainee: Trainee | None = None
) -> TrainingDay | None:
    """The next training day with its sessions: for a `trainee`, only those meant for them
    (the class's and their group's), not another group's."""
    today = today or timezone.localdate()
    sessions = session_queryset().order_by("start_time", "pk")
    if trainee is not None:
        sessions = sessions.filter(_audience(trainee))
    return (
        camp.training_days.filter(date__gte=today)
        .order_by("date")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .first()
    )


def sessions_off_days(camp: Camp) -> QuerySet[Session]:
    """Activities outside the training days: round tables, debates, reading sessions..."""
    return session_queryset().filter(camp=camp, training_day__isnull=True)


def _audience(trainee: Trainee) -> Q:
    return Q(camp_id=trainee.camp_id) & (Q(group__isnull=True) | Q(group_id=trainee.group_id))


def trainee_sessions(trainee: Trainee) -> QuerySet[Session]:
    return session_queryset().filter(_audience(trainee))


def my_schedule(trainee: Trainee, today: datetime.date | None = None) -> dict:
    """The trainee's year: upcoming sessions first (from the next training day), then the past.
    A session their approved or pending leave covers carries it as `covering_leave`."""
    today = today or timezone.localdate()
    sessions = list(trainee_sessions(trainee).order_by("date", "start_time", "pk"))
    next_day = next_training_day(trainee.camp, today, trainee=trainee)
    covered = sessions_on_leave(trainee)
    for session in [*sessions, *(next_day.sessions.all() if next_day else [])]:
        session.covering_leave = covered.get(session.pk)
    upcoming = [s for s in sessions if s.date >= today]
    past = [s for s in sessions if s.date < today]
    past.reverse()
    return {
        "next_day": next_day,
        "upcoming": upcoming,
        "past": past,
    }


def session_trainees(session: Session, among: QuerySet[Trainee] | None = None) -> QuerySet[Trainee]:
    """The trainees a session is for on its date (members of the camp that day; for a group's
    session, those in the group that day, from the dated membership), by group and name;
    `among` narrows them to whom the viewer may see."""
    trainees = among if among is not None else Trainee.objects.filter(camp_id=session.camp_id)
    if session.group_id:
        trainees = trainees.members_of_group_on(session.group_id, session.date)
    else:
        trainees = trainees.members_on(session.date)
    return trainees.select_related("person", "group").order_by("group__number", "person__name")


# Attendance ---------------------------------------------------------------------------------


def year_half_days(camp: Camp) -> int:
    """The year's half-days: two per training day (48 for a full calendar)."""
    return camp.training_days.count() * 2 or 48


def unexcused_absences(attendance: QuerySet[Attendance]) -> QuerySet[Attendance]:
    """Every absence without approved leave: flagged at once, newest first."""
    return (
        attendance.filter(status=AttendanceStatus.ABSENT)
        .select_related("trainee__person", "trainee__group", "session")
        .order_by("-session__date", "session__start_time")
    )


def leave_over_limit(camp: Camp, trainees: QuerySet[Trainee]):
    """Trainees whose approved leave passes 1/7 of the year's half-days: the half-days of the
    sessions it covers while they belong (leave_coverage), to come as well as past, except
    those they attended after all. Annotated with `leave_half_days`."""
    limit = Decimal(year_half_days(camp)) * LEAVE_SHARE_LIMIT
    leaves = LeaveRequest.objects.filter(
        trainee__in=trainees, status=LeaveStatus.APPROVED
    ).select_related("trainee", "training_day", "last_training_day")
    trainee_of = {leave.pk: leave.trainee_id for leave in leaves}
    totals: Counter = Counter()
    for pk, sessions in leave_charged_sessions(leaves, up_to=datetime.date.max).items():
        totals[trainee_of[pk]] += leave_half_days_charged(sessions)
    over = {pk: n for pk, n in totals.items() if n > limit}
    if not over:
        return trainees.none().annotate(leave_half_days=Value(0, output_field=IntegerField()))
    return (
        trainees.filter(pk__in=list(over))
        .annotate(
            leave_half_days=Case(
                *[When(pk=pk, then=Value(n)) for pk, n in over.items()],
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .select_related("person", "group")
        .order_by("-leave_half_days", "pk")
    )


def leave_requests(trainees: QuerySet[Trainee]) -> QuerySet[LeaveRequest]:
    # The camp with the day: a leave's deadline is the camp's (LeaveRequest.close_due_on).
    # The approval steps say who holds a pending leave (curriculum/services/leave_approval.py).
    return (
        LeaveRequest.objects.filter(trainee__in=trainees)
        .select_related(
            "trainee__person",
            "trainee__group",
            "training_day__camp",
            "last_training_day",
            "decided_by",
        )
        .prefetch_related("approval_steps")
    )


# Talks ---------------------------------------------------------------------------------------


def trainees_without_talk(group: StudyGroup, month: datetime.date) -> QuerySet[Trainee]:
    """Active members of the group who have had no talk in `month`."""
    first = month.replace(day=1)
    talks = Talk.objects.filter(
        trainee=OuterRef("pk"), held_on__year=first.year, held_on__month=first.month
    )
    return (
        group.trainees.active()
        .annotate(talked=Exists(talks))
        .filter(talked=False)
        .select_related("person")
        .order_by("person__name")
    )


# Plan and evaluations ------------------------------------------------------------------------


def instructor_mix(camp: Camp) -> list[tuple[str, int]]:
    """How many instructors of each source teach in this camp: the mix of theory, policy and
    practice."""
    mix = {
        row["source"]: row["n"]
        for row in Instructor.objects.filter(sessions__camp=camp)
        .values("source")
        .annotate(n=Count("pk", distinct=True))
    }
    return [(label, mix.get(value, 0)) for value, label in InstructorSource.choices]


def instructors_with_counts(camp: Camp) -> QuerySet[Instructor]:
    return Instructor.objects.annotate(
        session_count=Count("sessions", filter=Q(sessions__camp=camp), output_field=IntegerField())
    ).order_by("source", "name")


def evaluation_averages(camp: Camp) -> dict:
    """Average ratings per session, instructor and classroom. No names of who rated."""
    evaluations = SessionEvaluation.objects.filter(session__camp=camp)
    classrooms = dict(ClassroomType.choices)
    sources = dict(InstructorSource.choices)
    return {
        "sessions": evaluations.values("session_id", "session__date", "session__topic")
        .annotate(n=Count("pk"), average=Avg("session_score"))
        .order_by("session__date"),
        "instructors": [
            {**row, "source": sources.get(row["instructor__source"], "")}
            for row in evaluations.filter(instructor__isnull=False)
            .values("instructor_id", "instructor__name", "instructor__source")
            .annotate(n=Count("pk"), average=Avg("instructor_score"))
            .order_by("-average", "instructor__name")
        ],
        "classrooms": [
            {**row, "label": classrooms.get(row["session__classroom"], "")}
            for row in evaluations.values("session__classroom")
            .annotate(n=Count("pk"), average=Avg("session_score"))
            .order_by("session__classroom")
        ],
    }
