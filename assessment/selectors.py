"""Reads of the assessment app, with their joins made. Scores themselves are computed by
assessment/standing_selectors.py (`scores_as_of`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from camp.access import has_role
from camp.jobs import job_status
from camp.models import Camp
from camp.roles import Role
from trainees.access import counselor_group_ids
from trainees.models import StudyGroup, Trainee

from .models import (
    AssessmentItem,
    ExportJob,
    Recorder,
    ScoreEntry,
    Submission,
    SummaryRun,
)


def scheme_items(camp: Camp) -> QuerySet[AssessmentItem]:
    return AssessmentItem.objects.filter(scheme__camp=camp).order_by("number")


def recordable_items(user, camp: Camp) -> QuerySet[AssessmentItem]:
    """The items this user may record by hand (fast entry, single entries)."""
    items = scheme_items(camp)
    recorder = _recorder_of(user)
    if recorder is None:
        return items.none()
    # JSON "contains" is not portable (SQLite lacks it); a scheme has only 26 items.
    return items.filter(pk__in=[item.pk for item in items if item.recordable_by(recorder)])


def recordable_groups(user, camp: Camp) -> QuerySet[StudyGroup]:
    """The groups whose grids this user may fill: staff every group of the camp, a counselor the
    groups they counsel now, anyone else none."""
    groups = camp.groups.select_related("counselor").order_by("number")
    if has_role(user, Role.STAFF):
        return groups
    if has_role(user, Role.COUNSELOR):
        return groups.filter(pk__in=counselor_group_ids(user))
    return groups.none()


def _recorder_of(user) -> str | None:
    if has_role(user, Role.STAFF):
        return Recorder.STAFF
    if has_role(user, Role.COUNSELOR):
        return Recorder.COUNSELOR
    return None


def trainee_entries(trainee: Trainee) -> QuerySet[ScoreEntry]:
    return ScoreEntry.objects.filter(trainee=trainee).select_related("item", "recorded_by")


def trainee_submissions(trainee: Trainee) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(trainee=trainee)
        .select_related("item", "score_entry", "graded_by")
        .order_by("-submitted_at", "-pk")
    )


def grading_inbox(user, camp: Camp, *, waiting: bool = True) -> QuerySet[Submission]:
    """The submissions this user grades: staff those on staff items, a counselor those of
    their groups on counselor items; waiting ones first by age (or the graded ones)."""
    submissions = Submission.objects.filter(trainee__camp=camp).select_related(
        "item", "trainee", "trainee__person", "trainee__group", "score_entry"
    )
    recorder = _recorder_of(user)
    if recorder is None:
        return submissions.none()
    submissions = submissions.filter(
        item_id__in=recordable_items(user, camp).values_list("pk", flat=True)
    )
    if recorder == Recorder.COUNSELOR:
        submissions = submissions.filter(trainee__group_id__in=counselor_group_ids(user))
    if waiting:
        return submissions.filter(graded_at__isnull=True).order_by("submitted_at", "pk")
    return submissions.filter(~Q(graded_at=None)).order_by("-graded_at", "-pk")


def recordable_item_ids(user, trainee: Trainee) -> set[int]:
    """The items this user may record (and edit) for this trainee, in two queries at most:
    staff their items, a counselor the counselor items of their own group's trainees."""
    recorder = _recorder_of(user)
    if recorder is None:
        return set()
    if recorder == Recorder.COUNSELOR and trainee.group_id not in counselor_group_ids(user):
        return set()
    return {item.pk for item in scheme_items(trainee.camp) if item.recordable_by(recorder)}


def my_export_jobs(user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user).select_related("camp")


def latest_runs(camp: Camp):
    return SummaryRun.objects.filter(camp=camp).select_related("requested_by").order_by("-pk")


def run_status(run: SummaryRun) -> dict:
    """The JSON the status page polls. A stale run counts as finished (nothing will move it)
    and says so; starting the month again recovers it."""
    return {"id": run.pk, "month": f"{run.month:%Y-%m}", **job_status(run)}
