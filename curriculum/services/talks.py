"""Counselors' talks (谈心谈话): recorded by the counselor of the trainee's group."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from curriculum.models import Talk
from trainees.models import Trainee


@transaction.atomic
def talk_record(*, trainee: Trainee, by, held_on: datetime.date, topics: str, summary: str) -> Talk:
    """Record a talk. It belongs to the trainee's group, so the group's next counselor reads
    it too."""
    counselor = getattr(by, "counselor", None)
    group = trainee.group
    if counselor is None or group is None or group.counselor_id != counselor.pk:
        raise PermissionDenied(_("只有该学员所在小组的现任辅导员可以记录谈心谈话。"))
    if held_on > timezone.localdate():
        raise ValidationError(_("谈话日期不能晚于今天。"))
    if not (topics or "").strip() or not (summary or "").strip():
        raise ValidationError(_("请填写谈话主题和谈话摘要。"))
    talk = Talk(
        trainee=trainee,
        group=group,
        counselor=counselor,
        held_on=held_on,
        topics=topics.strip(),
        summary=summary.strip(),
    )
    talk.full_clean()
    talk._history_user = by
    talk.save()
    return talk
