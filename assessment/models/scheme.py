"""The assessment scheme (三百分量化考核) of one camp: its 26 items and its attendance rules.

Every camp gets its own copy of the default scheme when it is created, so that editing one
camp's scheme never changes the meaning of another camp's scores. Staff edit the copy while it
is a draft; activating it checks that it has exactly 26 items worth exactly 300 points. Once an
item has entries its maximum and its kind are frozen (the services refuse the change), because
a score already given must keep its meaning.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp

ITEM_COUNT = 26
TOTAL_POINTS = Decimal("300.0")


class Category(models.TextChoices):
    THEORY = "theory", _("理论教育")
    PARTY_SPIRIT = "party_spirit", _("党性锻炼")
    CAPABILITY = "capability", _("能力提升")


class Kind(models.TextChoices):
    """How an item's entries become its score (see assessment/scoring.py)."""

    DEDUCTION = "deduction", _("扣分项")
    GRADED = "graded", _("评分项")
    BONUS = "bonus", _("加分项")


class Frequency(models.TextChoices):
    """When an entry is expected: drives reminders and grids, never the arithmetic."""

    PER_TRAINING_DAY = "per_training_day", _("每个集中培训日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    PER_EVENT = "per_event", _("每次活动")
    ONCE = "once", _("一次性")


class Recorder(models.TextChoices):
    """Who may record an item. `judges` means the item is filled by contests only."""

    STAFF = "staff", _("党校管理员")
    COUNSELOR = "counselor", _("政治辅导员")
    JUDGES = "judges", _("擂台评委")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("已启用")


class Scheme(models.Model):
    """One camp's scheme, with the figures that turn attendance into deductions.

    The attendance figures are points deducted (positive amounts), the defaults of the scheme
    document; staff may change them per camp. Item numbers 1 and 12 are where attendance and
    leave deductions go. The leave deadline is the camp's (`Camp.leave_close_days`): the leave
    pages read it too, and they cannot read this app.
    """

    camp = models.OneToOneField(
        Camp, on_delete=models.CASCADE, related_name="assessment_scheme", verbose_name=_("届次")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("启用人"),
    )

    # Attendance into deductions (scheme document, "Attendance into deductions").
    absence_item1_points = models.DecimalField(
        _("旷课每半天扣分（出勤项）"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    absence_item12_points = models.DecimalField(
        _("旷课每半天扣分（请假销假项）"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    late_item1_points = models.DecimalField(
        _("迟到或早退每次扣分"), max_digits=4, decimal_places=1, default=Decimal("0.5")
    )
    leave_item1_points = models.DecimalField(
        _("请假每半天扣分"), max_digits=4, decimal_places=1, default=Decimal("0.5")
    )
    unclosed_leave_item12_points = models.DecimalField(
        _("未按时销假每次扣分"), max_digits=4, decimal_places=1, default=Decimal("1.0")
    )
    # Approved leave above this share of the year's half-days is flagged (不予结业 warning).
    leave_warning_fraction = models.DecimalField(
        _("请假预警比例"), max_digits=4, decimal_places=3, default=Decimal("0.143")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return _("%(camp)s考核方案") % {"camp": self.camp}

    @property
    def is_active(self) -> bool:
        return self.status == SchemeStatus.ACTIVE


class AssessmentItem(models.Model):
    """One of the 26 items (考核项目) of a camp's scheme.

    `recorded_by` lists Recorder values. "Once-only" is the frequency `once`: the item has one
    cell for the whole camp, so a new grade (or award) edits the previous one. The frequency
    freezes once the item has entries, since it decides which cell each entry fills.
    `accepts_submissions` marks the items that grade work handed in (学习笔记, 学习心得,
    党性分析材料, 调研报告); `submission_due_date` is the deadline of a once-only submission,
    while a monthly one is due `submission_grace_days` after its month ends.
    """

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="items", verbose_name=_("考核方案")
    )
    number = models.PositiveSmallIntegerField(
        _("序号"), validators=[MinValueValidator(1), MaxValueValidator(ITEM_COUNT)]
    )
    name = models.CharField(_("项目名称"), max_length=50)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    max_points = models.DecimalField(
        _("满分"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    kind = models.CharField(_("计分方式"), max_length=20, choices=Kind.choices)
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    recorded_by = models.JSONField(_("记录人"), default=list)
    accepts_submissions = models.BooleanField(_("学员提交材料"), default=False)
    submission_due_date = models.DateField(_("提交截止日期"), null=True, blank=True)
    submission_grace_days = models.PositiveSmallIntegerField(_("每月材料提交宽限天数"), default=5)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="item_number_per_scheme"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=ITEM_COUNT),
                name="item_number_1_26",
            ),
            models.CheckConstraint(condition=models.Q(max_points__gt=0), name="item_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def once_only(self) -> bool:
        return self.frequency == Frequency.ONCE

    def recordable_by(self, role: str) -> bool:
        return role in (self.recorded_by or [])

    @property
    def recorded_by_labels(self) -> str:
        labels = dict(Recorder.choices)
        return "、".join(str(labels.get(role, role)) for role in self.recorded_by or [])
