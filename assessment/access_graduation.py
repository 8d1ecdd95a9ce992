"""Access helpers for graduation (models/graduation.py) and background exports
(models/exports.py). Re-exported by assessment.access, which callers import from.

| object      | staff | counselor | trainee | orgdept | leader |
|-------------|-------|-----------|---------|---------|--------|
| graduation  | write | own group | own     | read    | read   |
| 个人总结    | write | read      | write own | read  | read   |
| 小组鉴定意见 | write | write own group (as of graduation) | read own | read | read |
| 鉴定表, 证书 | class | own group (as of graduation) | own | class | class |
| export jobs | the requester's own                          |

A trainee reads their appraisal texts and form once the graduation is final (a draft is the
staff's work in progress), but writes their own summary before. A counselor's group is the one
the trainee belonged to on the document day (`document_day`): a trainee who moved in May is
appraised by the group they finished the year in.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from camp.access import has_role
from camp.models import Camp
from camp.roles import Role
from trainees.access import counselor_group_ids, is_self
from trainees.models import Trainee

from .models import ExportJob, StatementKind

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


# --- the appraisal form's texts and the graduation documents (学员鉴定表, 结业证书) ---------------

DOCUMENT_CLASS_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)


def document_day(camp: Camp) -> datetime.date:
    """The day the documents speak of: the graduation day, or today while the camp runs."""
    return min(timezone.localdate(), camp.graduation_date)


def trainees_counseled_on(user, camp: Camp, day: datetime.date) -> QuerySet[Trainee]:
    """The camp's trainees who were in one of this counselor's groups on `day` (none for
    anyone else): "their group's members as of the graduation"."""
    group_ids = counselor_group_ids(user)
    if not group_ids:
        return Trainee.objects.none()
    return Trainee.objects.filter(camp=camp).with_group_on(day).filter(group_on__in=group_ids)


def counsels_on_document_day(user, trainee: Trainee) -> bool:
    day = document_day(trainee.camp)
    return trainees_counseled_on(user, trainee.camp, day).filter(pk=trainee.pk).exists()


def can_write_statement(user, trainee: Trainee, kind: str) -> bool:
    """Staff write both texts (a paper handed in, typed for the trainee); the trainee writes
    their own summary; the counselor the group's opinion of their members."""
    if has_role(user, Role.STAFF):
        return True
    if kind == StatementKind.SELF_SUMMARY:
        return is_self(user, trainee)
    if kind == StatementKind.GROUP_OPINION:
        return has_role(user, Role.COUNSELOR) and counsels_on_document_day(user, trainee)
    return False


def can_write_statements(user) -> bool:
    """Who writes any appraisal text at all (whose is `can_write_statement`)."""
    return has_role(user, Role.STAFF, Role.COUNSELOR, Role.TRAINEE)


def get_statement_trainee_for(user, trainee_pk: int, kind: str) -> Trainee:
    """The trainee whose text `kind` this user is about to write: 404 for an unknown kind or a
    trainee they may not see, 403 for one they see but may not write for."""
    if kind not in StatementKind.values:
        raise Http404
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "person"), pk=trainee_pk
    )
    if can_write_statement(user, trainee, kind):
        return trainee
    if can_read_graduation(user, trainee):
        raise PermissionDenied
    raise Http404


def can_take_graduation_documents(user) -> bool:
    """Who may ask for the documents at all (the registered kinds' `allowed`); which trainees'
    documents is `can_take_trainee_document` / `document_trainees_for`."""
    return has_role(user, *DOCUMENT_CLASS_READERS, Role.COUNSELOR, Role.TRAINEE)


def can_take_edition_documents(user) -> bool:
    """A whole edition's documents in one file: overseers for the class, a counselor for their
    group; a trainee has only their own."""
    return has_role(user, *DOCUMENT_CLASS_READERS, Role.COUNSELOR)


def can_take_trainee_document(user, trainee: Trainee) -> bool:
    """One trainee's appraisal form or certificate. `user` None is the command line."""
    if user is None or user.is_superuser or has_role(user, *DOCUMENT_CLASS_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        return counsels_on_document_day(user, trainee)
    return is_self(user, trainee)


def document_trainees_for(user, camp: Camp) -> QuerySet[Trainee]:
    """Whose documents a whole-edition file holds for this user (then narrowed by the kind)."""
    trainees = Trainee.objects.filter(camp=camp)
    if user is None or user.is_superuser or has_role(user, *DOCUMENT_CLASS_READERS):
        return trainees
    if has_role(user, Role.COUNSELOR):
        return trainees.filter(
            pk__in=trainees_counseled_on(user, camp, document_day(camp)).values("pk")
        )
    return trainees.none()
