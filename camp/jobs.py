"""Background jobs (the monthly summary, background exports): one state machine for all of them.

Every kind of job is a model that extends `Job` and names its Celery task (`task_name`, which
receives the job's id). The lifecycle is the same for every kind:
- the job is recorded (QUEUED) before it is enqueued, and enqueued only once that record is
  committed (`job_enqueue_on_commit`); a broker that cannot be reached leaves a FAILED record
  that says so (`BROKER_UNAVAILABLE`) instead of an error page, and starting again retries;
- the worker moves it to RUNNING, then DONE or FAILED (`job_fail`);
- a job still QUEUED or RUNNING after its kind's `time_limit` lost its worker: nothing will
  ever finish it, so it is stale. Pages show it as finished, and `stale_jobs_recover` (beat,
  `camp.tasks.recover_stale_jobs`) marks every kind's stale jobs FAILED.

Stored errors are msgids (the Chinese source text, as `gettext_noop` marks it) with their
parameters in `error_params`, translated when shown (`Job.error_message`), so each reader sees
them in their own language. Jobs run in the site's language (`settings.LANGUAGE_CODE`), as a
worker does, so a message a job writes is that source text whoever started the job.

Services enqueue by task name, never by importing a tasks module: tasks import services, so
the other direction would be an import cycle.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BROKER_UNAVAILABLE = gettext_noop("任务服务不可用，请稍后重试")
STALE_JOB = gettext_noop("超过时限仍未完成，执行它的进程可能已中断，请重新开始")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


UNFINISHED = (JobState.QUEUED, JobState.RUNNING)
FINISHED = (JobState.DONE, JobState.FAILED)


def _broker_errors() -> tuple[type[BaseException], ...]:
    """What a publish raises when the broker cannot be reached (kombu wraps most of them)."""
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, ConnectionError, OSError, TimeoutError]
    try:
        from redis import exceptions as redis_errors
    except ImportError:  # pragma: no cover - redis is a requirement
        return tuple(errors)
    return (*errors, redis_errors.ConnectionError, redis_errors.TimeoutError)


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(state__in=UNFINISHED)

    def stale(self, *, now: datetime.datetime | None = None):
        """Still queued or running after the kind's time limit: no worker will finish them."""
        model = self.model
        cutoff = (now or timezone.now()) - model.time_limit
        queued_before = Q(**{f"{model.queued_field}__lt": cutoff})
        return self.filter(
            Q(state=JobState.RUNNING, started_at__lt=cutoff)
            | Q(state=JobState.RUNNING, started_at__isnull=True) & queued_before
            | Q(state=JobState.QUEUED) & queued_before
        )


class Job(models.Model):
    """What every background job records. A kind sets the class attributes below."""

    # The Celery task that runs one job; it receives the job's id.
    task_name: str = ""
    # The task's hard time limit: a job unfinished after this long is stale.
    time_limit = datetime.timedelta(minutes=15)
    # The field that says when the job was recorded.
    queued_field = "queued_at"
    # What the kind calls its running state ("计算中", "生成中"), and its stale message.
    running_label = JobState.RUNNING.label
    stale_error = STALE_JOB

    state = models.CharField(
        _("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    # A msgid, translated when shown (error_message), with its parameters.
    error = models.TextField(_("失败原因"), blank=True)
    error_params = models.JSONField(_("失败原因参数"), default=dict, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def state_label(self) -> str:
        if self.state == JobState.RUNNING:
            return str(self.running_label)
        return str(JobState(self.state).label) if self.state in JobState.values else self.state

    @property
    def error_message(self) -> str:
        """The stored error in the reader's language."""
        return translate_error(self.error, self.error_params)

    def is_stale(self, *, now: datetime.datetime | None = None) -> bool:
        if self.state not in UNFINISHED:
            return False
        queued = getattr(self, self.queued_field)
        since = self.started_at if self.state == JobState.RUNNING and self.started_at else queued
        return since is not None and since < (now or timezone.now()) - self.time_limit


def translate_error(msgid: str, params: dict | None = None) -> str:
    if not msgid:
        return ""
    text = gettext(msgid)
    if params:
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return text
    return text


def job_status(job: Job) -> dict:
    """What a status page polls. A stale job counts as finished (nothing will move it) and says
    so; starting again recovers it."""
    stale = job.is_stale()
    return {
        "state": job.state,
        "state_label": job.state_label,
        "progress": job.progress,
        "error": translate_error(job.stale_error) if stale else job.error_message,
        "stale": stale,
        "finished": stale or job.state in FINISHED,
    }


def job_enqueue_on_commit(job: Job) -> None:
    """Enqueue the job once the transaction that recorded it commits (the worker must find it)."""
    transaction.on_commit(lambda: job_enqueue(job))


def job_enqueue(job: Job) -> None:
    """Hand the job to its Celery task. A broker that cannot be reached marks it failed with
    one message; no publish retries, since someone is waiting for the page and can retry."""
    from camp.celery import app

    model = type(job)
    task = app.tasks[model.task_name]
    try:
        result = task.apply_async(args=[job.pk], retry=False)
    except _broker_errors():
        logger.warning("%s %s: broker unavailable", model.__name__, job.pk, exc_info=True)
        model.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.FAILED,
            error=BROKER_UNAVAILABLE,
            error_params={},
            finished_at=timezone.now(),
        )
        return
    except Exception:
        # In-process (eager) runs raise the job's own failure here; the job already says why.
        logger.exception("%s %s failed in process", model.__name__, job.pk)
        return
    if any(field.name == "task_id" for field in model._meta.fields):
        model.objects.filter(pk=job.pk, task_id="").update(task_id=result.id or "")


def job_start(job: Job, *, progress: int = 5, **fields) -> None:
    """The worker takes the job: RUNNING, with its start time."""
    values = {"state": JobState.RUNNING, "progress": progress, "started_at": timezone.now()}
    values.update(error="", error_params={}, **fields)
    type(job).objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def job_fail(job: Job, msgid: str, params: dict | None = None, **fields) -> Job:
    """Mark the job failed with a msgid (and its parameters), shown translated."""
    values = {
        "state": JobState.FAILED,
        "error": msgid,
        "error_params": dict(params or {}),
        "finished_at": timezone.now(),
        **fields,
    }
    type(job).objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)
    return job


def jobs_fail_stale(queryset: JobQuerySet, *, now: datetime.datetime | None = None) -> int:
    """Mark the stale jobs of `queryset` failed, with their kind's stale message."""
    model = queryset.model
    return queryset.stale(now=now).update(
        state=JobState.FAILED,
        error=model.stale_error,
        error_params={},
        finished_at=now or timezone.now(),
    )


def job_models() -> list[type[Job]]:
    """Every kind of job the installed apps define."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def stale_jobs_recover(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every kind's stale jobs, marked failed: {model label: how many}."""
    return {
        model._meta.label: jobs_fail_stale(model.objects.all(), now=now) for model in job_models()
    }
