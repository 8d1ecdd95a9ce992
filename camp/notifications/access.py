"""One access helper per model of the notifications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from camp.access import has_role
from camp.roles import Role

from .models import Delivery, Notification, NotificationSettings, Reminder


def get_notification_for(user, pk: int) -> Notification:
    """A notification is its recipient's alone; anyone else gets 404, never a hint."""
    notification = get_object_or_404(Notification, pk=pk)
    if notification.user_id != user.pk:
        raise Http404
    return notification


def get_delivery_for(user, pk: int) -> Delivery:
    """A delivery's state: its recipient and staff (who answer "did I get it?")."""
    delivery = get_object_or_404(Delivery.objects.select_related("notification"), pk=pk)
    if delivery.notification.user_id != user.pk and not has_role(user, Role.STAFF):
        raise Http404
    return delivery


def get_reminder_for(user, pk: int) -> Reminder:
    reminder = get_object_or_404(Reminder, pk=pk)
    if reminder.user_id != user.pk and not has_role(user, Role.STAFF):
        raise Http404
    return reminder


def can_edit_notification_settings(user, target) -> bool:
    return user.is_authenticated and (user.pk == target.pk or has_role(user, Role.STAFF))


def get_notification_settings_for(user, target) -> NotificationSettings:
    """A user's addresses and channel choices: the user themself and staff may edit them."""
    if not can_edit_notification_settings(user, target):
        raise PermissionDenied
    settings, _created = NotificationSettings.objects.get_or_create(user=target)
    return settings
