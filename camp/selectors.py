"""Reads of camp-wide records that are not a camp's own."""

from __future__ import annotations

from .models import PasswordReset, User


def latest_password_reset(user: User, *, after=None) -> PasswordReset | None:
    """The last time someone else set this user's password (optionally: since `after`)."""
    resets = PasswordReset.objects.filter(user=user)
    if after is not None:
        resets = resets.filter(at__gt=after)
    return resets.select_related("by").order_by("-at").first()
