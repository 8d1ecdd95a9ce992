"""Background jobs of the trainees app (started by beat: camp/celery.py)."""

from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def expire_pending_imports() -> int:
    """Daily: delete candidate files whose import was previewed but never confirmed."""
    from .services.pending_imports import pending_imports_expire

    return pending_imports_expire()
