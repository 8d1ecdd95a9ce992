"""Instructors, classrooms and the calendar of training days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp


class InstructorSource(models.TextChoices):
    """学界讲理论 / 政界讲政策 / 业界讲实践."""

    ACADEMIC = "academic", _("学界")
    GOVERNMENT = "government", _("政界")
    INDUSTRY = "industry", _("业界")


class ClassroomType(models.TextChoices):
    """The five classrooms (五类课堂)."""

    CONVICTION = "conviction", _("凝心铸魂课堂")
    EMPOWERMENT = "empowerment", _("赋能提质课堂")
    MENTORING = "mentoring", _("成长帮带解惑课堂")
    RESEARCH = "research", _("学以致用调研课堂")
    PRACTICE = "practice", _("青春建功实践课堂")


class Instructor(models.Model):
    """Who teaches a session (师资). Shared by every edition: a good teacher comes back."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=InstructorSource.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("授课教师")
        verbose_name_plural = _("授课教师")
        ordering = ["source", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "unit"], name="instructor_name_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_source_display()}）"


class ActivityKind(models.Model):
    """A kind of activity in one classroom: the article's kinds are seeded by a data migration
    (`builtin`); staff add their own."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    classroom = models.CharField(_("课堂类型"), max_length=20, choices=ClassroomType.choices)
    builtin = models.BooleanField(_("内置"), default=False, editable=False)

    class Meta:
        verbose_name = _("活动类型")
        verbose_name_plural = _("活动类型")
        ordering = ["classroom", "pk"]

    def __str__(self) -> str:
        return self.name


class TargetMeasure(models.TextChoices):
    """What a curriculum target counts."""

    SESSIONS = "sessions", _("课程场次")
    RESEARCH_TOPICS = "research_topics", _("调研课题数")
    TASK_FORCES = "task_forces", _("突击队数")


class CurriculumTarget(models.Model):
    """How many of something a camp plans in its year (e.g. 10 青春心向党 party lectures).
    Staff set them per camp; `curriculum.services.plan.curriculum_targets_create_defaults` adds
    the article's defaults."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="curriculum_targets", verbose_name=_("届次")
    )
    label = models.CharField(_("名称"), max_length=50)
    classroom = models.CharField(_("课堂类型"), max_length=20, choices=ClassroomType.choices)
    measure = models.CharField(
        _("统计口径"), max_length=20, choices=TargetMeasure.choices, default=TargetMeasure.SESSIONS
    )
    activity_kind = models.ForeignKey(
        ActivityKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("活动类型"),
        help_text=_("按课程场次统计时必填"),
    )
    # Sessions of one kind may serve several targets (专题辅导 is also the capability modules):
    # a keyword in the topic narrows it down.
    topic_contains = models.CharField(_("主题包含"), max_length=50, blank=True)
    count = models.PositiveSmallIntegerField(_("计划数量"))

    class Meta:
        verbose_name = _("课程计划目标")
        verbose_name_plural = _("课程计划目标")
        ordering = ["camp", "classroom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "label"], name="target_label_per_camp")
        ]

    def __str__(self) -> str:
        return f"{self.label} × {self.count}"


class ArrangementKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休上班")


class CalendarArrangement(models.Model):
    """The State Council's arrangement for one date, entered by staff for a year the
    `chinesecalendar` package does not know yet (or to correct it). It adds to the package and
    takes precedence over it. National, so not tied to a camp."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=ArrangementKind.choices)
    name = models.CharField(_("节日名称"), max_length=50)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("官方节假日安排")
        verbose_name_plural = _("官方节假日安排")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.get_kind_display()}）"


class DayVerification(models.TextChoices):
    """What a training day's date rests on. Each day is verified on its own: holiday data for
    one date says nothing about another date of the same year."""

    CALENDAR_DATA = "calendar_data", _("节假日数据")
    ARRANGEMENT = "arrangement", _("录入的官方安排")
    CONFIRMED = "confirmed", _("人工确认")
    UNVERIFIED = "unverified", _("未核验")


class TrainingDay(models.Model):
    """One of a camp's 24 training days (集中培训日).

    `slot_date` is the 2nd or 4th Saturday the day stands for and never changes; `date` is where
    it is held. They differ when the day was moved (`is_moved`), because of a conflict with the
    official calendar (`conflict_kind`, `conflict_name`) or by staff (`locked`: re-planning then
    leaves it alone). `calendar_check` records what the calendar said about the slot when it was
    last planned, so that re-planning can tell when the data changed.

    `verification` says what the date rests on: the holiday data, an arrangement staff entered
    for that date, or, where no data covers it, staff who confirmed the day with a reason
    (`confirmed_by`, `confirmed_at`, `confirm_reason`).
    """

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="training_days", verbose_name=_("届次")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    slot_date = models.DateField(_("原定日期"))
    date = models.DateField(_("培训日期"))
    verification = models.CharField(
        _("日历核验"),
        max_length=20,
        choices=DayVerification.choices,
        default=DayVerification.UNVERIFIED,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirm_reason = models.CharField(_("确认依据"), max_length=200, blank=True)
    conflict_kind = models.CharField(
        _("冲突类型"), max_length=20, choices=ArrangementKind.choices, blank=True
    )
    conflict_name = models.CharField(_("冲突节日"), max_length=50, blank=True)
    move_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    locked = models.BooleanField(
        _("人工确定"), default=False, help_text=_("管理员手工调整过，重新排期时保持不变")
    )
    calendar_check = models.CharField(_("日历数据"), max_length=80, blank=True, editable=False)
    theme = models.CharField(_("当日主题"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("集中培训日")
        verbose_name_plural = _("集中培训日")
        ordering = ["camp", "date"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "date"], name="training_day_date_per_camp"),
            models.UniqueConstraint(
                fields=["camp", "slot_date"], name="training_day_slot_per_camp"
            ),
            models.UniqueConstraint(fields=["camp", "number"], name="training_day_number_per_camp"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    @property
    def is_moved(self) -> bool:
        return self.date != self.slot_date

    @property
    def moved_label(self) -> str:
        """What the move did to the day, against its own Saturday."""
        if not self.is_moved:
            return ""
        return _("已提前") if self.date < self.slot_date else _("已顺延")

    @property
    def is_unverified(self) -> bool:
        return self.verification == DayVerification.UNVERIFIED

    @property
    def is_confirmed(self) -> bool:
        return self.verification == DayVerification.CONFIRMED


class MoveKind(models.TextChoices):
    CONFLICT = "conflict", _("节假日冲突自动调整")
    MANUAL = "manual", _("人工调整")
    REPLAN = "replan", _("日历数据变化后重新排期")


class TrainingDayMove(models.Model):
    """Every move of a training day: from where, to where, why, and who (None: the planner).
    A move staff saved despite the checks keeps what was flagged (`flags`) and why staff went
    ahead (`override_reason`)."""

    day = models.ForeignKey(TrainingDay, on_delete=models.CASCADE, related_name="moves")
    from_date = models.DateField(_("原日期"))
    to_date = models.DateField(_("新日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=MoveKind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    flags = models.CharField(_("保存时的提示"), max_length=300, blank=True)
    override_reason = models.CharField(_("仍予调整的理由"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训日调整记录")
        verbose_name_plural = _("培训日调整记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_date} → {self.to_date}"

    @property
    def direction_label(self) -> str:
        return _("提前") if self.to_date < self.from_date else _("顺延")
