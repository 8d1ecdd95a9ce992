"""Access helpers for the assessment app: the backbone's access table, said once.

| object        | staff | counselor                         | trainee | orgdept | leader |
|---------------|-------|-----------------------------------|---------|---------|--------|
| scheme        | edit  | read                              | read    | read    | read   |
| score entries | edit  | own group; writes counselor items | own     | read    | read   |
| submissions   | grade | own group; grades counselor items | own     | read    | -      |

An object the user may not see is a 404; one they may see but not change is a 403.
(D2 adds reviews, summaries, contests and comments below, in the same shape.)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import has_role
from camp.roles import Role
from trainees.access import counselor_group_ids, is_self
from trainees.models import Trainee

from .models import AssessmentItem, Recorder, Scheme, ScoreEntry, Source, Submission

ENTRY_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
SUBMISSION_READERS = (Role.STAFF, Role.ORGDEPT)
# Entries these sources write are kept in step with their origin; edit the origin instead.
AUTOMATIC_SOURCES = (Source.ATTENDANCE, Source.CONTEST, Source.SUBMISSION)


def can_record(user, item: AssessmentItem, trainee: Trainee) -> bool:
    """May this user record `item` for `trainee` by hand? The item must allow the user's role
    (judges-only items never), and a counselor records only for their own group."""
    if has_role(user, Role.STAFF):
        return item.recordable_by(Recorder.STAFF)
    if has_role(user, Role.COUNSELOR):
        return item.recordable_by(Recorder.COUNSELOR) and trainee.group_id in counselor_group_ids(
            user
        )
    return False


def can_read_trainee_scores(user, trainee: Trainee) -> bool:
    if has_role(user, *ENTRY_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        return trainee.group_id is not None and trainee.group_id in counselor_group_ids(user)
    return is_self(user, trainee)


def get_scheme_for(user, camp, *, edit: bool = False) -> Scheme:
    """Every role reads the scheme (trainees see what they are measured on); staff edit."""
    if not has_role(user, *Role.values):
        raise Http404
    scheme = get_object_or_404(Scheme.objects.select_related("camp"), camp=camp)
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied
    return scheme


def get_score_entry_for(user, pk: int, *, edit: bool = False) -> ScoreEntry:
    """An entry, if the user may see it: staff, orgdept and leaders all, a counselor their
    group's, a trainee their own. Staff edit any hand-made entry; a counselor edits entries of
    their group on counselor items. Automatic entries are changed through their origin."""
    entry = get_object_or_404(
        ScoreEntry.objects.select_related(
            "item", "item__scheme", "trainee", "trainee__person", "trainee__camp", "recorded_by"
        ),
        pk=pk,
    )
    if not can_read_trainee_scores(user, entry.trainee):
        raise Http404
    if edit:
        if entry.source in AUTOMATIC_SOURCES:
            raise PermissionDenied
        if not (has_role(user, Role.STAFF) or can_record(user, entry.item, entry.trainee)):
            raise PermissionDenied
    return entry


def can_grade(user, item: AssessmentItem, trainee: Trainee) -> bool:
    return can_record(user, item, trainee)


def get_submission_for(user, pk: int, *, grade: bool = False) -> Submission:
    """A submission: its trainee, staff and orgdept, and the trainee's counselor read it; who
    records the item grades it."""
    submission = get_object_or_404(
        Submission.objects.select_related(
            "item", "trainee", "trainee__person", "trainee__camp", "trainee__group", "score_entry"
        ),
        pk=pk,
    )
    trainee = submission.trainee
    readable = (
        has_role(user, *SUBMISSION_READERS)
        or is_self(user, trainee)
        or (has_role(user, Role.COUNSELOR) and trainee.group_id in counselor_group_ids(user))
    )
    if not readable:
        raise Http404
    if grade and not can_grade(user, submission.item, trainee):
        raise PermissionDenied
    return submission
