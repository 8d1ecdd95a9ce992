"""The end of a login, and passwords set by someone else.

The end of a login. A login opens more than the session: a trainee's calendar feed answers
to a secret URL without any session at all. The apps that hand out such secrets register a hook
here (from their AppConfig.ready()), so that camp and trainees end them without importing up."""

from __future__ import annotations

from django.db import transaction

from ..models import PasswordReset, User

# Each hook takes the user whose login was disabled.
LOGIN_DISABLED_HOOKS: list = []


@transaction.atomic
def user_disable(*, user: User) -> User:
    """Disable the login and revoke every secret that stood in for it."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    login_disabled(user=user)
    return user


def login_disabled(*, user: User) -> None:
    """Revoke what the login opened; for a login disabled elsewhere (the admin's checkbox)."""
    for hook in LOGIN_DISABLED_HOOKS:
        hook(user)


def password_reset_record(*, user: User, by: User | None, kind: str) -> PasswordReset:
    """Keep who set another person's password, in which role, and when. Called inside the
    transaction that sets it, so a password is never set without its record."""
    record = PasswordReset(user=user, by=by, by_role=getattr(by, "role", "") or "", kind=kind)
    record.full_clean()
    record.save()
    return record
