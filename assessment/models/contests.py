"""Contests (擂台比拼): trainees or groups compete, invited judges mark them.

Judges are in class A (city leaders, weight_a, default 60%) or B (the others, weight_b, 40%).
A participant's result is weight_a × mean(A marks) + weight_b × mean(B marks); with no B marks
it is mean(A), with no A marks mean(B). The result, rounded half-up to 0.1, becomes the grade on
`item` (item 20) of every trainee concerned, as ScoreEntry rows with source `contest`.
A judge sees only their own marks until the contest is closed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import StudyGroup, Trainee

from .scheme import AssessmentItem

MAX_MARK = Decimal("15.0")


class ContestKind(models.TextChoices):
    TRAINEES = "trainees", _("个人赛")
    GROUPS = "groups", _("小组赛")


class ContestStatus(models.TextChoices):
    OPEN = "open", _("评分中")
    CLOSED = "closed", _("已结束")


class JudgeClass(models.TextChoices):
    A = "A", _("A类（市领导）")
    B = "B", _("B类（其他评委）")


class Contest(models.Model):
    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="contests", verbose_name=_("届次")
    )
    title = models.CharField(_("名称"), max_length=100)
    date = models.DateField(_("日期"))
    kind = models.CharField(
        _("类型"), max_length=10, choices=ContestKind.choices, default=ContestKind.TRAINEES
    )
    weight_a = models.DecimalField(
        _("A类权重"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    weight_b = models.DecimalField(
        _("B类权重"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.40"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.OPEN
    )
    item = models.ForeignKey(
        AssessmentItem,
        on_delete=models.PROTECT,
        related_name="contests",
        verbose_name=_("计入考核项目"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("擂台比拼")
        verbose_name_plural = _("擂台比拼")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight_a__gte=0, weight_b__gte=0), name="contest_weights_ok"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == ContestStatus.CLOSED


class ContestParticipant(models.Model):
    """A trainee (individual contest) or a group (group contest). `result` and `rank` are
    filled when the contest is closed."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, null=True, blank=True, related_name="contest_entries"
    )
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="contest_entries"
    )
    result = models.DecimalField(_("成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("参赛者")
        verbose_name_plural = _("参赛者")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(trainee__isnull=False, group__isnull=True)
                    | models.Q(trainee__isnull=True, group__isnull=False)
                ),
                name="participant_is_trainee_or_group",
            ),
            models.UniqueConstraint(
                fields=["contest", "trainee"],
                condition=models.Q(trainee__isnull=False),
                name="trainee_once_per_contest",
            ),
            models.UniqueConstraint(
                fields=["contest", "group"],
                condition=models.Q(group__isnull=False),
                name="group_once_per_contest",
            ),
        ]

    def __str__(self) -> str:
        return str(self.trainee or self.group)


class ContestJudge(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_judgings"
    )
    judge_class = models.CharField(_("评委类别"), max_length=1, choices=JudgeClass.choices)

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="judge_once_per_contest")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.judge_class})"


class ContestMark(models.Model):
    judge = models.ForeignKey(ContestJudge, on_delete=models.CASCADE, related_name="marks")
    participant = models.ForeignKey(
        ContestParticipant, on_delete=models.CASCADE, related_name="marks"
    )
    mark = models.DecimalField(
        _("评分"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MARK)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评委打分")
        verbose_name_plural = _("评委打分")
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "participant"], name="one_mark_per_judge_participant"
            ),
            models.CheckConstraint(
                condition=models.Q(mark__gte=0, mark__lte=MAX_MARK), name="contest_mark_0_15"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.participant}: {self.mark}"
