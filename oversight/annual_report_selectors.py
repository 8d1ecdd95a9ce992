"""Reads for the annual report to the 市委 (oversight/annual_report.py builds the document and
the page from them): one edition as of its graduation date, or as of today while it runs.

The edition's size, composition, attendance (累计), distribution of totals, category averages
and graduation are the editions comparison's (`oversight/editions_selectors.edition_figures`),
so the report and the comparison never disagree; the report reads them there. What only the
report shows is read here, reusing the rules that have their homes elsewhere: the groups on
the day from the dated membership the standing's scores carry (`standing_selectors.
group_standings`), their attendance from curriculum's `attendance_by_group`, each month's rate
from the dashboards' selector, the outstanding trainees from the graduation records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Category, Graduation
from assessment.standing import camp_standing
from assessment.standing_selectors import group_standings
from camp.models import Camp
from curriculum.models import Attendance, ChiefProject, ResearchMember, ResearchTopic
from curriculum.rate_selectors import attendance_by_group, members_only, required_attendance
from trainees.models import StudyGroup, TraineeStatus

from .dashboard_selectors import attendance_by_month

# Before any outstanding trainee is named (a running edition), the report shows the chief
# projects of this many best-ranked trainees instead.
TOP_PROJECTS = 10
CATEGORY_KEYS = (Category.THEORY, Category.PARTY_SPIRIT, Category.CAPABILITY)


@dataclass(frozen=True)
class GroupFigures:
    """One study group on the day (the class as a whole: `group_id` None)."""

    group_id: int | None
    label: str
    counselor: str
    members: int  # ranked members on the day
    average_total: Decimal | None
    averages: dict[str, Decimal | None]  # by category
    attendance_rate: Decimal | None  # 累计, up to the day
    outstanding: int


@dataclass(frozen=True)
class OutstandingTrainee:
    name: str
    group: str
    unit: str
    position: str
    total: Decimal | None
    class_rank: int | None


@dataclass(frozen=True)
class ProjectRow:
    name: str
    group: str
    title: str
    goal: str
    progress_notes: int


@dataclass(frozen=True)
class ResearchRow:
    title: str
    leader: str
    members: int
    adviser: str
    milestones: int
    milestones_done: int
    report_uploaded_on: datetime.date | None


@dataclass
class ReportSections:
    """What the report reads besides the edition's figures."""

    camp: Camp
    day: datetime.date
    graduated: bool  # the day is the graduation date (else: as of today, the edition runs)
    groups: list[GroupFigures]
    attendance_by_month: list[tuple[datetime.date, Decimal | None]]  # each month alone
    graduation_drafts: int
    outstanding: list[OutstandingTrainee]
    projects: list[ProjectRow]
    projects_of_outstanding: bool  # else: the best-ranked trainees' projects
    research: list[ResearchRow]
    group_labels: dict[int, str] = field(default_factory=dict)


def report_day(camp: Camp, today: datetime.date | None = None) -> datetime.date:
    """The day the report's figures are as of: the graduation date, or today before it."""
    return min(today or timezone.localdate(), camp.graduation_date)


def _group_figures(camp: Camp, day: datetime.date, scores, outstanding_ids: set[int]):
    """Per group on `day`: its ranked members' averages (`group_standings`), 累计 attendance
    pooled per group as of the day (curriculum's rule), its outstanding trainees."""
    groups = sorted(
        StudyGroup.objects.filter(camp=camp).select_related("counselor"),
        key=lambda group: group.number,
    )
    attendance = members_only(
        required_attendance(Attendance.objects.filter(session__camp=camp), end=day), day
    )
    rates = {row["trainee__group_id"]: row["rate"] for row in attendance_by_group(attendance, day)}
    standings = group_standings(scores)
    rows = []
    for group in groups:
        standing = standings.get(group.pk)
        members = standing.trainee_ids if standing else frozenset()
        rows.append(
            GroupFigures(
                group_id=group.pk,
                label=str(group),
                counselor=group.counselor.name if group.counselor else "",
                members=len(members),
                average_total=standing.average_total if standing else None,
                averages=dict(standing.category_averages) if standing else {},
                attendance_rate=rates.get(group.pk),
                outstanding=len(members & outstanding_ids),
            )
        )
    return rows, {group.pk: _("第%(n)s组") % {"n": group.number} for group in groups}


