"""Reads for graduation (models/graduation.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from camp.models import Camp
from trainees.access import is_self
from trainees.models import Trainee

from .models import Graduation


def graduations(camp: Camp) -> QuerySet[Trainee]:
    """Every trainee up for graduation (withdrawn ones are not) with their graduation record
    (or None) attached."""
    return (
        Trainee.objects.filter(camp=camp)
        .active()
        .select_related("person", "group", "graduation")
        .order_by("group__number", "admitted_on", "pk")
    )


def graduation_of(trainee: Trainee) -> Graduation | None:
    return Graduation.objects.filter(trainee=trainee).first()


def graduation_shown_to(user, trainee: Trainee) -> Graduation | None:
    """The graduation as `user` may read it: a trainee reads their own only once it is final
    (a draft is the staff's work in progress)."""
    graduation = graduation_of(trainee)
    if graduation is not None and is_self(user, trainee) and not graduation.finalized_at:
        return None
    return graduation


def has_final_graduation(trainee: Trainee) -> bool:
    return Graduation.objects.filter(trainee=trainee, finalized_at__isnull=False).exists()
