"""Deliveries through a real `celery -A camp worker` on Redis and PostgreSQL, to the local SMTP
server and the local webhook receiver: the webhook receiver is down at first, the worker
retries with backoff, and once it is back each channel has exactly one message."""

from __future__ import annotations

import time
import uuid

import pytest
from django.db import transaction

from camp.celery import app
from camp.notifications.models import Delivery, DeliveryState, Kind
from camp.notifications.services import notification_settings_update, notify
from tests.assessment.test_summary_worker import _kill, _point_app_at, _start_worker

from .receivers import SmtpServer, WebhookReceiver, free_port

WORKER_REDIS_DB = 9
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(90)]


@pytest.fixture
def broker(redis_url, postgres):
    from urllib.parse import urlparse, urlunparse

    url = urlunparse(urlparse(redis_url)._replace(path=f"/{WORKER_REDIS_DB}"))
    queue = f"notify-test-{uuid.uuid4().hex[:10]}"
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    _point_app_at(url, queue=queue, eager=False)
    yield {"url": url, "queue": queue}
    _point_app_at(saved[0], queue=saved[2], eager=saved[1])
    import redis

    client = redis.Redis.from_url(url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def _wait_for(predicate, timeout=45.0, what="the deliveries"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_a_worker_delivers_by_email_and_webhook_and_retries_a_channel_that_was_down(
    broker, cast, settings
):
    smtp = SmtpServer(free_port())
    smtp.start()
    webhook = WebhookReceiver(free_port())  # not started yet: the gateway is down
    settings.EMAIL_HOST = "127.0.0.1"
    settings.NOTIFY_WEBHOOK_URL = webhook.url
    notification_settings_update(
        user=cast.trainee_1,
        by=cast.trainee_1,
        email="t1@example.cn",
        messaging_id="zzd-001",
        channels={Kind.LEAVE_DECIDED: ["email", "webhook"]},
    )
    worker = _start_worker(
        broker,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp.port,
        NOTIFY_WEBHOOK_URL=webhook.url,
        NOTIFY_WEBHOOK_SECRET="s3cret",
        NOTIFY_RETRY_BASE_SECONDS=1,
    )
    try:
        with transaction.atomic():
            [notification] = notify(users=[cast.trainee_1], kind=Kind.LEAVE_DECIDED, title="已批准")
        email = Delivery.objects.get(notification=notification, channel="email")
        hook = Delivery.objects.get(notification=notification, channel="webhook")
        _wait_for(lambda: Delivery.objects.get(pk=email.pk).state == DeliveryState.SENT)
        _wait_for(lambda: Delivery.objects.get(pk=hook.pk).attempts >= 1, what="a failed try")
        assert Delivery.objects.get(pk=hook.pk).state == DeliveryState.PENDING
        webhook.start()  # the gateway is back
        _wait_for(lambda: Delivery.objects.get(pk=hook.pk).state == DeliveryState.SENT)
    finally:
        _kill(worker)
        webhook.stop()
        smtp.stop()
    hook.refresh_from_db()
    assert hook.attempts >= 2
    assert webhook.keys() == [hook.key]
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Message-ID"].startswith(f"<{email.key}@")
