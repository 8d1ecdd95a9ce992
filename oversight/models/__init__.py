"""The organization department's side of the camp (市委组织部).

These models were the assessment app's: they keep its tables (`db_table`) and their history's
(`HistoricalRecords(table_name=...)`), so that moving them changed no data.

The article's three steps for finding outstanding young cadres each get a home here:
- tracking (跟踪关注) and inspection notes (专项考察): `TrackedTrainee`, `InspectionNote`;
- categorized interviews (分类面谈): `InterviewCategory`, `Interview` (confidential: orgdept
  and staff read them, nobody else);
- comprehensive comparison (综合比选): `ShortlistRound`, `ShortlistEntry`, and the figures
  the round was decided on, `ShortlistFigures`. This is not selection (选调), which is
  admission.

Graduation is not theirs: it is the assessment's end of the year (assessment/models/graduation.py).
What comes after it is: the graduates' post changes, appraisals, awards and notes (训后跟踪,
after_camp.py).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import Trainee


class TrackedTrainee(models.Model):
    """A trainee the organization department follows (跟踪关注). One mark per trainee: the
    department follows as a body, not each officer on their own."""

    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, related_name="tracking", verbose_name=_("学员")
    )
    reason = models.CharField(_("关注理由"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("标记人"),
    )
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    history = HistoricalRecords(table_name="assessment_historicaltrackedtrainee")

    class Meta:
        db_table = "assessment_trackedtrainee"  # the table it had in the assessment app
        verbose_name = _("跟踪关注")
        verbose_name_plural = _("跟踪关注")
        ordering = ["-marked_at"]

    def __str__(self) -> str:
        return str(self.trainee)


class InspectionNote(models.Model):
    """专项考察: what the department observed of a trainee, when and where."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="inspection_notes", verbose_name=_("学员")
    )
    date = models.DateField(_("考察日期"))
    occasion = models.CharField(_("考察场合"), max_length=100)
    observation = models.TextField(_("考察情况"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="assessment_historicalinspectionnote")

    class Meta:
        db_table = "assessment_inspectionnote"  # the table it had in the assessment app
        verbose_name = _("专项考察")
        verbose_name_plural = _("专项考察")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.trainee} {self.date:%Y-%m-%d} {self.occasion}"


