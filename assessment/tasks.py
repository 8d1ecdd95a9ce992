"""Celery tasks of the assessment app: thin wrappers over idempotent services.

(The monthly summary tasks named in camp/celery.py's beat schedule live here too.)
"""

from celery import shared_task
from django.db import OperationalError

from camp.models import Camp


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
)
def sync_attendance_deductions(camp_id: int | None = None) -> None:
    """Recompute attendance deductions (daily: a leave becomes "not closed" with time alone,
    without any record changing). Idempotent, so late acknowledgement is safe."""
    from .services.attendance import attendance_deductions_sync

    camps = Camp.objects.current() if camp_id is None else Camp.objects.filter(pk=camp_id)
    for camp in camps:
        if hasattr(camp, "assessment_scheme"):
            attendance_deductions_sync(camp=camp)
