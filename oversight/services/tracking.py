"""Tracking (跟踪关注), inspection notes (专项考察) and categorized interviews (分类面谈): the
organization department's own records of the trainees it follows."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trainees.models import Trainee

from ..models import InspectionNote, Interview, InterviewCategory, TrackedTrainee


def _attribute(instance, by) -> None:
    # simple-history takes the user from the request; services also run from commands.
    instance._history_user = by


@transaction.atomic
def tracking_mark(*, trainee: Trainee, by, reason: str = "") -> TrackedTrainee:
    """Follow a trainee. Marking again only updates the reason."""
    tracking = TrackedTrainee.objects.filter(trainee=trainee).first()
    if tracking is None:
        tracking = TrackedTrainee(trainee=trainee, marked_by=by)
    tracking.reason = reason.strip()
    tracking.full_clean()
    _attribute(tracking, by)
    tracking.save()
    return tracking


@transaction.atomic
def tracking_unmark(*, trainee: Trainee, by) -> None:
    tracking = TrackedTrainee.objects.filter(trainee=trainee).first()
    if tracking is not None:
        _attribute(tracking, by)
        tracking.delete()


@transaction.atomic
def inspection_note_create(
    *, trainee: Trainee, by, date: datetime.date, occasion: str, observation: str
) -> InspectionNote:
    if not observation.strip():
        raise ValidationError({"observation": _("请填写考察情况。")})
    note = InspectionNote(
        trainee=trainee,
        author=by,
        date=date,
        occasion=occasion.strip(),
        observation=observation.strip(),
    )
    note.full_clean()
    _attribute(note, by)
    note.save()
    return note


@transaction.atomic
def interview_category_create(*, name: str) -> InterviewCategory:
    name = name.strip()
    if InterviewCategory.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的面谈类别“%(name)s”。") % {"name": name}})
    order = InterviewCategory.objects.count() + 1
    category = InterviewCategory(name=name, order=order)
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def interview_create(
    *,
    trainee: Trainee,
    by,
    category: InterviewCategory,
    date: datetime.date,
    interviewers: str,
    notes: str,
) -> Interview:
    if not notes.strip():
        raise ValidationError({"notes": _("请填写面谈记录。")})
    if trainee.camp.start_date > date:
        raise ValidationError({"date": _("面谈日期早于本期开班，请核对日期。")})
    interview = Interview(
        trainee=trainee,
        author=by,
        category=category,
        date=date,
        interviewers=interviewers.strip(),
        notes=notes.strip(),
    )
    interview.full_clean()
    _attribute(interview, by)
    interview.save()
    return interview
