"""Admission (录取): deciding about candidates, admitting them as trainees, withdrawing them.

The camp row is locked while admitting, so two staff admitting the last place at once cannot
both succeed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.camp_cache import camp_changed
from camp.models import Camp, User
from camp.roles import Role
from camp.services.logins import user_disable

from ..eligibility import eligibility_of
from ..models import (
    Candidate,
    Decision,
    Person,
    Post,
    Trainee,
    TraineeStatus,
    WithdrawalKind,
)

# Each hook takes a trainee just withdrawn; apps above this one (the calendar feed) register
# what must end with the trainee's place, from their AppConfig.ready().
TRAINEE_WITHDRAWN_HOOKS: list = []


@transaction.atomic
def candidate_decide(
    *, candidate: Candidate, decision: str, by: User, reason: str = ""
) -> Candidate:
    """Admit, waitlist, reject, or return a candidate to pending. Admitting goes through
    `trainee_admit` (capacity, written reason for an exception, the login)."""
    if decision not in Decision.values:
        raise ValidationError(_("未知的决定，请选择录取、候补、不录取或待定。"))
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("person", "camp")
        .get(pk=candidate.pk)
    )
    if decision == Decision.ADMITTED:
        trainee_admit(candidate=candidate, by=by, reason=reason)
        candidate.refresh_from_db()
        return candidate
    if Trainee.objects.filter(candidate=candidate).exists():
        raise ValidationError(
            _("%(name)s 已录取为学员，不能改为其他决定；如需退出，请在学员页办理退出。")
            % {"name": candidate.person.name}
        )
    candidate.decision = decision
    candidate.decision_reason = reason.strip()
    candidate.decided_by = by if decision != Decision.PENDING else None
    candidate.decided_at = timezone.now() if decision != Decision.PENDING else None
    candidate.full_clean()
    candidate._history_user = by  # the history names who decided, from a command or task too
    candidate.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    return candidate


def _default_username(camp: Camp) -> str:
    """Readable and unique: t<camp code><number>, e.g. t2026001."""
    number = Trainee.objects.filter(camp=camp).count() + 1
    prefix = "t" + "".join(ch for ch in camp.code if ch.isalnum())
    while True:
        username = f"{prefix}{number:03d}"
        if not User.objects.filter(username=username).exists():
            return username
        number += 1


def _login_for(person: Person, camp: Camp, username: str | None, password: str | None) -> User:
    user = person.user
    if user is None:
        username = (username or "").strip() or _default_username(camp)
        if User.objects.filter(username=username).exists():
            raise ValidationError(
                _("用户名 %(username)s 已被占用，请换一个。") % {"username": username}
            )
        user = User(username=username)
    elif user.role not in ("", Role.TRAINEE) or user.is_superuser:
        # One login, one role: turning a counselor's or staff member's login into a trainee's
        # would take their access away silently.
        raise ValidationError(
            _("%(name)s 的登录账号 %(username)s 已用于其他角色，请先由管理员解除关联。")
            % {"name": person.name, "username": user.username}
        )
    user.full_name = person.name
    user.role = Role.TRAINEE
    user.is_active = True
    if password:
        user.set_password(password)
    elif user.pk is None:
        # No password yet: staff hand out the initial passwords on a printed sheet.
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return user


@transaction.atomic
def trainee_admit(
    *,
    candidate: Candidate,
    by: User,
    reason: str = "",
    username: str | None = None,
    password: str | None = None,
    admitted_on: datetime.date | None = None,
) -> Trainee:
    """Admit a candidate into their camp. Refuses beyond capacity; an ineligible candidate
    needs a written reason, which is kept. Creates (or re-enables) the trainee's login."""
    camp = Camp.objects.select_for_update().get(pk=candidate.camp_id)  # two staff, one last place
    candidate = Candidate.objects.select_related("person").get(pk=candidate.pk)
    if Trainee.objects.filter(candidate=candidate).exists():
        raise ValidationError(
            _("%(name)s 已录取，无需重复录取。") % {"name": candidate.person.name}
        )
    active = Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE).count()
    if active >= camp.capacity:
        raise ValidationError(
            _(
                "本期已满员（%(active)d/%(capacity)d人），不能再录取。请先办理学员退出，或调整届次容量。"
            )
            % {"active": active, "capacity": camp.capacity}
        )
    reason = reason.strip()
    if not eligibility_of(candidate.person, camp).met and not reason:
        raise ValidationError(_("该人选不符合选调条件，破格录取须填写理由。"))
    _login_for(candidate.person, camp, username, password)
    candidate.decision = Decision.ADMITTED
    candidate.decision_reason = reason
    candidate.decided_by = by
    candidate.decided_at = timezone.now()
    candidate.full_clean()
    candidate._history_user = by
    candidate.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    trainee = Trainee(
        camp=camp,
        person=candidate.person,
        candidate=candidate,
        admitted_on=admitted_on or timezone.localdate(),
    )
    trainee.full_clean()
    trainee._history_user = by
    trainee.save()
    camp_changed(camp_id=camp.pk)
    return trainee


