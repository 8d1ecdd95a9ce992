"""Reads for the organization department's pages and workbooks: tracking, interviews, the
shortlist with its evidence, graduation. Joins made, sums done by the database, and a fixed
number of queries however many trainees a shortlist holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from camp.models import Camp
from curriculum.models import Attendance, ResearchMember
from curriculum.selectors import attendance_by_trainee
from trainees.access import is_self
from trainees.models import Trainee

from .models import (
    ContestParticipant,
    ContestStatus,
    ExportJob,
    Graduation,
    InspectionNote,
    Interview,
    LeaderComment,
    MonthlySummaryRow,
    ShortlistEntry,
    ShortlistRound,
    TrackedTrainee,
    WeeklyReviewRemark,
)


def tracked_trainees(camp: Camp) -> QuerySet[TrackedTrainee]:
    return (
        TrackedTrainee.objects.filter(trainee__camp=camp)
        .select_related("trainee__person", "trainee__group", "marked_by")
        .order_by("trainee__group__number", "trainee__pk")
    )


def inspection_notes(camp: Camp) -> QuerySet[InspectionNote]:
    return InspectionNote.objects.filter(trainee__camp=camp).select_related(
        "trainee__person", "trainee__group", "author"
    )


def interviews(camp: Camp) -> QuerySet[Interview]:
    return Interview.objects.filter(trainee__camp=camp).select_related(
        "trainee__person", "trainee__group", "category", "author"
    )


def shortlist_rounds(camp: Camp) -> QuerySet[ShortlistRound]:
    return ShortlistRound.objects.filter(camp=camp).select_related("created_by")


def latest_summary_month(camp: Camp) -> datetime.date | None:
    return (
        MonthlySummaryRow.objects.filter(camp=camp)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


@dataclass
class Evidence:
    """Everything the department weighs about one shortlisted trainee."""

    entry: ShortlistEntry
    summary: MonthlySummaryRow | None
    attendance: dict | None
    contests: list = field(default_factory=list)
    remarks: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    research: list = field(default_factory=list)
    chief_project: object | None = None

    @property
    def trainee(self) -> Trainee:
        return self.entry.trainee


def shortlist_evidence(
    shortlist_round: ShortlistRound, *, with_interviews: bool
) -> tuple[datetime.date | None, list[Evidence]]:
    """The shortlist with, next to each trainee, the latest monthly summary row, contest
    results, attendance, weekly-review remarks (never talk records), leader comments,
    interviews (only for those who may read them), research and the chief project.

    Queries: the latest month, the entries with their prefetches (one each), the summary rows,
    and the attendance aggregate: constant in the number of trainees."""
    month = latest_summary_month(shortlist_round.camp)
    prefetches = [
        Prefetch(
            "trainee__contest_entries",
            queryset=ContestParticipant.objects.filter(contest__status=ContestStatus.CLOSED)
            .select_related("contest")
            .order_by("contest__date"),
        ),
        Prefetch(
            "trainee__review_remarks",
            queryset=WeeklyReviewRemark.objects.select_related("review").order_by(
                "-review__week_start"
            ),
        ),
        Prefetch(
            "trainee__leader_comments",
            queryset=LeaderComment.objects.select_related("author").order_by("-date"),
        ),
        Prefetch(
            "trainee__research_memberships",
            queryset=ResearchMember.objects.select_related("topic"),
        ),
    ]
    if with_interviews:
        prefetches.append(
            Prefetch(
                "trainee__interviews",
                queryset=Interview.objects.select_related("category").order_by("-date"),
            )
        )
    entries = list(
        shortlist_round.entries.select_related(
            "trainee__person", "trainee__group", "trainee__chief_project", "decided_by"
        )
        .prefetch_related(*prefetches)
        .order_by("trainee__group__number", "trainee__pk")
    )
    trainee_ids = [entry.trainee_id for entry in entries]
    summaries = {}
    if month is not None and trainee_ids:
        summaries = {
            row.trainee_id: row
            for row in MonthlySummaryRow.objects.filter(
                camp=shortlist_round.camp, month=month, trainee_id__in=trainee_ids
            )
        }
    attendance = {}
    if trainee_ids:
        attendance = {
            row["trainee_id"]: row
            for row in attendance_by_trainee(Attendance.objects.filter(trainee_id__in=trainee_ids))
        }
    evidence = []
    for entry in entries:
        trainee = entry.trainee
        evidence.append(
            Evidence(
                entry=entry,
                summary=summaries.get(trainee.pk),
                attendance=attendance.get(trainee.pk),
                contests=list(trainee.contest_entries.all()),
                remarks=list(trainee.review_remarks.all()),
                comments=list(trainee.leader_comments.all()),
                interviews=list(trainee.interviews.all()) if with_interviews else [],
                research=list(trainee.research_memberships.all()),
                chief_project=getattr(trainee, "chief_project", None),
            )
        )
    return month, evidence


def graduations(camp: Camp) -> QuerySet[Trainee]:
    """Every trainee of the camp with their graduation record (or None) attached."""
    return (
        Trainee.objects.filter(camp=camp)
        .select_related("person", "group", "graduation")
        .order_by("group__number", "admitted_on", "pk")
    )


def tracking_of(trainee: Trainee):
    return TrackedTrainee.objects.filter(trainee=trainee).select_related("marked_by").first()


def graduation_of(trainee: Trainee) -> Graduation | None:
    return Graduation.objects.filter(trainee=trainee).first()


def graduation_shown_to(user, trainee: Trainee) -> Graduation | None:
    """The graduation as `user` may read it: a trainee reads their own only once it is final
    (a draft is the staff's work in progress)."""
    graduation = graduation_of(trainee)
    if graduation is not None and is_self(user, trainee) and not graduation.finalized_at:
        return None
    return graduation


def has_final_graduation(trainee: Trainee) -> bool:
    return Graduation.objects.filter(trainee=trainee, finalized_at__isnull=False).exists()


def my_export_jobs(user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user).select_related("camp")
