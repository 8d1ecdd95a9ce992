"""Access helpers for graduation (models/graduation.py) and background exports
(models/exports.py). Re-exported by assessment.access, which callers import from.

| object      | staff | counselor | trainee | orgdept | leader |
|-------------|-------|-----------|---------|---------|--------|
| graduation  | write | own group | own     | read    | read   |
| export jobs | the requester's own                          |
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import has_role
from camp.roles import Role
from trainees.access import counselor_group_ids, is_self
from trainees.models import Trainee

from .models import ExportJob

GRADUATION_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)


def can_read_graduation(user, trainee: Trainee) -> bool:
    if has_role(user, *GRADUATION_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        return trainee.group_id is not None and trainee.group_id in counselor_group_ids(user)
    return is_self(user, trainee)


def can_open_graduation_list(user) -> bool:
    """The graduation page of a camp: overseers, and a counselor (for their group's rows)."""
    return has_role(user, *GRADUATION_READERS, Role.COUNSELOR)


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