def _graduation_drafts(camp: Camp) -> int:
    """Graduation records not yet final: the edition's figures count final records only."""
    return Graduation.objects.filter(
        trainee__camp=camp, trainee__status=TraineeStatus.ACTIVE, finalized_at__isnull=True
    ).count()


def _final_outstanding(camp: Camp):
    """The outstanding trainees of final graduation records (as the edition's figures count)."""
    return Graduation.objects.filter(
        trainee__camp=camp,
        trainee__status=TraineeStatus.ACTIVE,
        outstanding=True,
        finalized_at__isnull=False,
    )


def _outstanding(camp: Camp, scores, labels) -> list[OutstandingTrainee]:
    rows = (
        _final_outstanding(camp)
        .values_list(
            "trainee_id",
            "trainee__person__name",
            "trainee__person__unit",
            "trainee__person__position",
        )
        .order_by("trainee_id")
    )
    result = []
    for trainee_id, name, unit, position in rows:
        score = scores.get(trainee_id)
        result.append(
            OutstandingTrainee(
                name=name,
                group=labels.get(score.group_id, "") if score else "",
                unit=unit,
                position=position,
                total=score.total if score else None,
                class_rank=score.class_rank if score else None,
            )
        )
    result.sort(key=lambda row: (row.class_rank is None, row.class_rank or 0, row.name))
    return result


def _projects(scores, labels, trainee_ids: list[int]) -> list[ProjectRow]:
    projects = (
        ChiefProject.objects.filter(trainee_id__in=trainee_ids)
        .annotate(note_count=Count("notes"))
        .values_list("trainee_id", "trainee__person__name", "title", "goal", "note_count")
    )
    order = {pk: index for index, pk in enumerate(trainee_ids)}
    rows = sorted(projects, key=lambda row: order[row[0]])
    return [
        ProjectRow(
            name=name,
            group=labels.get(scores[pk].group_id, "") if pk in scores else "",
            title=title,
            goal=goal,
            progress_notes=notes,
        )
        for pk, name, title, goal, notes in rows
    ]


def _research(camp: Camp, day: datetime.date) -> list[ResearchRow]:
    leader = ResearchMember.objects.filter(topic=OuterRef("pk"), is_leader=True).values(
        "trainee__person__name"
    )[:1]
    topics = (
        ResearchTopic.objects.filter(camp=camp)
        .annotate(
            leader_name=Subquery(leader),
            member_count=Count("members", distinct=True),
            milestone_count=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__done_on__lte=day), distinct=True
            ),
        )
        .values_list(
            "title",
            "leader_name",
            "member_count",
            "adviser__name",
            "milestone_count",
            "milestones_done",
            "report_uploaded_at",
        )
        .order_by("pk")
    )
    return [
        ResearchRow(
            title=title,
            leader=leader_name or "",
            members=members,
            adviser=adviser or "",
            milestones=milestones,
            milestones_done=done,
            report_uploaded_on=timezone.localdate(uploaded) if uploaded else None,
        )
        for title, leader_name, members, adviser, milestones, done, uploaded in topics
    ]


def report_sections(camp: Camp, today: datetime.date | None = None) -> ReportSections:
    """The groups compared, graduation, outstanding trainees, notable chief projects (those of
    the outstanding trainees, or before any award the best-ranked trainees') and the research
    topics with their reports, as of `report_day`."""
    day = report_day(camp, today)
    scores = camp_standing(camp, day)
    outstanding_ids = set(_final_outstanding(camp).values_list("trainee_id", flat=True))
    groups, labels = _group_figures(camp, day, scores, outstanding_ids)
    outstanding = _outstanding(camp, scores, labels)
    if outstanding_ids:
        best = sorted(
            outstanding_ids,
            key=lambda pk: (scores[pk].class_rank or 10**6, pk) if pk in scores else (10**6, pk),
        )
    else:
        ranked = sorted(
            (score for score in scores.values() if score.class_rank is not None),
            key=lambda score: (score.class_rank, score.trainee_id),
        )
        best = [score.trainee_id for score in ranked[:TOP_PROJECTS]]
    return ReportSections(
        camp=camp,
        day=day,
        graduated=day >= camp.graduation_date,
        groups=groups,
        attendance_by_month=[
            (row["month"], row["rate"]) for row in attendance_by_month(camp) if row["month"] <= day
        ],
        graduation_drafts=_graduation_drafts(camp),
        outstanding=outstanding,
        projects=_projects(scores, labels, best),
        projects_of_outstanding=bool(outstanding_ids),
        research=_research(camp, day),
        group_labels=labels,
    )