@transaction.atomic
def trainee_withdraw(
    *, trainee: Trainee, kind: str, reason: str, on: datetime.date, by: User
) -> Trainee:
    """Withdraw a trainee (promoted, transferred, left). The login is disabled; the trainee's
    records stay. The freed place can then be filled from the waitlist."""
    trainee = (
        Trainee.objects.select_for_update(of=("self",))
        .select_related("person__user")
        .get(pk=trainee.pk)
    )
    if trainee.status == TraineeStatus.WITHDRAWN:
        raise ValidationError(_("该学员已于%(on)s退出。") % {"on": trainee.withdrawn_on})
    if kind not in WithdrawalKind.values:
        raise ValidationError({"kind": _("请选择退出类型：提拔、调动或其他原因。")})
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("请填写退出原因。")})
    if on is None or on < trainee.admitted_on:
        raise ValidationError(
            {"on": _("退出日期不能早于入营日期（%(d)s）。") % {"d": trainee.admitted_on}}
        )
    trainee.status = TraineeStatus.WITHDRAWN
    trainee.withdrawal_kind = kind
    trainee.withdrawal_reason = reason.strip()
    trainee.withdrawn_on = on
    if trainee.post:
        trainee.post = Post.NONE
    trainee.full_clean()
    trainee._history_user = by
    trainee.save(
        update_fields=["status", "withdrawal_kind", "withdrawal_reason", "withdrawn_on", "post"]
    )
    camp_changed(camp_id=trainee.camp_id)
    user = trainee.person.user
    still_training = (
        Trainee.objects.active().filter(person=trainee.person).exclude(pk=trainee.pk).exists()
    )
    for hook in TRAINEE_WITHDRAWN_HOOKS:
        hook(trainee)
    if user is not None and not still_training:
        user_disable(user=user)
    return trainee


@transaction.atomic
def trainee_set_post(*, trainee: Trainee, post: str, by: User) -> Trainee:
    """Give a trainee a post (班委 or 组长), or take it away. A group has one group leader."""
    if post not in Post.values:
        raise ValidationError({"post": _("请选择班委、组长或无。")})
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if not trainee.is_active:
        raise ValidationError(_("已退出的学员不能担任职务。"))
    if post == Post.GROUP_LEADER:
        if trainee.group_id is None:
            raise ValidationError(_("该学员尚未分组，分组后才能担任组长。"))
        other = (
            Trainee.objects.active()
            .filter(group_id=trainee.group_id, post=Post.GROUP_LEADER)
            .exclude(pk=trainee.pk)
            .select_related("person")
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("本组已有组长%(name)s，请先撤销其组长职务。") % {"name": other.person.name}
            )
    trainee.post = post
    trainee.full_clean()
    trainee._history_user = by
    trainee.save(update_fields=["post"])
    return trainee
