"""Reads: a user's inbox, and the header's unread count."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Notification


def unread_count(request) -> int:
    """This user's unread notifications: the counter on the user the request loaded anyway
    (`User.unread_notifications`, kept by the services), so the header costs no query."""
    user = request.user
    if not user.is_authenticated:
        return 0
    return user.unread_notifications


def inbox_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")
