"""Thin tasks: one delivery with retries and backoff; the daily schedule; the pending sweep."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .channels import DeliveryError
from .services import deliveries_resend_pending, delivery_give_up, delivery_send

MAX_RETRIES = 8


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, soft_time_limit=60)
def deliver_notification(self, delivery_pk: int) -> bool:
    try:
        return delivery_send(delivery_pk=delivery_pk)
    except DeliveryError as error:
        if self.request.retries >= self.max_retries:
            delivery_give_up(delivery_pk=delivery_pk, error=str(error))
            return False
        # Backoff: doubling from NOTIFY_RETRY_BASE_SECONDS, capped at an hour.
        countdown = min(settings.NOTIFY_RETRY_BASE_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(acks_late=True)
def resend_pending_deliveries() -> int:
    return deliveries_resend_pending(older_than=datetime.timedelta(minutes=10))


@shared_task(acks_late=True)
def send_due_reminders() -> dict:
    """Beat calls this often; each camp's reminders go once its set time has come (the
    reminders' unique keys make every later call that day a no-op)."""
    from camp.models import Camp

    from .reminders import reminders_send

    now = timezone.localtime()
    camps = [c for c in Camp.objects.current() if now.time() >= c.reminder_time]
    return reminders_send(camps=camps, today=now.date())
