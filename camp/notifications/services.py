"""Writes: record a notification (and its deliveries), mark read, a user's channel settings."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import SENDERS, DeliveryError, channel_configured
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


def _chosen_channels(user, profile, kind: str) -> list[str]:
    if profile is None:
        return []
    addresses = {Channel.EMAIL: user.email, Channel.WEBHOOK: profile.messaging_id}
    return [
        channel
        for channel in profile.channels_for(kind)
        if channel_configured(channel) and addresses.get(channel)
    ]


@transaction.atomic
def notify(
    *, users: Iterable, kind: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Put a message in each user's inbox and queue its other channels, sent once this
    transaction commits. A channel that is down never fails the caller: the task retries."""
    return notify_each(kind=kind, messages=[(user, title, body, url) for user in users])


@transaction.atomic
def notify_each(*, kind: str, messages: Iterable[tuple]) -> list[Notification]:
    """One message per (user, title, body, url), in a fixed number of queries whatever their
    number: the users' settings, the inbox copies, their deliveries, the unread counters."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    chosen, seen = [], set()
    for user, title, body, url in messages:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        chosen.append((user, title, body, url))
    if not chosen:
        return []
    profiles = {p.user_id: p for p in NotificationSettings.objects.filter(user__in=seen)}
    made = Notification.objects.bulk_create(
        [
            Notification(
                user=user, kind=kind, title=title[:200], body=body or "", url=(url or "")[:300]
            )
            for user, title, body, url in chosen
        ]
    )
    deliveries = [
        Delivery(notification=notification, channel=channel)
        for notification, (user, *_rest) in zip(made, chosen, strict=True)
        for channel in _chosen_channels(user, profiles.get(user.pk), kind)
    ]
    for delivery in Delivery.objects.bulk_create(deliveries):
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    get_user_model().objects.filter(pk__in=seen).update(
        unread_notifications=F("unread_notifications") + 1
    )
    return made


def _recount(user_ids) -> None:
    """Set the users' unread counters from their notifications (after marking read)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    get_user_model().objects.filter(pk__in=list(user_ids)).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


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


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _recount([notification.user_id])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _recount([user.pk])
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
