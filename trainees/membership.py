"""The dated group membership, read in one place: who was in which group on a day.

The moves are the membership (see `GroupMove`): on a day a trainee is in the `to_group` of
their latest move effective by then, before their first move in its `from_group`, and without
any move in their current group. Every figure per group (ranks, averages, medians, rates,
grids, attendance sheets, dashboards, workbooks) reads these, never `Trainee.group`, which is
only the group today. `TraineeQuerySet.members_of_group_on` is the same rule in SQL.
"""

from __future__ import annotations

import datetime

from camp.models import Camp

from .models import GroupMove, Trainee


def groups_on(
    camp: Camp, day: datetime.date, current: dict[int, int | None] | None = None
) -> dict[int, int | None]:
    """{trainee id: group id on `day`} for every trainee of the camp (members or not; callers
    ask membership separately). Two queries, one when the current groups ({trainee id: group
    id}, e.g. from scores already read) are given."""
    if current is None:
        current = dict(Trainee.objects.filter(camp=camp).values_list("pk", "group_id"))
    groups = dict(current)
    moves = (
        GroupMove.objects.filter(trainee__camp=camp)
        .order_by("trainee_id", "effective_on", "pk")
        .values_list("trainee_id", "from_group_id", "to_group_id", "effective_on")
    )
    seen: set[int] = set()
    for trainee_id, from_group_id, to_group_id, effective_on in moves:
        if trainee_id not in seen:
            seen.add(trainee_id)
            groups[trainee_id] = from_group_id  # before the first move
        if effective_on <= day:
            groups[trainee_id] = to_group_id
    return groups
