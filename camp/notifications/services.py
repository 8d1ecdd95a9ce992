"""Writes: record a notification (and its deliveries), mark read, a user's channel settings."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import SENDERS, DeliveryError, channel_address, channel_configured
from .models import (
    Channel,
    Delivery,
    DeliveryState,
    Kind,
    Notification,
    NotificationSettings,
    Reminder,
)

logger = logging.getLogger(__name__)

DELIVER_TASK = "camp.notifications.tasks.deliver_notification"


def _chosen_channels(user, kind: str) -> list[str]:
    if not _has_settings(user):
        return []
    profile = user.notification_settings
    return [
        channel
        for channel in profile.channels_for(kind)
        if channel_configured(channel) and channel_address(channel, user)
    ]


def _has_settings(user) -> bool:
    try:
        user.notification_settings  # noqa: B018 - a reverse one-to-one raises when missing
    except NotificationSettings.DoesNotExist:
        return False
    return True


@transaction.atomic
def notify(
    *, users: Iterable, kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each user's inbox and queue its other channels, sent once this
    transaction commits. A channel that is down never fails the caller: the task retries."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    made = []
    seen = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(
            user=user, kind=kind, title=title[:200], body=body, url=url[:300]
        )
        for channel in _chosen_channels(user, kind):
            delivery = Delivery.objects.create(notification=notification, channel=channel)
            transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
        made.append(notification)
    if made:
        transaction.on_commit(lambda: unread_changed(made))
    return made


def unread_changed(notifications) -> None:
    from .selectors import forget_unread_count

    for notification in notifications:
        forget_unread_count(notification.user_id)


def _enqueue(delivery_pk: int) -> None:
    """Hand the delivery to its task. A broker that is down leaves it pending; the delivery
    sweep (beat) picks it up again, so the action that caused it is never blocked."""
    from camp.celery import app
    from camp.jobs import _broker_errors

    try:
        app.tasks[DELIVER_TASK].apply_async(args=[delivery_pk], retry=False)
    except _broker_errors():
        logger.warning("delivery %s: broker unavailable, left pending", delivery_pk)
    except Exception:
        # In-process (eager) runs raise the delivery's own failure here; it is recorded.
        logger.exception("delivery %s failed in process", delivery_pk)


def delivery_send(*, delivery_pk: int) -> bool:
    """One attempt at one delivery: True once sent (now or before). Raises DeliveryError when
    the channel did not take it, after recording the attempt; the same key goes every time."""
    delivery = (
        Delivery.objects.select_related("notification__user__notification_settings")
        .filter(pk=delivery_pk)
        .first()
    )
    if delivery is None or delivery.state == DeliveryState.SENT:
        return delivery is not None
    Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
    try:
        SENDERS[Channel(delivery.channel)](delivery)
    except DeliveryError as error:
        Delivery.objects.filter(pk=delivery.pk).update(last_error=str(error)[:300])
        raise
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def delivery_give_up(*, delivery_pk: int, error: str) -> None:
    Delivery.objects.filter(pk=delivery_pk).exclude(state=DeliveryState.SENT).update(
        state=DeliveryState.FAILED, last_error=error[:300]
    )


def deliveries_resend_pending(*, older_than: datetime.timedelta) -> int:
    """Pending deliveries whose task never ran (a broker outage): enqueue them again."""
    cutoff = timezone.now() - older_than
    pks = list(
        Delivery.objects.filter(
            state=DeliveryState.PENDING, notification__created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for pk in pks:
        _enqueue(pk)
    return len(pks)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        unread_changed([notification])
    return notification


def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    from .selectors import forget_unread_count

    forget_unread_count(user.pk)
    return count


@transaction.atomic
def reminder_record(
    *, user, kind: str, date: datetime.date, title: str, body: str = "", url: str = ""
) -> bool:
    """A daily reminder, once per (user, kind, date): False if it was made already."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(user=user, kind=kind, date=date)
    except IntegrityError:
        return False
    made = notify(users=[user], kind=kind, title=title, body=body, url=url)
    if made:
        reminder.notification = made[0]
        reminder.save(update_fields=["notification"])
    return bool(made)


@transaction.atomic
def notification_settings_update(
    *, user, by, email: str, messaging_id: str, channels: dict[str, list[str]]
) -> NotificationSettings:
    """A user's addresses and channel choices; the user or staff edit them."""
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ValidationError({"email": _("请输入有效的电子邮件地址。")}) from error
    messaging_id = (messaging_id or "").strip()
    clean = {}
    for kind, chosen in (channels or {}).items():
        if kind not in Kind.values:
            raise ValidationError(_("未知的通知类型。"))
        bad = [c for c in chosen if c not in Channel.values]
        if bad:
            raise ValidationError(_("未知的通知渠道。"))
        clean[kind] = sorted(set(chosen))
    if any(Channel.EMAIL in c for c in clean.values()) and not email:
        raise ValidationError({"email": _("选择电子邮件渠道时，请填写电子邮件地址。")})
    if any(Channel.WEBHOOK in c for c in clean.values()) and not messaging_id:
        raise ValidationError({"messaging_id": _("选择政务消息渠道时，请填写政务消息账号。")})
    profile, _created = NotificationSettings.objects.get_or_create(user=user)
    profile.messaging_id = messaging_id
    profile.channels = clean
    profile.full_clean()
    profile.save()
    if user.email != email:
        user.email = email
        user.full_clean(validate_unique=False, exclude=["password"])
        user.save(update_fields=["email"])
    return profile