class InterviewCategory(models.Model):
    """分类面谈的类别 (成长规划 / 岗位履职 / 问题短板 are seeded); orgdept may add others."""

    name = models.CharField(_("类别"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        db_table = "assessment_interviewcategory"  # the table it had in the assessment app
        verbose_name = _("面谈类别")
        verbose_name_plural = _("面谈类别")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Interview(models.Model):
    """分类面谈. Confidential: orgdept and staff read it; counselors, trainees and leaders
    never learn it exists."""

    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("学员")
    )
    category = models.ForeignKey(
        InterviewCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("类别")
    )
    date = models.DateField(_("面谈日期"))
    interviewers = models.CharField(_("面谈人"), max_length=200)
    notes = models.TextField(_("面谈记录"), max_length=10000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(table_name="assessment_historicalinterview")

    class Meta:
        db_table = "assessment_interview"  # the table it had in the assessment app
        verbose_name = _("分类面谈")
        verbose_name_plural = _("分类面谈")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.trainee} {self.date:%Y-%m-%d} {self.category}"


class ShortlistDecision(models.TextChoices):
    RECOMMENDED = "recommended", _("推荐使用")
    RESERVE = "reserve", _("后备")
    NOT_NOW = "not_now", _("本次不推荐")


class ShortlistRound(models.Model):
    """One round of 综合比选: the department compares trainees and decides on each."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="shortlist_rounds", verbose_name=_("届次")
    )
    title = models.CharField(_("名称"), max_length=100)
    date = models.DateField(_("比选日期"))
    notes = models.TextField(_("说明"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the figures (ShortlistFigures) were taken, and by whom: at creation, then only by an
    # explicit refresh, whose reason the history keeps.
    figures_taken_at = models.DateTimeField(_("比选依据取数时间"), null=True, blank=True)
    figures_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取数人"),
    )

    history = HistoricalRecords(table_name="assessment_historicalshortlistround")

    class Meta:
        db_table = "assessment_shortlistround"  # the table it had in the assessment app
        verbose_name = _("综合比选")
        verbose_name_plural = _("综合比选")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class ShortlistEntry(models.Model):
    """A trainee on a round's shortlist, with the department's decision and its reason."""

    round = models.ForeignKey(
        ShortlistRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("比选")
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="shortlist_entries", verbose_name=_("学员")
    )
    decision = models.CharField(
        _("比选意见"), max_length=20, choices=ShortlistDecision.choices, blank=True
    )
    reason = models.TextField(_("理由"), max_length=3000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    history = HistoricalRecords(table_name="assessment_historicalshortlistentry")

    class Meta:
        db_table = "assessment_shortlistentry"  # the table it had in the assessment app
        verbose_name = _("比选人选")
        verbose_name_plural = _("比选人选")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "trainee"], name="shortlist_trainee_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.trainee}"


class ShortlistFigures(models.Model):
    """One trainee's figures as of the round's date, as the round keeps them: the standing and
    every item score (擂台比拼 among them), attendance, and the contests that gave the
    contest points. A later month's summary never changes them; only a refresh does.

    One row per trainee who belonged to the camp on the round's date, so that anyone added to
    the shortlist later is weighed on the same day's figures."""

    round = models.ForeignKey(
        ShortlistRound, on_delete=models.CASCADE, related_name="figures", verbose_name=_("比选")
    )
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="+", verbose_name=_("学员")
    )
    total = models.DecimalField(_("总分"), max_digits=4, decimal_places=1)
    assessed_points = models.DecimalField(_("已考核分值"), max_digits=4, decimal_places=1)
    theory = models.DecimalField(_("理论教育"), max_digits=4, decimal_places=1)
    party_spirit = models.DecimalField(_("党性锻炼"), max_digits=4, decimal_places=1)
    capability = models.DecimalField(_("能力提升"), max_digits=4, decimal_places=1)
    class_rank = models.PositiveIntegerField(_("班级排名"), null=True, blank=True)
    group_rank = models.PositiveIntegerField(_("小组排名"), null=True, blank=True)
    # {"20": "11.7", "8": null}: as MonthlySummaryRow.item_scores, null for 未考核.
    item_scores = models.JSONField(_("各项得分"), default=dict)
    attendance_rate = models.DecimalField(
        _("出勤率（%）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    absent = models.PositiveIntegerField(_("缺勤次数"), default=0)
    on_leave = models.PositiveIntegerField(_("请假次数"), default=0)
    # [{"date": "2026-09-19", "title": "...", "result": "11.7", "rank": 2, "group": "第1组"}]
    contests = models.JSONField(_("擂台比拼"), default=list)

    class Meta:
        db_table = "assessment_shortlistfigures"  # the table it had in the assessment app
        verbose_name = _("比选依据")
        verbose_name_plural = _("比选依据")
        constraints = [
            models.UniqueConstraint(fields=["round", "trainee"], name="shortlist_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.trainee}"

    def item_score(self, number: int):
        value = (self.item_scores or {}).get(str(number))
        return None if value is None else Decimal(value)


# After the camp (训后跟踪): defined in their own module, imported here so Django finds them.
from .after_camp import (  # noqa: E402
    AFTER_CAMP_MODELS,
    AfterCampNote,
    Appraisal,
    AppraisalGrade,
    Award,
    PostChange,
)

__all__ = [
    "AFTER_CAMP_MODELS",
    "AfterCampNote",
    "Appraisal",
    "AppraisalGrade",
    "Award",
    "InspectionNote",
    "Interview",
    "InterviewCategory",
    "PostChange",
    "ShortlistDecision",
    "ShortlistEntry",
    "ShortlistFigures",
    "ShortlistRound",
    "TrackedTrainee",
]
