"""Workbooks built in the background (后台导出): `ExportJob` records one, a `camp.jobs.Job`
like the monthly summary's runs; its file goes through the storage API."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from camp.jobs import Job
from camp.models import Camp
from camp.workbooks import kind_label


def export_file_path(instance: "ExportJob", filename: str) -> str:
    # Our own folder per job: a name cannot collide or escape.
    return f"exports/{instance.user_id}/{instance.pk}/{filename}"


class ExportJob(Job):
    """A workbook (or a zip of them) built by a Celery job. Recorded before it is enqueued, so
    an unreachable broker shows as failed with the reason instead of an error page."""

    task_name = "assessment.tasks.build_export"
    time_limit = datetime.timedelta(seconds=960)  # tasks.build_export's hard limit (it reads it)
    queued_field = "created_at"
    running_label = _("生成中")
    stale_error = gettext_noop("生成超过时限仍未完成，执行它的进程可能已中断，请重新导出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("申请人"),
    )
    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="+", verbose_name=_("届次")
    )
    kind = models.CharField(_("报表类型"), max_length=30)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    file = models.FileField(_("文件"), upload_to=export_file_path, max_length=300, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.state_label}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
