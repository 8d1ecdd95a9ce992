"""Celery tasks of the assessment app: thin wrappers over idempotent services. Services never
import this module: they enqueue a job by its task name (camp.jobs), which keeps them acyclic.

(The monthly summary tasks named in camp/celery.py's beat schedule live here too.)
"""

from celery import shared_task
from django.db import OperationalError

from camp.models import Camp

from .models.exports import ExportJob
from .models.summaries import SUMMARY_TIME_LIMIT


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


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=300,
    time_limit=int(SUMMARY_TIME_LIMIT.total_seconds()),  # after which a run is stale
)
def compute_monthly_summary(self, run_id: int) -> int:
    """Compute one recorded SummaryRun. Idempotent (the month is replaced whole), so a task
    redelivered after a worker died simply computes it again."""
    from .services.summaries import summary_run_execute

    return summary_run_execute(run_id=run_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=60, time_limit=90)
def compute_previous_month_summaries() -> int:
    """Beat, on the 1st: start last month's summary for every camp in training."""
    from django.utils import timezone

    from camp.models import CampStatus
    from camp.months import previous_month

    from .services.summaries import summary_run_start

    month = previous_month(timezone.localdate())
    started = 0
    for camp in Camp.objects.filter(status=CampStatus.RUNNING):
        if camp.start_date <= month <= camp.end_date:
            summary_run_start(camp=camp, month=month, by=None)
            started += 1
    return started


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=900,
    time_limit=int(ExportJob.time_limit.total_seconds()),  # after which a job is stale
)
def build_export(job_id: int) -> None:
    """Build one background export (an ExportJob recorded before it was enqueued). Safe to
    run twice: a finished job is left alone."""
    from .services.export_jobs import export_job_run

    export_job_run(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def expire_old_exports() -> int:
    """Daily: delete background exports older than settings.EXPORT_RETENTION_DAYS."""
    from .services.export_jobs import export_jobs_expire

    return export_jobs_expire()
