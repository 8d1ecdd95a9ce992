"""Reads of the study-group screens, with their joins made."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from camp.models import Camp

from .access import can_see_group_members, counseled_groups_in, trainee_for_user
from .models import (
    ConductCode,
    Counselor,
    CounselorTerm,
    GroupMove,
    StudyGroup,
    Trainee,
    TraineeStatus,
)


def _active_members() -> QuerySet[Trainee]:
    return (
        Trainee.objects.active()
        .select_related("person")
        .annotate(has_conduct_code=Exists(ConductCode.objects.filter(trainee=OuterRef("pk"))))
        .order_by("person__name", "pk")
    )


def group_members(group: StudyGroup) -> QuerySet[Trainee]:
    """A group's active trainees by name, each with `has_conduct_code`."""
    return _active_members().filter(group=group)


def counseled_groups(user, camp: Camp) -> list[StudyGroup]:
    """The groups this user counsels in `camp`, each with `members` (as `group_members`), in
    two queries however many groups."""
    return list(
        counseled_groups_in(user, camp)
        .order_by("number")
        .prefetch_related(Prefetch("trainees", queryset=_active_members(), to_attr="members"))
    )


@dataclass(frozen=True)
class GroupMembers:
    """What of a group's membership this user may see: `trainees` is None when nothing;
    `names_only` when they see who is in it but not their profiles (a fellow trainee)."""

    trainees: QuerySet[Trainee] | None
    names_only: bool = False


def group_members_for(user, group: StudyGroup) -> GroupMembers:
    """Every role sees a group's name and counselor; its member list follows the profile rule
    (staff, orgdept, leaders, the group's own counselor), and a trainee sees the names of the
    group they belong to."""
    if can_see_group_members(user, group):
        return GroupMembers(trainees=group_members(group))
    own = trainee_for_user(user, group.camp)
    if own is not None and own.is_active and own.group_id == group.pk:
        return GroupMembers(trainees=group_members(group), names_only=True)
    return GroupMembers(trainees=None)


def counselors_with_groups(camp: Camp) -> QuerySet[Counselor]:
    """Every counselor by name, each with `group_number`: the group they counsel in this camp
    now, or None when free to take one."""
    current = StudyGroup.objects.filter(camp=camp, counselor=OuterRef("pk")).values("number")
    return Counselor.objects.annotate(group_number=Subquery(current[:1])).order_by("name", "pk")


def counselor_terms(group: StudyGroup) -> QuerySet[CounselorTerm]:
    return group.counselor_terms.select_related("counselor").order_by("-started_on", "-pk")


def placement_of(camp: Camp) -> QuerySet[Trainee]:
    """Every active trainee with their group and the reason they are in it, group by group."""
    return (
        Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE)
        .select_related("person", "group")
        .order_by("group__number", "person__name", "pk")
    )


def recent_moves(camp: Camp, limit: int = 20) -> QuerySet[GroupMove]:
    """Staff's moves by hand, latest first (automatic ones are the placement itself)."""
    return (
        GroupMove.objects.filter(trainee__camp=camp, automatic=False)
        .select_related("trainee__person", "from_group", "to_group", "by")
        .order_by("-at", "-pk")[:limit]
    )


def unplaced_count(camp: Camp) -> int:
    return Trainee.objects.filter(
        camp=camp, status=TraineeStatus.ACTIVE, group__isnull=True
    ).count()
