"""Access helpers for the organization department's side of the assessment app
(models/oversight.py: tracking, inspection notes, interviews, shortlists, graduation, and
background exports). Re-exported by assessment.access, which callers import from."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import can_export_group_workbooks, has_role
from camp.roles import Role
from trainees.access import counselor_group_ids, is_self
from trainees.models import Trainee

from .models import ExportJob, InspectionNote, Interview, ShortlistEntry, ShortlistRound

# The organization department's side (models/oversight.py) ------------------------------------
# | object                                 | staff | counselor | trainee | orgdept | leader |
# |----------------------------------------|-------|-----------|---------|---------|--------|
# | tracking, inspection notes, shortlists | read  | -         | -       | write   | read   |
# | interviews (confidential, issue 5)     | read  | -         | -       | write   | -      |
# | graduation                             | write | own group | own     | read    | read   |
# | export jobs                            | the requester's own                          |

OVERSIGHT_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
INTERVIEW_READERS = (Role.STAFF, Role.ORGDEPT)
GRADUATION_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)


def can_write_oversight(user) -> bool:
    """Tracking, inspection notes, interviews and shortlist decisions are orgdept's to write."""
    return has_role(user, Role.ORGDEPT)


def can_read_oversight(user) -> bool:
    """Tracking, shortlists and the dashboards: staff, orgdept and leaders."""
    return has_role(user, *OVERSIGHT_READERS)


def can_open_graduation_list(user) -> bool:
    """The graduation page of a camp: overseers, and a counselor (for their group's rows)."""
    return has_role(user, *GRADUATION_READERS, Role.COUNSELOR)


def require_oversight_access(user, *, write: bool = False) -> None:
    """Tracking and shortlist pages about a whole camp: 404 for those who may not know of
    them, 403 for readers who try to write."""
    if not can_read_oversight(user):
        raise Http404
    if write and not can_write_oversight(user):
        raise PermissionDenied


def can_read_interviews(user) -> bool:
    return has_role(user, *INTERVIEW_READERS)


def require_interview_access(user, *, write: bool = False) -> None:
    if not can_read_interviews(user):
        raise Http404
    if write and not can_write_oversight(user):
        raise PermissionDenied


def get_tracking_for(user, trainee_pk: int, *, write: bool = False) -> Trainee:
    """The trainee whose tracking file (mark and inspection notes) this is."""
    require_oversight_access(user, write=write)
    return get_object_or_404(
        Trainee.objects.select_related("camp", "group", "person"), pk=trainee_pk
    )


def get_inspection_note_for(user, pk: int, *, write: bool = False):
    require_oversight_access(user, write=write)
    return get_object_or_404(
        InspectionNote.objects.select_related("trainee__person", "trainee__camp", "author"), pk=pk
    )


def get_interview_for(user, pk: int, *, write: bool = False):
    """Confidential: counselors, trainees and leaders get 404, never a hint it exists."""
    require_interview_access(user, write=write)
    return get_object_or_404(
        Interview.objects.select_related(
            "trainee__person", "trainee__camp", "trainee__group", "category", "author"
        ),
        pk=pk,
    )


def get_shortlist_round_for(user, pk: int, *, write: bool = False):
    require_oversight_access(user, write=write)
    return get_object_or_404(
        ShortlistRound.objects.select_related("camp", "created_by", "figures_taken_by"), pk=pk
    )


def get_shortlist_entry_for(user, pk: int, *, write: bool = False):
    require_oversight_access(user, write=write)
    return get_object_or_404(
        ShortlistEntry.objects.select_related("round__camp", "trainee__person", "decided_by"),
        pk=pk,
    )


def can_read_graduation(user, trainee: Trainee) -> bool:
    if has_role(user, *GRADUATION_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        return trainee.group_id is not None and trainee.group_id in counselor_group_ids(user)
    return is_self(user, trainee)


def can_write_graduation(user) -> bool:
    """Staff write appraisals, awards and certificates, and set the camp's policy."""
    return has_role(user, Role.STAFF)


def get_graduation_for(user, trainee_pk: int, *, write: bool = False) -> Trainee:
    """The trainee whose graduation (appraisal, award, certificate) this is; it may not be
    written yet. Staff write; the others who may see the trainee read."""
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "person"), pk=trainee_pk
    )
    if not can_read_graduation(user, trainee):
        raise Http404
    if write and not can_write_graduation(user):
        raise PermissionDenied
    return trainee


def can_export_training_record(user) -> bool:
    """One training record as a workbook: whoever takes group workbooks (for the trainees they
    may see), and a trainee their own."""
    return can_export_group_workbooks(user) or has_role(user, Role.TRAINEE)


def can_export_all_records(user) -> bool:
    """The zip of every trainee's record: staff and orgdept get the class, a counselor their
    group's (the zip holds only the trainees `visible_trainees` gives them)."""
    return has_role(user, Role.STAFF, Role.ORGDEPT, Role.COUNSELOR)


def get_export_job_for(user, pk: int):
    """A background export belongs to whoever asked for it; nobody else learns of it."""
    job = get_object_or_404(ExportJob.objects.select_related("camp"), pk=pk)
    if not (user.is_authenticated and job.user_id == user.pk):
        raise Http404
    return job
