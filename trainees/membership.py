"""The dated group membership, read in one place: who was in which group on a day.

The moves are the membership (see `GroupMove`): on a day a trainee is in the `to_group` of
their latest move effective by then, before their first move in its `from_group`, and without
any move in their current group. Every figure per group (ranks, averages, medians, rates,
grids, attendance sheets, dashboards, workbooks) reads these, never `Trainee.group`, which is
only the group today. `TraineeQuerySet.members_of_group_on` is the same rule in SQL.
`check_move_date` is the rule for a move's date, which keeps the periods from overlapping.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from camp.models import Camp

from .models import GroupMove, Trainee


class GroupTimeline:
    """Every trainee's groups over time, read once: `on(trainee_id, day)` is their group that
    day (for figures over many days, such as each month of a year, without a query per day)."""

    def __init__(self, camp: Camp | None, current: dict[int, int | None] | None = None):
        """The camp's trainees (two queries, one with `current` given), or, with `camp`
        None, only the trainees in `current` (one query)."""
        if current is None:
            current = dict(Trainee.objects.filter(camp=camp).values_list("pk", "group_id"))
        self.current = current
        self.moves: dict[int, list[tuple[datetime.date, int | None, int]]] = {}
        moves = GroupMove.objects.all()
        if camp is None:
            moves = moves.filter(trainee_id__in=list(current))
        else:
            moves = moves.filter(trainee__camp=camp)
        for trainee_id, from_group_id, to_group_id, effective_on in moves.order_by(
            "trainee_id", "effective_on", "pk"
        ).values_list("trainee_id", "from_group_id", "to_group_id", "effective_on"):
            self.moves.setdefault(trainee_id, []).append((effective_on, from_group_id, to_group_id))

    def on(self, trainee_id: int, day: datetime.date) -> int | None:
        moves = self.moves.get(trainee_id)
        if not moves:
            return self.current.get(trainee_id)
        group = moves[0][1]  # before the first move: the group it took them from
        for effective_on, _from_group_id, to_group_id in moves:
            if effective_on > day:
                break
            group = to_group_id
        return group


def groups_on(
    camp: Camp, day: datetime.date, current: dict[int, int | None] | None = None
) -> dict[int, int | None]:
    """{trainee id: group id on `day`} for every trainee of the camp (members or not; callers
    ask membership separately). Two queries, one when the current groups ({trainee id: group
    id}, e.g. from scores already read) are given."""
    timeline = GroupTimeline(camp, current)
    return {pk: timeline.on(pk, day) for pk in timeline.current}


def check_move_date(trainee: Trainee, day: datetime.date) -> None:
    """A move takes effect within the trainee's membership of the camp, within the camp's
    dates, and not before their previous move took effect (so periods never overlap)."""
    camp = trainee.camp
    if not camp.start_date <= day <= camp.end_date:
        raise ValidationError(
            _("生效日期须在本期培训期间（%(start)s至%(end)s）。"),
            params={"start": camp.start_date.isoformat(), "end": camp.end_date.isoformat()},
        )
    if day < trainee.admitted_on:
        raise ValidationError(
            _("生效日期不能早于该学员的入营日期（%(day)s）。"),
            params={"day": trainee.admitted_on.isoformat()},
        )
    if trainee.withdrawn_on is not None and day > trainee.withdrawn_on:
        raise ValidationError(
            _("生效日期不能晚于该学员的退出日期（%(day)s）。"),
            params={"day": trainee.withdrawn_on.isoformat()},
        )
    last = (
        GroupMove.objects.filter(trainee=trainee)
        .order_by("-effective_on", "-pk")
        .values_list("effective_on", flat=True)
        .first()
    )
    if last is not None and day < last:
        raise ValidationError(
            _("生效日期不能早于该学员上一次小组调整的生效日期（%(day)s）。"),
            params={"day": last.isoformat()},
        )
