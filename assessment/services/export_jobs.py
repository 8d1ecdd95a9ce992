"""Workbooks built in the background (后台导出).

A workbook that takes more than a moment (the class's `monthly` or `attendance`, every
training record as one zip, or a whole edition's Word documents) is built by a Celery job:
- the job is an `ExportJob`, a `camp.jobs.Job`: recorded before it is enqueued (an unreachable
  broker leaves a failed record with a message instead of an error page), failed when stale;
- a kind that builds part after part (a document's trainees) reports its progress through
  `ExportRequest.progress`, which the job records;
- the worker writes the workbook in openpyxl's write-only mode (or the Word document, whose
  extension and content type are its kind's `media`) to a temporary file and stores
  it through Django's storage API (`default_storage`), so web servers and workers on different
  machines see the same files;
- files expire after `settings.EXPORT_RETENTION_DAYS` (the daily `expire_old_exports` task).
"""

from __future__ import annotations

import datetime
import io
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from camp.access import can_see_personal_data
from camp.jobs import FINISHED, JobState, job_enqueue_on_commit, job_fail, job_start
from camp.models import Camp
from camp.months import parse_optional_month
from camp.services.sensitive_access import unmasked_export_log
from camp.workbooks import (
    ExportRequest,
    NoDataError,
    build_export,
    kind_label,
    may_export,
    other_kind_labels,
    registry,
)
from trainees.access import visible_trainees

from ..access_graduation import can_export_all_records, can_take_edition_documents
from ..models import ExportJob
from ..notices import export_ready_notify

logger = logging.getLogger(__name__)

RECORDS_ZIP = "records"
# The kinds offered as background jobs: the big ones. Any registered kind may still be run so.
EDITION_DOCUMENTS = ("appraisal-form", "certificate")  # a whole edition's, a page per trainee
BACKGROUND_KINDS = ("monthly", "attendance", RECORDS_ZIP, *EDITION_DOCUMENTS)
BUILD_FAILED = gettext_noop("生成失败，请稍后重试；若仍失败请联系管理员。")
other_kind_labels[RECORDS_ZIP] = gettext_lazy("全部培训档案（zip）")


def export_kind_label(kind: str) -> str:
    """What a background export is called: a registered kind's label, or the zip of records."""
    return kind_label(kind)


def may_start_export(user, kind: str) -> bool:
    """Whether this user may have `kind` built: the records zip, or a registered kind."""
    if kind == RECORDS_ZIP:
        return can_export_all_records(user)
    if kind in EDITION_DOCUMENTS and not can_take_edition_documents(user):
        return False  # a trainee takes their own document directly, never an edition's
    return kind in registry and may_export(user, registry[kind])


def background_kinds_for(user) -> list[tuple[str, str]]:
    """(kind, label) pairs this user may start in the background."""
    return [
        (name, export_kind_label(name)) for name in BACKGROUND_KINDS if may_start_export(user, name)
    ]


def _check_kind(user, kind: str, month: datetime.date | None) -> None:
    if kind != RECORDS_ZIP and kind not in registry:
        raise ValidationError(_("未知的报表类型“%(kind)s”。") % {"kind": kind})
    if not may_start_export(user, kind):
        raise PermissionDenied(_("您没有导出该报表的权限。"))
    if kind == RECORDS_ZIP:
        return
    if registry[kind].needs_month and month is None:
        raise ValidationError(_("该报表需要选择月份（YYYY-MM）。"))


@transaction.atomic
def export_job_start(*, user, camp: Camp, kind: str, params: dict | None = None) -> ExportJob:
    """Record the job, then enqueue it once the record is committed. The role is checked
    here as well as in the worker, so a refused request never becomes a job."""
    params = dict(params or {})
    try:
        month = parse_optional_month(params.get("month"))
    except ValidationError as error:
        raise ValidationError(_("月份格式不对，请写成 YYYY-MM，如 2026-03。")) from error
    _check_kind(user, kind, month)
    if params.get("unmasked") and not can_see_personal_data(user):
        raise PermissionDenied(_("只有党校管理员和组织部可以导出未脱敏数据。"))
    job = ExportJob(user=user, camp=camp, kind=kind, params=params)
    job.full_clean()
    job.save()
    job_enqueue_on_commit(job)
    return job


