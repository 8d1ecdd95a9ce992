"""Reads for graduation (models/graduation.py)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from camp.models import Camp
from curriculum.hours_selectors import StudyHours, trainee_study_hours
from curriculum.selectors import leave_over_limit
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


def leave_exceeds_limit(trainee: Trainee) -> bool:
    """Approved leave over 1/7 of the year's half-days: the camp may decline to graduate them."""
    return leave_over_limit(trainee.camp, Trainee.objects.filter(pk=trainee.pk)).exists()


def hours_short_of_minimum(trainee: Trainee) -> StudyHours | None:
    """The trainee's 学时 if their attended hours fall below the camp's minimum share of the
    hours required (as of today, or the camp's last day once it is over); None when enough, or
    when the camp sets no minimum or nothing was required."""
    camp = trainee.camp
    if not camp.min_hours_share:
        return None
    hours = trainee_study_hours(trainee, day=min(timezone.localdate(), camp.end_date))
    if hours.share is None or hours.share >= camp.min_hours_share:
        return None
    return hours
