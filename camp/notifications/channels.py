"""How one delivery goes out over its channel. Each sender raises on failure (the task retries)
and sends the delivery's key, the same on every attempt, so a receiver can drop a resend."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Channel, Delivery


class DeliveryError(Exception):
    """The channel did not take the message; a later attempt may."""


def channel_configured(channel: str) -> bool:
    if channel == Channel.EMAIL:
        return bool(settings.EMAIL_HOST)
    if channel == Channel.WEBHOOK:
        return bool(settings.NOTIFY_WEBHOOK_URL)
    return False


def _link(notification) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else ""


def message_id(delivery: Delivery) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{delivery.key}@{domain}>"


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    body = "\n\n".join(part for part in (notification.body, _link(notification)) if part)
    message = EmailMessage(
        subject=notification.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
        headers={"Message-ID": message_id(delivery)},
        connection=get_connection("django.core.mail.backends.smtp.EmailBackend"),
    )
    try:
        message.send(fail_silently=False)
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        raise DeliveryError(str(error)) from error


def webhook_signature(body: bytes) -> str:
    secret = settings.NOTIFY_WEBHOOK_SECRET.encode()
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def send_webhook(delivery: Delivery) -> None:
    notification = delivery.notification
    profile = notification.user.notification_settings
    body = json.dumps(
        {
            "id": delivery.key,
            "recipient": profile.messaging_id,
            "kind": notification.kind,
            "title": notification.title,
            "text": notification.body,
            "url": _link(notification),
            "created_at": notification.created_at.isoformat(),
        },
        ensure_ascii=False,
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the deployment's own setting
        settings.NOTIFY_WEBHOOK_URL,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": delivery.key,
            "X-Camp-Signature": webhook_signature(body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:  # noqa: S310
            if response.status // 100 != 2:  # a 2xx answer is a delivery
                raise DeliveryError(f"HTTP {response.status}")
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except OSError as error:
        raise DeliveryError(str(error)) from error


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}
