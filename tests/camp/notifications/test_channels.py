"""E-mail through a real local SMTP server and the signed webhook through a local receiver:
one delivery per notification and channel, the same key on every attempt, and a channel that
is down, then back."""

import hashlib
import hmac

import pytest

from camp.notifications.models import Delivery, DeliveryState, Kind
from camp.notifications.services import notification_settings_update, notify
from camp.notifications.tasks import deliver_notification

from .receivers import SmtpServer, WebhookReceiver, free_port


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 3
    settings.DEFAULT_FROM_EMAIL = "camp@party-school.example"
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook(settings):
    receiver = WebhookReceiver(free_port())
    settings.NOTIFY_WEBHOOK_URL = receiver.url
    settings.NOTIFY_WEBHOOK_SECRET = "s3cret"
    settings.NOTIFY_WEBHOOK_TIMEOUT = 3
    receiver.start()
    yield receiver
    receiver.stop()


def _choose(user, *channels):
    notification_settings_update(
        user=user,
        by=user,
        email="t1@example.cn",
        messaging_id="zzd-001",
        channels={Kind.LEAVE_DECIDED: list(channels)},
    )


def _notify(user, *, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(
            users=[user], kind=Kind.LEAVE_DECIDED, title="请假已批准", url="/leave/"
        )
    return notification


def test_an_email_goes_through_smtp_with_its_delivery_key_as_message_id(
    cast, smtp, django_capture_on_commit_callbacks
):
    _choose(cast.trainee_1, "email")
    notification = _notify(
        cast.trainee_1, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.SENT
    [message] = smtp.messages
    assert message["To"] == "t1@example.cn"
    assert message["Message-ID"] == f"<{delivery.key}@party-school.example>"


def test_a_webhook_is_signed_and_carries_its_idempotency_key(
    cast, webhook, django_capture_on_commit_callbacks
):
    _choose(cast.trainee_1, "webhook")
    notification = _notify(
        cast.trainee_1, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    delivery = Delivery.objects.get(notification=notification)
    [received] = webhook.received
    assert received["headers"]["Idempotency-Key"] == delivery.key
    expected = hmac.new(b"s3cret", received["body"], hashlib.sha256).hexdigest()
    assert received["headers"]["X-Camp-Signature"] == f"sha256={expected}"
    assert received["json"]["recipient"] == "zzd-001"
    assert received["json"]["title"] == "请假已批准"


def test_a_resend_after_an_unknown_outcome_carries_the_same_key(
    cast, webhook, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    webhook.fail_next = 1  # took it, but answered 500: the sender must try again
    _choose(cast.trainee_1, "webhook")
    notification = _notify(
        cast.trainee_1, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.PENDING  # the task asked to be retried
    deliver_notification.delay(delivery.pk)  # the retry, as the worker runs it
    delivery.refresh_from_db()
    assert webhook.keys() == [delivery.key, delivery.key]
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 2


def test_a_channel_that_is_down_never_blocks_the_action_and_delivers_once_when_back(
    cast, settings, django_capture_on_commit_callbacks
):
    port = free_port()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    _choose(cast.trainee_1, "email")
    # Nothing listens: the attempt fails and asks for a retry; the caller is fine.
    notification = _notify(
        cast.trainee_1, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error
    # The server comes back; the retry delivers it, once.
    server = SmtpServer(port)
    server.start()
    try:
        deliver_notification.delay(delivery.pk)
        deliver_notification.delay(delivery.pk)  # a duplicate task finds it sent
    finally:
        server.stop()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert len(server.messages) == 1
    assert server.messages[0]["Message-ID"].startswith(f"<{delivery.key}@")


def test_a_delivery_is_given_up_after_its_last_retry(cast, settings):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _choose(cast.trainee_1, "email")
    [notification] = notify(users=[cast.trainee_1], kind=Kind.LEAVE_DECIDED, title="x")
    delivery = Delivery.objects.get(notification=notification)
    deliver_notification.apply(args=[delivery.pk], retries=deliver_notification.max_retries)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error
