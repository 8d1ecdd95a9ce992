"""The counselor's weekly group review (每周讲评).

One review per group per week (the week starts on Monday). Trainees of the group read the
highlights and problems, but only the remark about themselves; staff and orgdept read all.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trainees.models import StudyGroup, Trainee


class WeeklyReview(models.Model):
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="weekly_reviews", verbose_name=_("小组")
    )
    week_start = models.DateField(_("周一日期"))
    highlights = models.TextField(_("亮点"), max_length=5000, blank=True)
    problems = models.TextField(_("问题与不足"), max_length=5000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰写人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("每周讲评")
        verbose_name_plural = _("每周讲评")
        ordering = ["-week_start", "group"]
        constraints = [
            models.UniqueConstraint(fields=["group", "week_start"], name="one_review_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.week_start:%Y-%m-%d}"


class WeeklyReviewRemark(models.Model):
    review = models.ForeignKey(
        WeeklyReview, on_delete=models.CASCADE, related_name="remarks", verbose_name=_("讲评")
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="review_remarks", verbose_name=_("学员")
    )
    remark = models.TextField(_("点评"), max_length=2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个人点评")
        verbose_name_plural = _("个人点评")
        constraints = [
            models.UniqueConstraint(fields=["review", "trainee"], name="one_remark_per_trainee"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.trainee}"
