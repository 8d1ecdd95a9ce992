"""Reads: a user's inbox, and the header's unread count."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from .models import Notification

# The header reads the count from the cache; every write that changes it forgets it
# (notify, mark read), so it is exact, and an ordinary page costs no query for it.
UNREAD_TIMEOUT = 300


def inbox_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def _key(user_id: int) -> str:
    return f"notifications-unread:{user_id}"


def forget_unread_count(user_id: int) -> None:
    cache.delete(_key(user_id))


def unread_count(request) -> int:
    """This user's unread notifications: once per request, from the cache when it can."""
    user = request.user
    if not user.is_authenticated:
        return 0
    count = getattr(request, "_unread_notifications", None)
    if count is None:
        count = cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(_key(user.pk), count, UNREAD_TIMEOUT)
    request._unread_notifications = count
    return count
