"""Access helpers for the trainees app's models: the backbone's access table, said once.

| object                      | staff | counselor        | trainee    | orgdept | leader |
|-----------------------------|-------|------------------|------------|---------|--------|
| candidates and selection    | edit  | -                | -          | read    | -      |
| trainee profiles            | edit  | own group        | self       | read    | read   |
| conduct codes               | read  | own group        | write own  | read    | -      |
| study groups                | edit  | read (own edits) | read       | read    | read   |

An object the user may not see is a 404, never a hint that it exists; an object they may see
but not change is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import can_see_personal_data, has_role
from camp.models import Camp
from camp.roles import Role

from .models import Candidate, ConductCode, RankAlias, StudyGroup, Trainee

PROFILE_READERS = (Role.STAFF, Role.ORGDEPT, Role.LEADER)
SELECTION_READERS = (Role.STAFF, Role.ORGDEPT)


def counselor_group_ids(user) -> set[int]:
    """The groups this user counsels now. A successor inherits the group, and with it the
    group's records; a predecessor loses them."""
    if not has_role(user, Role.COUNSELOR):
        return set()
    return set(StudyGroup.objects.filter(counselor__user=user).values_list("pk", flat=True))


def counseled_groups_in(user, camp: Camp) -> QuerySet[StudyGroup]:
    """The groups this user counsels now in `camp`, none for anyone but an active counselor:
    the one statement of "the counselor's group in this camp"."""
    if not has_role(user, Role.COUNSELOR):
        return StudyGroup.objects.none()
    return StudyGroup.objects.filter(camp=camp, counselor__user=user)


def counseled_group_in(user, camp: Camp) -> StudyGroup | None:
    """The counselor's own group in `camp` (the first, should they counsel two)."""
    return counseled_groups_in(user, camp).first()


def is_self(user, trainee: Trainee) -> bool:
    return has_role(user, Role.TRAINEE) and trainee.person.user_id == user.pk


def can_view_trainee(user, trainee: Trainee, *, group_ids: set[int] | None = None) -> bool:
    """`group_ids`, where given, are the counselor's groups read once for a whole list."""
    if has_role(user, *PROFILE_READERS):
        return True
    if has_role(user, Role.COUNSELOR):
        if group_ids is None:
            group_ids = counselor_group_ids(user)
        return trainee.group_id is not None and trainee.group_id in group_ids
    return is_self(user, trainee)


def trainee_for_user(user, camp: Camp | None = None) -> Trainee | None:
    """The trainee record of a logged-in trainee (in `camp`, or their latest edition)."""
    if not has_role(user, Role.TRAINEE):
        return None
    qs = Trainee.objects.filter(person__user=user).select_related(
        "camp", "group", "group__counselor", "person"
    )
    if camp is not None:
        qs = qs.filter(camp=camp)
    return qs.order_by("-camp__year").first()


def get_trainee_for(user, pk: int, *, edit: bool = False) -> Trainee:
    """The trainee, if this user may see them: staff, orgdept and leaders see all, a counselor
    sees their group, a trainee only themself. Only staff edit a profile."""
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "group__counselor", "person"), pk=pk
    )
    if not can_view_trainee(user, trainee):
        raise Http404
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied
    return trainee


def visible_trainees(user, camp: Camp) -> QuerySet[Trainee]:
    """The trainees of a camp this user may list: everyone for staff, orgdept and leaders, the
    own group for a counselor, and only themself for a trainee."""
    qs = Trainee.objects.filter(camp=camp)
    if has_role(user, *PROFILE_READERS):
        return qs
    if has_role(user, Role.COUNSELOR):
        return qs.filter(group_id__in=counselor_group_ids(user))
    if has_role(user, Role.TRAINEE):
        return qs.filter(person__user=user)
    return qs.none()


def get_candidate_for(user, pk: int, *, edit: bool = False) -> Candidate:
    """Candidates and selection: staff edit, orgdept reads, nobody else knows of them."""
    if not has_role(user, *SELECTION_READERS):
        raise Http404
    candidate = get_object_or_404(
        Candidate.objects.select_related("camp", "person", "decided_by"), pk=pk
    )
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied
    return candidate


def require_selection_access(user, *, edit: bool = False) -> None:
    """For list and import pages of candidates, which are about a camp rather than one object."""
    if not has_role(user, *SELECTION_READERS):
        raise Http404
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied


def get_rank_alias_for(user, pk: int) -> RankAlias:
    """Rank aliases feed selection: only staff change them, and only they see the table."""
    require_selection_access(user, edit=True)
    return get_object_or_404(RankAlias, pk=pk)


def get_group_for(user, pk: int, *, edit: bool = False) -> StudyGroup:
    """Every role reads a group's name, theme and counselor. Its member list follows the
    profile rule (see `visible_trainees`). Only staff change placement and counselors."""
    if not has_role(user, *Role.values):
        raise Http404
    group = get_object_or_404(StudyGroup.objects.select_related("camp", "counselor"), pk=pk)
    if edit and not has_role(user, Role.STAFF):
        raise PermissionDenied
    return group


def can_edit_groups(user) -> bool:
    """Placement, moves, counselors and their terms: staff only."""
    return has_role(user, Role.STAFF)


def can_read_conduct_codes_in(user, group_id: int | None) -> bool:
    """Whether this user reads the conduct codes of a group's trainees (not their own)."""
    if has_role(user, Role.STAFF, Role.ORGDEPT):
        return True
    return group_id is not None and group_id in counselor_group_ids(user)


def can_see_group_members(user, group: StudyGroup) -> bool:
    """A group's member list follows the profile rule: overseers, and its own counselor."""
    return has_role(user, *PROFILE_READERS) or group.pk in counselor_group_ids(user)


def can_search_trainees(user) -> bool:
    """The search across every edition follows the profile rule for all trainees."""
    return has_role(user, *PROFILE_READERS)


def can_see_placement(user) -> bool:
    """The placement page (who went where and why) follows the profile rule for all trainees."""
    return has_role(user, *PROFILE_READERS)


def get_conduct_code_for(user, trainee_pk: int, *, write: bool = False) -> Trainee:
    """Conduct codes: the trainee writes their own; their counselor, staff and orgdept read;
    nobody else (other trainees, leaders) learns of it. Returns the trainee whose code it is
    (the code itself may not exist yet)."""
    trainee = get_object_or_404(
        Trainee.objects.select_related("camp", "group", "person"), pk=trainee_pk
    )
    if not (is_self(user, trainee) or can_read_conduct_codes_in(user, trainee.group_id)):
        raise Http404
    if write and not is_self(user, trainee):
        raise PermissionDenied
    return trainee


def conduct_code_of(trainee: Trainee) -> ConductCode | None:
    return ConductCode.objects.filter(trainee=trainee).first()


def can_read_selection(user) -> bool:
    return has_role(user, *SELECTION_READERS)


def can_edit_selection(user) -> bool:
    return has_role(user, Role.STAFF)


def get_trainee_personal_data_for(user, pk: int) -> Trainee:
    """The trainee whose full ID number and phone staff or orgdept asked to see; others who
    may see the profile get 403, the rest 404."""
    trainee = get_trainee_for(user, pk)
    if not can_see_personal_data(user):
        raise PermissionDenied
    return trainee
