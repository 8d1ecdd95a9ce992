"""Trainee logins: passwords are handed out on paper, never e-mailed, never stored in clear."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import Camp, PasswordReset, User
from camp.services.logins import password_reset_record

from ..models import StudyGroup, Trainee

# No 0/o, 1/l/i: the password is read off paper and typed by hand.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def readable_password(groups: int = 3, size: int = 4) -> str:
    """e.g. "k7mp-4x9q-r2tw": 12 random characters (about 59 bits) in groups of four."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


@dataclass(frozen=True)
class IssuedPassword:
    trainee: Trainee
    username: str
    password: str


@transaction.atomic
def trainee_reset_password(*, trainee: Trainee, by: User) -> str:
    """Give the trainee a new random password and return it, to be shown once. The reset is
    recorded (who, in which role, when) and the trainee is told at their next login."""
    user = trainee.person.user
    if user is None:
        raise ValidationError(_("该学员没有登录账号。"))
    if not trainee.is_active or not user.is_active:
        raise ValidationError(_("该学员已退出，账号已停用，不能重置密码。"))
    password = readable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    password_reset_record(user=user, by=by, kind=PasswordReset.Kind.RESET)
    return password


@transaction.atomic
def initial_passwords_issue(
    *, camp: Camp, by: User, group: StudyGroup | None = None, ungrouped: bool = False
) -> list[IssuedPassword]:
    """Fresh passwords for the active trainees who never logged in, for a printed sheet.

    Hashing is deliberately slow (about half a second each), so a page can ask for one group
    (`group`) or the trainees not yet placed (`ungrouped`) at a time."""
    trainees = (
        Trainee.objects.active()
        .filter(camp=camp, person__user__isnull=False, person__user__last_login__isnull=True)
        .filter(person__user__is_active=True)
        .select_related("person__user", "group")
        .order_by("group__number", "person__name", "pk")
    )
    if group is not None:
        trainees = trainees.filter(group=group)
    elif ungrouped:
        trainees = trainees.filter(group__isnull=True)
    issued = []
    for trainee in trainees:
        user = trainee.person.user
        password = readable_password()
        user.set_password(password)
        user.save(update_fields=["password"])
        password_reset_record(user=user, by=by, kind=PasswordReset.Kind.INITIAL)
        issued.append(IssuedPassword(trainee=trainee, username=user.username, password=password))
    return issued
