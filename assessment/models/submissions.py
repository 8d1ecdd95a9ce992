"""Work the trainees hand in for a graded item: 学习笔记, 学习心得 (monthly), 党性分析材料 and
the research report (item 18).

A submission is text or a file (size-limited and type-checked by content in the service). One
handed in after its deadline is accepted and marked late. Grading creates (or, for a re-grade,
edits) a ScoreEntry with source `submission`, linked here, so the grade lives in the one place
the arithmetic reads and the grader's comment is shown to the trainee next to it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trainees.models import Trainee

from .entries import ScoreEntry
from .scheme import AssessmentItem


def submission_upload_to(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: the original name is kept in a field.
    return f"submissions/{instance.trainee.camp.code}/{instance.item.number}/{instance.token}"


class Submission(models.Model):
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("学员")
    )
    item = models.ForeignKey(
        AssessmentItem,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("考核项目"),
    )
    # First day of the month for monthly items; null for a once-only item.
    period = models.DateField(_("所属月份"), null=True, blank=True)
    # The item's period as a cell key (assessment/cells.py): one submission per period.
    cell = models.CharField(_("所属周期"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=100, blank=True)
    text = models.TextField(_("正文"), max_length=20000, blank=True)
    file = models.FileField(_("附件"), upload_to=submission_upload_to, blank=True)
    original_filename = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    token = models.CharField(max_length=40, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"))
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    is_late = models.BooleanField(_("逾期提交"), default=False)
    score_entry = models.OneToOneField(
        ScoreEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
        verbose_name=_("评分记录"),
    )
    grader_comment = models.TextField(_("评语"), max_length=2000, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评分人"),
    )
    graded_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学员提交材料")
        verbose_name_plural = _("学员提交材料")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "item", "cell"],
                condition=~models.Q(cell=""),
                name="submission_one_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "graded_at"]),
            models.Index(fields=["trainee", "item", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.item.name}"

    @property
    def is_graded(self) -> bool:
        return self.graded_at is not None
