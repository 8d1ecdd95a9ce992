"""Reads for the organization department's pages and workbooks: tracking, interviews, the
shortlist with its evidence, graduation. Joins made, sums done by the database, and a fixed
number of queries however many trainees a shortlist holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from assessment.default_scheme import CONTEST_ITEM
from assessment.models import LeaderComment, MonthlySummaryRow, WeeklyReviewRemark
from camp.models import Camp
from curriculum.models import ResearchMember
from trainees.models import Trainee

from .models import (
    InspectionNote,
    Interview,
    ShortlistEntry,
    ShortlistFigures,
    ShortlistRound,
    TrackedTrainee,
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
    """Everything the department weighs about one shortlisted trainee. `figures` are the
    round's own (as of its date), never a later month's."""

    entry: ShortlistEntry
    figures: ShortlistFigures | None
    remarks: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    research: list = field(default_factory=list)
    chief_project: object | None = None

    @property
    def trainee(self) -> Trainee:
        return self.entry.trainee

    @property
    def contest_points(self):
        """The trainee's 擂台比拼 item score in the figures (None: not yet assessed)."""
        return self.figures.item_score(CONTEST_ITEM) if self.figures else None


def shortlist_evidence(shortlist_round: ShortlistRound, *, with_interviews: bool) -> list[Evidence]:
    """The shortlist with, next to each trainee, the round's figures (standing, item scores
    with the contest points, attendance and contests, as of the round's date), weekly-review
    remarks (never talk records), leader comments, interviews (only for those who may read
    them), research and the chief project.

    Queries: the entries with their prefetches (one each) and the figures: constant in the
    number of trainees."""
    prefetches = [
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
    figures = {}
    if entries:
        figures = {
            row.trainee_id: row
            for row in ShortlistFigures.objects.filter(
                round=shortlist_round, trainee_id__in=[entry.trainee_id for entry in entries]
            )
        }
    evidence = []
    for entry in entries:
        trainee = entry.trainee
        evidence.append(
            Evidence(
                entry=entry,
                figures=figures.get(trainee.pk),
                remarks=list(trainee.review_remarks.all()),
                comments=list(trainee.leader_comments.all()),
                interviews=list(trainee.interviews.all()) if with_interviews else [],
                research=list(trainee.research_memberships.all()),
                chief_project=getattr(trainee, "chief_project", None),
            )
        )
    return evidence


def shortlist_figures_log(shortlist_round: ShortlistRound):
    """When the round's figures were taken, by whom and why: the round's history, newest
    first (creation, then every refresh)."""
    return (
        shortlist_round.history.filter(figures_taken_at__isnull=False)
        .exclude(history_change_reason__isnull=True)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def tracking_of(trainee: Trainee):
    return TrackedTrainee.objects.filter(trainee=trainee).select_related("marked_by").first()
