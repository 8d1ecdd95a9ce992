"""Background jobs of the camp app (started by beat: camp/celery.py)."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def recover_stale_jobs() -> int:
    """Every few minutes: every kind of job (camp.jobs) still queued or running past its time
    limit lost its worker; mark it failed with its kind's message so that pages stop waiting."""
    from .jobs import stale_jobs_recover

    return sum(stale_jobs_recover().values())


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def expire_old_drafts() -> int:
    """Daily: delete the drafts of long forms that nobody came back to."""
    from .services.drafts import drafts_expire

    return drafts_expire()


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def apply_retention() -> int:
    """Daily: anonymize the personal data whose retention period has expired (issue 18 §4). An
    idempotent service: a retried or repeated run finds nothing left to do."""
    from django.utils import timezone

    from .models import RetentionRun
    from .services.retention import retention_apply

    return retention_apply(today=timezone.localdate(), process=RetentionRun.Process.BEAT).total
