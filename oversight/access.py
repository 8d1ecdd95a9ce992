"""Access helpers of the oversight app, the organization department's side
(oversight/models.py: tracking, inspection notes, interviews, shortlists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import can_export_group_workbooks, has_role
from camp.roles import Role
from trainees.models import Trainee

from .after_camp_selectors import graduates
from .models import (
    AFTER_CAMP_MODELS,
    InspectionNote,
    Interview,
    ShortlistEntry,
    ShortlistRound,
)

# The organization department's side (oversight/models.py) --------------------------------------
# | object                                 | staff | counselor | trainee | orgdept | leader |
# |----------------------------------------|-------|-----------|---------|---------|--------|
# | tracking, inspection notes, shortlists | read  | -         | -       | write   | read   |
# | interviews (confidential, issue 5)     | read  | -         | -       | write   | -      |
# | the editions side by side (届次对比)     | read  | -         | -       | read    | read   |
# | after the camp (训后跟踪, issue 18)     | read  | -         | -       | write   | read   |
# | the annual report to the 市委          | read  | -         | -       | read    | read   |

OVERSIGHT_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
INTERVIEW_READERS = (Role.STAFF, Role.ORGDEPT)


def can_write_oversight(user) -> bool:
    """Tracking, inspection notes, interviews and shortlist decisions are orgdept's to write."""
    return has_role(user, Role.ORGDEPT)


def can_read_oversight(user) -> bool:
    """Tracking, shortlists and the dashboards: staff, orgdept and leaders."""
    return has_role(user, *OVERSIGHT_READERS)


def require_oversight_access(user, *, write: bool = False) -> None:
    """Tracking and shortlist pages about a whole camp: 404 for those who may not know of
    them, 403 for readers who try to write."""
    if not can_read_oversight(user):
        raise Http404
    if write and not can_write_oversight(user):
        raise PermissionDenied


def can_compare_editions(user) -> bool:
    """The editions side by side, page and workbook: staff, orgdept and leaders (anonymous
    figures of whole editions; counselors and trainees get 403)."""
    return has_role(user, *OVERSIGHT_READERS)


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


def can_read_annual_report(user) -> bool:
    """The annual report to the 市委 (page and Word document): staff write it up, orgdept
    files it, leaders read it."""
    return has_role(user, *OVERSIGHT_READERS)


def can_export_training_record(user) -> bool:
    """One training record as a workbook: whoever takes group workbooks (for the trainees they
    may see), and a trainee their own."""
    return can_export_group_workbooks(user) or has_role(user, Role.TRAINEE)


# After the camp (训后跟踪) --------------------------------------------------------------------
# The same readers and writer as tracking: the department follows its cadres beyond the camp.


def can_read_after_camp(user) -> bool:
    return can_read_oversight(user)


def can_write_after_camp(user) -> bool:
    return can_write_oversight(user)


def get_graduate_for(user, pk: int, *, write: bool = False) -> Trainee:
    """A graduate (after_camp_selectors.graduates): 404 for anyone who may not read the
    after-camp record, and for a trainee who did not graduate; 403 for readers who write."""
    require_oversight_access(user, write=write)
    return get_object_or_404(graduates().select_related("camp", "group", "person"), pk=pk)


def get_after_camp_record_for(user, kind: str, pk: int, *, write: bool = False):
    """One post change, appraisal, award or note (`kind` as in AFTER_CAMP_MODELS)."""
    require_oversight_access(user, write=write)
    model = AFTER_CAMP_MODELS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(
        model.objects.select_related("graduate__camp", "graduate__person", "updated_by"), pk=pk
    )
