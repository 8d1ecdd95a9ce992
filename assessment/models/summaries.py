"""The monthly summary (每月小结), computed by a background job.

`SummaryRun` is the job's record: created before the job is enqueued (so a broker outage shows
as "failed" with a reason and can be retried), then updated by the worker with its progress.
`token` is a fresh value per run: a worker only writes to the run whose token it was given, so a
stale retry of an older run cannot overwrite a newer one.

The results are one `MonthlySummaryRow` per trainee and month, one `GroupMonthlySummary` per
group and month, and one `ClassMonthlySummary` per camp and month (the class's figures and
distribution). The job publishes a month's rows in one transaction (delete the month, insert
the new rows), so readers never see half a month and a crash leaves the previous results.

Item scores are stored as one JSON object per row, keyed by item number as a string, with the
score as a decimal string ("18.5") or null when the item is not yet assessed for that trainee.
Why JSON and not a child table: the `monthly` workbook and the score pages always read a
trainee's 26 scores together, and at 10,000 trainees a child table would be 260,000 rows per
month to write and read back; one row per trainee keeps the write and the export linear in
trainees with a single query.
"""

import datetime
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from simple_history.models import HistoricalRecords

from camp.jobs import Job
from camp.models import Camp
from trainees.models import StudyGroup, Trainee

from .scheme import TOTAL_POINTS

# The class distribution's bands, one width for every reader (the summary job, the dashboards):
# 0–30, 30–60, … up to the scheme's total; a bound belongs to the band above it, and the top
# band includes the total.
BAND_WIDTH = 30
DISTRIBUTION_BANDS = [(low, low + BAND_WIDTH) for low in range(0, int(TOTAL_POINTS), BAND_WIDTH)]
TOP_OF_BANDS = int(TOTAL_POINTS)


def _points(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=1, **kwargs)


# The job's hard time limit (tasks.compute_monthly_summary uses it). A run still queued or
# running after this long lost its worker: nothing will ever finish it, so it is stale.
SUMMARY_TIME_LIMIT = datetime.timedelta(seconds=360)


class SummaryRun(Job):
    """One run of the monthly summary job (camp.jobs.Job: state, progress, error)."""

    task_name = "assessment.tasks.compute_monthly_summary"
    time_limit = SUMMARY_TIME_LIMIT
    queued_field = "queued_at"
    running_label = _("计算中")
    stale_error = gettext_noop("计算超过时限仍未完成，执行它的进程可能已中断，请重新计算")

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="summary_runs", verbose_name=_("届次")
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    token = models.UUIDField(_("运行标识"), default=uuid.uuid4, unique=True, editable=False)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    queued_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度小结计算")
        verbose_name_plural = _("月度小结计算")
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["camp", "month", "-queued_at"])]

    def __str__(self) -> str:
        return f"{self.camp.code} {self.month:%Y-%m} {self.state_label}"


class MonthlySummaryRow(models.Model):
    """One trainee's running score at the month's end."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="monthly_rows", verbose_name=_("届次")
    )
    month = models.DateField(_("月份"))
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="monthly_rows", verbose_name=_("学员")
    )
    # The group at the month's end, so a later move does not rewrite history.
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("小组"),
    )
    run = models.ForeignKey(
        SummaryRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="rows"
    )
    theory = _points(_("理论教育"))
    party_spirit = _points(_("党性锻炼"))
    capability = _points(_("能力提升"))
    item_scores = models.JSONField(_("各项得分"), default=dict, encoder=DjangoJSONEncoder)
    total = _points(_("总分"))
    assessed_points = _points(_("已考核分值"))
    class_rank = models.PositiveSmallIntegerField(_("班级排名"), null=True, blank=True)
    group_rank = models.PositiveSmallIntegerField(_("小组排名"), null=True, blank=True)
    change = _points(_("较上月变化"), null=True, blank=True)
    # The trainee's year so far up to the month's end (scheme, "Rates": labelled 累计).
    attendance_rate = models.DecimalField(
        _("累计出勤率（%）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度小结（学员）")
        verbose_name_plural = _("月度小结（学员）")
        ordering = ["camp", "month", "class_rank", "trainee"]
        constraints = [
            models.UniqueConstraint(
                fields=["camp", "month", "trainee"], name="one_summary_row_per_trainee_month"
            ),
        ]
        indexes = [models.Index(fields=["trainee", "month"])]

    def __str__(self) -> str:
        return f"{self.trainee} {self.month:%Y-%m} {self.total}"


class GroupMonthlySummary(models.Model):
    """A study group's averages at the month's end (over its ranked members)."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="monthly_summaries"
    )
    month = models.DateField(_("月份"))
    run = models.ForeignKey(
        SummaryRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trainee_count = models.PositiveSmallIntegerField(_("人数"), default=0)
    average_total = _points(_("平均总分"), null=True, blank=True)
    average_theory = _points(_("理论教育平均分"), null=True, blank=True)
    average_party_spirit = _points(_("党性锻炼平均分"), null=True, blank=True)
    average_capability = _points(_("能力提升平均分"), null=True, blank=True)
    average_assessed_points = _points(_("平均已考核分值"), null=True, blank=True)
    # The month alone, pooled over the group's members on its last day: a rate, not a mean.
    attendance_rate = models.DecimalField(
        _("当月出勤率（%）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度小结（小组）")
        verbose_name_plural = _("月度小结（小组）")
        ordering = ["month", "group"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="one_group_summary_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m}"


class ClassMonthlySummary(models.Model):
    """The class's figures at the month's end: averages and the distribution of totals.

    `distribution` is a JSON list of {"from": "270", "to": "300", "count": 12} bands."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="class_summaries")
    month = models.DateField(_("月份"))
    run = models.ForeignKey(
        SummaryRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trainee_count = models.PositiveSmallIntegerField(_("人数"), default=0)
    average_total = _points(_("平均总分"), null=True, blank=True)
    highest_total = _points(_("最高分"), null=True, blank=True)
    lowest_total = _points(_("最低分"), null=True, blank=True)
    median_total = _points(_("中位数"), null=True, blank=True)
    average_assessed_points = _points(_("平均已考核分值"), null=True, blank=True)
    # The month alone, pooled over the camp's members on its last day.
    attendance_rate = models.DecimalField(
        _("当月出勤率（%）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    distribution = models.JSONField(_("分数分布"), default=list, encoder=DjangoJSONEncoder)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度小结（全班）")
        verbose_name_plural = _("月度小结（全班）")
        ordering = ["camp", "month"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "month"], name="one_class_summary_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.camp.code} {self.month:%Y-%m}"


class MonthlyClassText(models.Model):
    """The staff's written summary of the class for a month, kept next to the figures."""

    camp = models.ForeignKey(Camp, on_delete=models.CASCADE, related_name="monthly_texts")
    month = models.DateField(_("月份"))
    text = models.TextField(_("小结正文"), max_length=20000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("月度小结正文")
        verbose_name_plural = _("月度小结正文")
        constraints = [
            models.UniqueConstraint(fields=["camp", "month"], name="one_class_text_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.camp.code} {self.month:%Y-%m}"
