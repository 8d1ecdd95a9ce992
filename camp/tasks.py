"""Background jobs of the camp app (started by beat: camp/celery.py)."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def expire_old_drafts() -> int:
    """Daily: delete the drafts of long forms that nobody came back to."""
    from .services.drafts import drafts_expire

    return drafts_expire()
