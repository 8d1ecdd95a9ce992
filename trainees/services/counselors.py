"""Political counselors (政治辅导员): their logins and their terms with a group.

The article asks for leaders at 正处级 or above, one per group. A counselor may be replaced
during the year; each CounselorTerm keeps who counseled the group when, and the group's
`counselor` always names the current one (access follows the current counselor)."""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import User
from camp.roles import Role
from trainees.models import COUNSELOR_RANKS, Counselor, CounselorTerm, Rank, StudyGroup


def _require_counselor_rank(rank: str) -> None:
    if rank not in COUNSELOR_RANKS:
        raise ValidationError(
            _("政治辅导员须为正处级及以上领导干部，%(rank)s不符合，请选择其他人选。"),
            params={"rank": Rank(rank).label if rank in Rank.values else rank},
        )


@transaction.atomic
def counselor_create(
    *,
    username: str,
    name: str,
    unit: str,
    position: str,
    rank: str,
    password: str | None = None,
) -> Counselor:
    """A counselor with a login. Without a password the login cannot be used until staff set
    one (password reset), so no guessable default ever exists."""
    _require_counselor_rank(rank)
    username = (username or "").strip()
    if not username:
        raise ValidationError(_("请填写登录用户名。"))
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            _("用户名“%(username)s”已被使用，请换一个。"), params={"username": username}
        )
    user = User(username=username, full_name=name, role=Role.COUNSELOR)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    counselor = Counselor(user=user, name=name, unit=unit, position=position, rank=rank)
    counselor.full_clean()
    counselor.save()
    return counselor


@transaction.atomic
def group_counselor_replace(
    *, group: StudyGroup, counselor: Counselor, on: datetime.date, by: User, reason: str = ""
) -> CounselorTerm:
    """Make `counselor` the group's counselor from `on`. The current term, if any, ends the
    day before; the first assignment simply opens a term."""
    group = StudyGroup.objects.select_for_update().select_related("camp").get(pk=group.pk)
    _require_counselor_rank(counselor.rank)
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError(_("变更原因请控制在200字以内。"))
    if group.counselor_id == counselor.pk:
        raise ValidationError(
            _("%(name)s已是本组政治辅导员，无需更换。"), params={"name": counselor.name}
        )
    elsewhere = (
        StudyGroup.objects.filter(camp_id=group.camp_id, counselor=counselor)
        .exclude(pk=group.pk)
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            _("%(name)s已担任%(group)s的政治辅导员，每组一名，请先为该组另选辅导员。"),
            params={"name": counselor.name, "group": str(elsewhere)},
        )
    current = CounselorTerm.objects.filter(group=group, ended_on__isnull=True).first()
    if current is not None:
        if on <= current.started_on:
            raise ValidationError(
                _("更换日期须晚于现任辅导员的任职开始日期（%(date)s），请重新选择日期。"),
                params={"date": current.started_on.isoformat()},
            )
        current.ended_on = on - datetime.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["ended_on"])
    term = CounselorTerm(group=group, counselor=counselor, started_on=on, reason=reason)
    term.full_clean(validate_constraints=False)  # the old term is closed in this transaction
    term.save()
    group.counselor = counselor
    group._history_user = by
    group._change_reason = reason or _("更换政治辅导员")
    group.save(update_fields=["counselor"])
    return term
