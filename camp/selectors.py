"""Reads of camp-wide records that are not a camp's own."""

from __future__ import annotations

from .models import Draft, PasswordReset, User


def latest_password_reset(user: User, *, after=None) -> PasswordReset | None:
    """The last time someone else set this user's password (optionally: since `after`)."""
    resets = PasswordReset.objects.filter(user=user)
    if after is not None:
        resets = resets.filter(at__gt=after)
    return resets.select_related("by").order_by("-at").first()


def draft_of(*, user: User, key: str) -> Draft | None:
    """The user's own draft of this form, if any: nobody else's is ever read."""
    if not user.is_authenticated:
        return None
    return Draft.objects.filter(user=user, key=key).first()
