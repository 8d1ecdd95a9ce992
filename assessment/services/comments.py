"""Leader comments (点评评议): leaders and the organization department comment on the camp, a
group or a trainee, with the date and the occasion."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..access import can_write_comments
from ..models import CommentTarget, LeaderComment


@transaction.atomic
def leader_comment_create(
    *,
    camp,
    author,
    date: datetime.date,
    occasion: str,
    text: str,
    target: str,
    group=None,
    trainee=None,
) -> LeaderComment:
    if not can_write_comments(author):
        raise ValidationError(_("只有领导和组织部可以发表点评。"))
    if target == CommentTarget.GROUP and (group is None or group.camp_id != camp.pk):
        raise ValidationError(_("请选择本期的一个小组。"))
    if target == CommentTarget.TRAINEE and (trainee is None or trainee.camp_id != camp.pk):
        raise ValidationError(_("请选择本期的一名学员。"))
    comment = LeaderComment(
        camp=camp,
        author=author,
        date=date,
        occasion=(occasion or "").strip(),
        text=(text or "").strip(),
        target=target,
        group=group if target == CommentTarget.GROUP else None,
        trainee=trainee if target == CommentTarget.TRAINEE else None,
    )
    comment.full_clean()
    comment._history_user = author
    comment.save()
    return comment


@transaction.atomic
def leader_comment_update(
    *, comment: LeaderComment, by, date: datetime.date, occasion: str, text: str
) -> LeaderComment:
    if comment.author_id != by.pk:
        raise ValidationError(_("只能修改自己的点评。"))
    comment.date, comment.occasion, comment.text = date, occasion.strip(), text.strip()
    comment.full_clean()
    comment._history_user = by
    comment.save()
    return comment
