import datetime
import decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .retention import category_label
from .roles import Role


class User(AbstractUser):
    """A login. Chinese names are not split into first and last, so `full_name` holds the name."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    # The header's unread 通知, kept by camp.notifications.services, so that every page reads it
    # with the user it loads anyway (no query of its own).
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class CampStatus(models.TextChoices):
    PLANNING = "planning", _("筹备中")
    SELECTING = "selecting", _("选调中")
    RUNNING = "running", _("培训中")
    FINISHED = "finished", _("已结业")


class RankVisibility(models.TextChoices):
    """What a trainee sees of the ranking: the default is their own rank only."""

    OWN_RANK = "own_rank", _("仅显示本人排名")
    HIDDEN = "hidden", _("不显示排名")


class CampQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=CampStatus.FINISHED).order_by("-year", "-start_month")


class Camp(models.Model):
    """One edition (一期) of the camp."""

    code = models.CharField(
        _("届次代码"),
        max_length=20,
        unique=True,
        help_text=_("例如 2026"),
    )
    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    start_month = models.PositiveSmallIntegerField(_("开班月份"), default=1)
    capacity = models.PositiveSmallIntegerField(_("容量"), default=150)
    selection_reference_date = models.DateField(_("选调基准日"))
    recruitment_window_start = models.PositiveSmallIntegerField(_("选调生/选聘生录用起始年份"))
    recruitment_window_end = models.PositiveSmallIntegerField(_("选调生/选聘生录用截止年份"))
    status = models.CharField(
        _("状态"), max_length=20, choices=CampStatus.choices, default=CampStatus.PLANNING
    )
    trainee_rank_visibility = models.CharField(
        _("学员可见排名"),
        max_length=20,
        choices=RankVisibility.choices,
        default=RankVisibility.OWN_RANK,
    )
    # The one leave deadline: the leave pages, the deductions and the exports all read it here,
    # since curriculum (leave) cannot read assessment (deductions).
    leave_close_days = models.PositiveSmallIntegerField(
        _("销假期限（培训日后天数）"),
        default=3,
        help_text=_("经批准的请假须在培训日后这么多天内销假，逾期按考核方案扣分。"),
    )
    # A counselor's to-do names the members they have not talked with for this long.
    talk_interval_weeks = models.PositiveSmallIntegerField(
        _("谈心谈话间隔（周）"),
        default=8,
        help_text=_("超过这么多周未谈心谈话的组员，会列入辅导员的待办。"),
    )
    # 学时: a session's hours are its half-days times this (§5 of issue 16).
    hours_per_half_day = models.DecimalField(
        _("每半天学时"),
        max_digits=3,
        decimal_places=1,
        default=decimal.Decimal(4),
        help_text=_("一节课的学时 = 折合半天数 × 每半天学时。"),
    )
    # Graduation refuses a trainee whose attended hours fall below this share of the hours
    # their membership required.
    min_hours_share = models.DecimalField(
        _("结业最低学时比例（%）"),
        max_digits=4,
        decimal_places=1,
        default=decimal.Decimal(80),
        help_text=_("已修学时不足应修学时的这一比例的学员不能结业；填 0 表示不检查。"),
    )
    # The daily reminders (通知) go out at this local time.
    reminder_time = models.TimeField(_("每日提醒时间"), default=datetime.time(18, 0))
    # The day the edition graduated (结业典礼). Empty until known: then the twelfth month's last
    # day stands in (`graduation_date`), which the promotion rates and retention count from.
    graduated_on = models.DateField(_("结业日期"), null=True, blank=True)
    # How long personal data is kept after graduation (the retention job anonymizes the rest).
    candidate_retention_years = models.PositiveSmallIntegerField(
        _("未录取人选保留年限"),
        default=1,
        help_text=_("未录取的推荐人选，其个人信息在结业日期后保留这么多年。"),
    )
    trainee_retention_years = models.PositiveSmallIntegerField(
        _("学员个人信息保留年限"),
        default=5,
        help_text=_("学员的个人信息在结业日期后保留这么多年，期满后匿名化。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = CampQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训营届次")
        verbose_name_plural = _("培训营届次")
        ordering = ["-year", "-start_month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_month__gte=1, start_month__lte=12),
                name="camp_start_month_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    recruitment_window_start__lte=models.F("recruitment_window_end")
                ),
                name="camp_recruitment_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_month is not None and not 1 <= self.start_month <= 12:
            raise ValidationError({"start_month": _("开班月份应为 1 到 12。")})
        if (
            self.recruitment_window_start is not None
            and self.recruitment_window_end is not None
            and self.recruitment_window_start > self.recruitment_window_end
        ):
            raise ValidationError({"recruitment_window_end": _("录用截止年份不能早于起始年份。")})
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError({"capacity": _("容量至少为 1 人。")})
        if self.leave_close_days is not None and not 1 <= self.leave_close_days <= 30:
            raise ValidationError({"leave_close_days": _("销假期限应为 1 到 30 天。")})
        if self.talk_interval_weeks is not None and not 1 <= self.talk_interval_weeks <= 52:
            raise ValidationError({"talk_interval_weeks": _("谈心谈话间隔应为 1 到 52 周。")})
        if self.hours_per_half_day is not None and not 0 < self.hours_per_half_day <= 12:
            raise ValidationError({"hours_per_half_day": _("每半天学时应大于 0、不超过 12。")})
        if self.min_hours_share is not None and not 0 <= self.min_hours_share <= 100:
            raise ValidationError({"min_hours_share": _("结业最低学时比例应为 0 到 100。")})
        if (
            self.graduated_on is not None
            and self.year is not None
            and 1 <= (self.start_month or 0) <= 12
            and self.graduated_on < self.start_date
        ):
            raise ValidationError({"graduated_on": _("结业日期不能早于开班日期。")})
        if (
            self.candidate_retention_years is not None
            and not 1 <= self.candidate_retention_years <= 30
        ):
            raise ValidationError({"candidate_retention_years": _("保留年限应为 1 到 30 年。")})
        if self.trainee_retention_years is not None and not 1 <= self.trainee_retention_years <= 30:
            raise ValidationError({"trainee_retention_years": _("保留年限应为 1 到 30 年。")})

    def leave_close_due(self, day: datetime.date) -> datetime.date:
        """The last day on which leave from the training day `day` may be closed."""
        return day + datetime.timedelta(days=self.leave_close_days)

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.year, self.start_month, 1)

    @property
    def end_date(self) -> datetime.date:
        """The last day of the twelfth month from the start."""
        month_index = self.start_month - 1 + 12
        first_after = datetime.date(self.year + month_index // 12, month_index % 12 + 1, 1)
        return first_after - datetime.timedelta(days=1)

    @property
    def graduation_date(self) -> datetime.date:
        """The edition's graduation day: the recorded one, else its twelfth month's last day."""
        return self.graduated_on or self.end_date


class SensitiveAccessLog(models.Model):
    """Every time full personal data (身份证号, phone) is shown or exported unmasked."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看完整信息")
        EXPORT = "export", _("导出未脱敏数据")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("操作人")
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    target = models.CharField(_("对象"), max_length=200)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("敏感信息访问记录")
        verbose_name_plural = _("敏感信息访问记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.target}"


class PasswordReset(models.Model):
    """A password set by someone other than its owner: a staff reset or a printed initial
    password. Kept so that nobody can take over a login unseen; the owner is shown the latest
    one at their next login and on their account page."""

    class Kind(models.TextChoices):
        RESET = "reset", _("重置密码")
        INITIAL = "initial", _("发放初始密码")

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="password_resets",
        verbose_name=_("账号"),
    )
    by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # The role at the time: the owner is told which role reset it, even after the actor's
    # role changes.
    by_role = models.CharField(_("操作人角色"), max_length=20, choices=Role.choices, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("密码重置记录")
        verbose_name_plural = _("密码重置记录")
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def by_role_label(self) -> str:
        return self.get_by_role_display() or _("系统管理员")


class Draft(models.Model):
    """What someone is typing into a long form, kept on the server so that a dropped connection
    on a phone loses nothing. Never in the browser's storage: phones are shared and the text
    is personal. Personal to its author; deleted when the form itself is saved."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("作者")
    )
    # "<kind>.<what>", e.g. "review.12.2026-03-09"; the kind's registered check decides who
    # may keep a draft of it (camp.drafts).
    key = models.CharField(_("表单"), max_length=120)
    data = models.JSONField(_("内容"), default=dict)
    saved_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("草稿")
        verbose_name_plural = _("草稿")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="draft_one_per_user_and_form")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.key} {self.saved_at:%Y-%m-%d %H:%M}"


class RetentionRun(models.Model):
    """One real run of the retention job (camp.services.retention): when, as of which day, by
    whom or which process, what it anonymized or deleted per category, and each edition's
    cut-off dates as they stood. A dry run leaves none."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    today = models.DateField(_("执行基准日"))
    by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )

    class Process(models.TextChoices):
        BEAT = "beat", _("每日任务")
        COMMAND = "command", _("命令行")

    process = models.CharField(_("执行方式"), max_length=40, choices=Process.choices)
    # {category: count}, the categories the service names (see RetentionReport).
    counts = models.JSONField(_("数量"), default=dict)
    # {edition code: {"candidates": "YYYY-MM-DD", "trainees": "YYYY-MM-DD"}}: the first day on
    # which each period's data was gone.
    cutoffs = models.JSONField(_("截止日期"), default=dict)

    class Meta:
        verbose_name = _("数据保留执行记录")
        verbose_name_plural = _("数据保留执行记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.today} {self.process}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(category_label(key), count) for key, count in self.counts.items()]


class CampFiguresVersion(models.Model):
    """The camp's figures version in the database, moved on inside the transaction of every
    change that `camp.camp_cache.camp_changed` announces: it commits or rolls back with the
    change itself, so it survives a restart of the cache, which the cache's own version does
    not (camp/camp_cache.py)."""

    # The camp's id, not a foreign key: moving the version on must never wait for a lock held
    # on the camp's row, and a counter left by a deleted camp harms nothing.
    camp_id = models.BigIntegerField(_("届次"), primary_key=True)
    version = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("届次数据版本")
        verbose_name_plural = _("届次数据版本")

    def __str__(self) -> str:
        return f"{self.camp_id} v{self.version}"


class KeptFigures(models.Model):
    """A camp's computed figures (its live standing) as of the database version they were
    computed at: after the cache is emptied (a deploy, a Redis restart) the first reader takes
    them from here instead of computing them again, as long as the camp has not changed since.
    One row per camp and kind, replaced by each new computation."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="+", verbose_name=_("届次")
    )
    kind = models.CharField(_("类别"), max_length=40)
    # camp_cached's name of the figures, e.g. "standing:2026-12-05": a new day is other figures.
    name = models.CharField(_("名称"), max_length=100)
    version = models.BigIntegerField(_("版本"))
    value = models.JSONField(_("内容"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("已算好的数据")
        verbose_name_plural = _("已算好的数据")
        constraints = [
            models.UniqueConstraint(fields=["camp", "kind"], name="kept_figures_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.camp_id} {self.name} v{self.version}"