def _set_progress(job: ExportJob, progress: int) -> None:
    job.progress = progress
    ExportJob.objects.filter(pk=job.pk).update(progress=progress)


def _advance(job: ExportJob, progress: int) -> None:
    if progress > job.progress:
        _set_progress(job, progress)


def _request_for(job: ExportJob) -> ExportRequest:
    params = job.params
    camp = job.camp
    trainee = None
    if params.get("trainee"):
        trainee = (
            camp.trainees.select_related("person", "group").filter(pk=params["trainee"]).first()
        )
    group = None
    if params.get("group"):
        group = camp.groups.filter(number=params["group"]).first()
    return ExportRequest(
        camp=camp,
        user=job.user,
        month=parse_optional_month(params.get("month")),
        trainee=trainee,
        round_id=params.get("round"),
        unmasked=bool(params.get("unmasked")),
        group=group,
    )


def _build_workbook(job: ExportJob, target) -> str:
    request = _request_for(job)
    # Building is the first 5-90 %, saving the rest; written at most once per percent.
    request.progress = lambda done, total: _advance(job, 5 + 85 * done // max(total, 1))
    workbook, filename = build_export(job.kind, request)
    _advance(job, 90)
    workbook.save(target)
    return filename


def _build_records_zip(job: ExportJob, target) -> str:
    """Every training record the requester may export, one workbook each, in one zip."""
    base = _request_for(job)
    trainees = list(
        visible_trainees(job.user, job.camp)
        .select_related("person", "group", "group__counselor")
        .order_by("group__number", "pk")
    )
    if not trainees:
        raise NoDataError(_("没有可导出的学员培训档案。"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, trainee in enumerate(trainees, start=1):
            base.trainee = trainee
            workbook, filename = build_export("record", base)
            buffer = io.BytesIO()
            workbook.save(buffer)
            group = trainee.group.number if trainee.group else 0
            archive.writestr(f"{group}组_{filename}", buffer.getvalue())
            _set_progress(job, 5 + 90 * done // len(trainees))
    return f"{job.camp.code}届_全部培训档案_{timezone.localdate():%Y%m%d}.zip"


def export_job_run(*, job_id: int) -> ExportJob:
    """The worker's side. Idempotent: a finished job is left alone, an interrupted one is
    built again from the start. Built in the site's language whoever started it, so that
    what it stores reads the same in-process as in a worker (camp.jobs)."""
    job = ExportJob.objects.select_related("camp", "user").get(pk=job_id)
    if job.state in FINISHED:
        return job
    with translation.override(settings.LANGUAGE_CODE):
        return _run(job)


def _run(job: ExportJob) -> ExportJob:
    job_start(job)
    try:
        with tempfile.TemporaryFile() as target:
            if job.kind == RECORDS_ZIP:
                filename = _build_records_zip(job, target)
            else:
                filename = _build_workbook(job, target)
            target.seek(0)
            job.file.save(filename, File(target), save=False)
    except (NoDataError, PermissionDenied, ValidationError) as error:
        return _fail(job, "；".join(getattr(error, "messages", [])) or str(error))
    except Exception:
        logger.exception("export job %s failed", job.pk)
        return _fail(job, BUILD_FAILED)
    now = timezone.now()
    job.filename = filename
    job.state = JobState.DONE
    job.progress = 100
    job.finished_at = now
    job.expires_at = now + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    job.save(update_fields=["file", "filename", "state", "progress", "finished_at", "expires_at"])
    if job.params.get("unmasked"):
        kind = job.kind if job.kind in registry else "record"
        unmasked_export_log(user=job.user, camp=job.camp, kind=kind, filename=filename)
    export_ready_notify(job=job)
    return job


def _fail(job: ExportJob, message: str) -> ExportJob:
    """`message` is a msgid, or a refusal's text in the site's language (its source text)."""
    expires_at = timezone.now() + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return job_fail(job, message or gettext_noop("生成失败。"), expires_at=expires_at)


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete expired files (through the storage API) and their records."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now)
    count = 0
    for job in expired.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
