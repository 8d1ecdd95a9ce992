"""A trainee's study group as of a date, from the moves recorded (GroupMove): the group of the
last move made by that day; before any move, the group the first later move took them from;
with no move at all, their group now."""

from __future__ import annotations

import datetime

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Subquery, When

from .models import GroupMove, Trainee


def with_group_number_on(trainees: QuerySet[Trainee], day: datetime.date) -> QuerySet[Trainee]:
    """The trainees annotated with `group_number_on`: their group's number on `day` (None for
    no group), in the query that reads them."""
    moves = GroupMove.objects.filter(trainee_id=OuterRef("pk"))
    made = moves.filter(at__date__lte=day)
    later = moves.filter(at__date__gt=day)
    return trainees.annotate(
        group_number_on=Case(
            When(
                Exists(made),
                then=Subquery(made.order_by("-at", "-pk").values("to_group__number")[:1]),
            ),
            When(
                Exists(later),
                then=Subquery(later.order_by("at", "pk").values("from_group__number")[:1]),
            ),
            default=F("group__number"),
        )
    )
