from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp


class Rank(models.TextChoices):
    """Civil-service level (职务层次), highest first."""

    BUREAU_CHIEF = "bureau_chief", _("正厅级")
    DEPUTY_BUREAU_CHIEF = "deputy_bureau_chief", _("副厅级")
    DIVISION_CHIEF = "division_chief", _("正处级")
    DEPUTY_DIVISION_CHIEF = "deputy_division_chief", _("副处级")
    SECTION_CHIEF = "section_chief", _("正科级")
    DEPUTY_SECTION_CHIEF = "deputy_section_chief", _("副科级")
    STAFF_MEMBER = "staff_member", _("科员")


# A counselor must be a leader at 正处级 or above.
COUNSELOR_RANKS = (Rank.BUREAU_CHIEF, Rank.DEPUTY_BUREAU_CHIEF, Rank.DIVISION_CHIEF)


class CadreType(models.TextChoices):
    SELECTED_GRADUATE = "selected_graduate", _("选调生")
    RECRUITED_GRADUATE = "recruited_graduate", _("选聘生")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Theme(models.TextChoices):
    """The six study groups' themes, aligned with the city's central work."""

    PARTY_BUILDING = "party_building", _("党的建设")
    ECONOMIC_DEVELOPMENT = "economic_development", _("经济发展")
    URBAN_CONSTRUCTION = "urban_construction", _("城市建设")
    SOCIAL_WELFARE = "social_welfare", _("社会民生")
    RURAL_REVITALIZATION = "rural_revitalization", _("乡村振兴")
    GRASSROOTS_GOVERNANCE = "grassroots_governance", _("基层治理")


class RankAlias(models.Model):
    """Maps a title of the parallel 职级 system (or any local wording) onto a rank."""

    title = models.CharField(_("职级名称"), max_length=50, unique=True)
    rank = models.CharField(_("对应职务层次"), max_length=30, choices=Rank.choices)

    class Meta:
        verbose_name = _("职级对照")
        verbose_name_plural = _("职级对照")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} → {self.get_rank_display()}"


class Person(models.Model):
    """A cadre, who keeps one history across camp editions."""

    name = models.CharField(_("姓名"), max_length=50)
    # Written with the name by its services (camp.pinyin), so lists find 张华生 by "zhs".
    name_initials = models.CharField(
        _("姓名拼音首字母"), max_length=255, blank=True, default="", editable=False
    )
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, null=True, blank=True)
    unit = models.CharField(_("工作单位"), max_length=100)
    position = models.CharField(_("现任职务"), max_length=100, blank=True)
    rank = models.CharField(_("职级"), max_length=30, choices=Rank.choices)
    rank_title = models.CharField(
        _("职级原文"), max_length=50, blank=True, help_text=_("导入时填写的原始职级名称")
    )
    cadre_type = models.CharField(
        _("干部类别"), max_length=30, choices=CadreType.choices, default=CadreType.OTHER
    )
    recruitment_year = models.PositiveSmallIntegerField(_("录用年份"), null=True, blank=True)
    township_chief_experience = models.BooleanField(_("乡镇(街道)党政正职经历"), default=False)
    work_field = models.CharField(_("工作经历领域"), max_length=200, blank=True)
    specialty = models.CharField(_("专业特长"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    # Set by the retention job (camp.services.retention) once every edition the person belongs
    # to has expired: name, ID number, phone and notes are gone, the anonymous figures stay.
    anonymized_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "birth_date", "unit"])]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    PENDING = "pending", _("待定")
    ADMITTED = "admitted", _("录取")
    WAITLISTED = "waitlisted", _("候补")
    REJECTED = "rejected", _("不录取")


class CandidateImport(models.Model):
    """One candidate workbook imported: which file (name, SHA-256, rows), by whom, why, and
    what it did. The people it changed carry its number in their history's reason."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="candidate_imports", verbose_name=_("届次")
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"))
    created = models.PositiveIntegerField(_("新增"))
    updated = models.PositiveIntegerField(_("更新"))
    reason = models.TextField(_("原因"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("候选人导入记录")
        verbose_name_plural = _("候选人导入记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.sha256[:12]})"


class Candidate(models.Model):
    """A person nominated for one camp edition (推荐人选), before and after the decision."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("届次")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("人员")
    )
    decision = models.CharField(
        _("决定"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("决定人"),
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    nominated_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("推荐人选")
        verbose_name_plural = _("推荐人选")
        constraints = [
            models.UniqueConstraint(fields=["camp", "person"], name="candidate_once_per_camp")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.camp.code})"


class Counselor(models.Model):
    """A political counselor (政治辅导员): a leader at 正处级 or above who mentors a group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="counselor",
        verbose_name=_("登录账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("工作单位"), max_length=100)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    rank = models.CharField(_("职务层次"), max_length=30, choices=Rank.choices)

    class Meta:
        verbose_name = _("政治辅导员")
        verbose_name_plural = _("政治辅导员")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StudyGroup(models.Model):
    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="groups", verbose_name=_("届次")
    )
    number = models.PositiveSmallIntegerField(_("组号"))
    theme = models.CharField(_("主题"), max_length=30, choices=Theme.choices)
    counselor = models.ForeignKey(
        Counselor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("现任政治辅导员"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学习小组")
        verbose_name_plural = _("学习小组")
        ordering = ["camp", "number"]
        constraints = [
            models.UniqueConstraint(fields=["camp", "number"], name="group_number_per_camp"),
            models.UniqueConstraint(fields=["camp", "theme"], name="group_theme_per_camp"),
        ]

    def __str__(self) -> str:
        return _("第%(n)d组·%(theme)s") % {"n": self.number, "theme": self.get_theme_display()}


class CounselorTerm(models.Model):
    """Who counseled a group when: replacements during the year keep the earlier terms."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="counselor_terms")
    counselor = models.ForeignKey(Counselor, on_delete=models.PROTECT, related_name="terms")
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("变更原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["group", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_counselor_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.counselor} → {self.group}"


class TraineeStatus(models.TextChoices):
    ACTIVE = "active", _("在训")
    WITHDRAWN = "withdrawn", _("已退出")


class WithdrawalKind(models.TextChoices):
    PROMOTED = "promoted", _("提拔")
    TRANSFERRED = "transferred", _("调动")
    LEFT = "left", _("其他原因退出")


class Post(models.TextChoices):
    NONE = "", _("无")
    CLASS_OFFICER = "class_officer", _("班委")
    GROUP_LEADER = "group_leader", _("组长")


def group_on(day, trainee: str = "pk", current: str = "group_id"):
    """An expression for a trainee's group on `day` (a date, or an expression such as
    OuterRef("session__date") for a record's own day): the `to_group` of their latest move in
    effect by then; before their first move its `from_group`; without any move their current
    group (see GroupMove). `trainee` and `current` name the trainee's id and current group from
    the model being annotated ("trainee_id", "trainee__group_id" from an attendance record)."""
    if isinstance(day, models.F):
        day = models.OuterRef(day.name)
    moves = GroupMove.objects.filter(trainee=models.OuterRef(trainee))
    latest = moves.filter(effective_on__lte=day).order_by("-effective_on", "-pk")
    first = moves.order_by("effective_on", "pk")
    return models.Case(
        models.When(models.Exists(latest), then=models.Subquery(latest.values("to_group_id")[:1])),
        # Every move is later: the group the first of them took the trainee from.
        models.When(models.Exists(moves), then=models.Subquery(first.values("from_group_id")[:1])),
        # No move recorded at all: the current group, held since admission.
        default=models.F(current),
        output_field=models.IntegerField(),
    )


class TraineeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=TraineeStatus.ACTIVE)

    def members_on(self, day):
        """Those who belonged to the camp on `day`: from the day of admission to the day of
        withdrawal, both included (scheme: "Membership and dates")."""
        return self.filter(admitted_on__lte=day).filter(
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=day)
        )

    def with_group_on(self, day):
        """Each trainee annotated with `group_on`: the id of the group they belonged to on
        `day` (None without one), read from the dated moves (see GroupMove)."""
        return self.annotate(group_on=group_on(day))

    def members_of_group_on(self, group, day):
        """Those who belonged to the camp and to `group` on `day` (scheme: "Membership and
        dates"), each with `group_on`."""
        group_id = getattr(group, "pk", group)
        # A group's members are of its camp: said first, so that the dated-membership
        # subqueries run for one camp's trainees, not every camp's (at 50,000 trainees the
        # group dashboard spent 2.7 s here; issue 19). A subquery when given an id: no query.
        camp_id = getattr(group, "camp_id", None)
        if camp_id is None:
            camp_id = StudyGroup.objects.filter(pk=group_id).values("camp_id")[:1]
        return (
            self.filter(camp_id=camp_id)
            .members_on(day)
            .with_group_on(day)
            .filter(group_on=group_id)
        )


class Trainee(models.Model):
    """An admitted participant of one camp edition."""

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="trainees", verbose_name=_("届次")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="traineeships", verbose_name=_("人员")
    )
    candidate = models.OneToOneField(
        Candidate, on_delete=models.PROTECT, related_name="trainee", verbose_name=_("推荐人选")
    )
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
        verbose_name=_("学习小组"),
    )
    placement_reason = models.CharField(_("分组依据"), max_length=200, blank=True)
    post = models.CharField(_("班级职务"), max_length=20, choices=Post.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TraineeStatus.choices, default=TraineeStatus.ACTIVE
    )
    admitted_on = models.DateField(_("入营日期"))
    withdrawn_on = models.DateField(_("退出日期"), null=True, blank=True)
    withdrawal_kind = models.CharField(
        _("退出类型"), max_length=20, choices=WithdrawalKind.choices, blank=True
    )
    withdrawal_reason = models.CharField(_("退出原因"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = TraineeQuerySet.as_manager()

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        constraints = [
            models.UniqueConstraint(fields=["camp", "person"], name="trainee_once_per_camp")
        ]
        indexes = [
            models.Index(fields=["camp", "status"]),
            models.Index(fields=["group", "status"]),
        ]

    def __str__(self) -> str:
        return self.person.name

    @property
    def is_active(self) -> bool:
        return self.status == TraineeStatus.ACTIVE


class GroupMove(models.Model):
    """A trainee put into a group, automatically or by hand, and why, and from which day.

    The moves ARE the dated group membership: a trainee belongs to the `to_group` of their
    latest move whose `effective_on` is on or before a day, until the next move takes effect.
    Before their first move they belong to its `from_group` (None for a first placement).
    A separate membership table with from/to dates would state every change twice (the move
    and the period it closes and opens) and need an overlap rule the moves give for free:
    the service refuses a move dated before the previous move's effective day, so the moves
    of a trainee, ordered by (effective_on, pk), are also the order they were recorded in, and
    the periods between them never overlap and leave at most one open.

    `at` is when the move was recorded; `effective_on` is the day it takes effect, which staff
    may set in the past (a move recorded today may take effect from an earlier date), within
    the trainee's membership of the camp and the camp's dates. `Trainee.group` is the current
    group, the latest move's `to_group`, kept by the grouping services only. A trainee without
    any move (groups set before moves were kept) is in their current group since admission.
    `groups_on` and `TraineeQuerySet.members_of_group_on` are the readers every figure uses."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="group_moves")
    from_group = models.ForeignKey(
        StudyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_group = models.ForeignKey(StudyGroup, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    automatic = models.BooleanField(_("自动分组"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    effective_on = models.DateField(_("生效日期"))

    class Meta:
        verbose_name = _("分组调整")
        verbose_name_plural = _("分组调整")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["trainee", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.trainee} → {self.to_group}"


class ConductCode(models.Model):
    """个人修养要则: the rules a trainee writes for themself."""

    trainee = models.OneToOneField(Trainee, on_delete=models.CASCADE, related_name="conduct_code")
    text = models.TextField(_("个人修养要则"), max_length=5000)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个人修养要则")
        verbose_name_plural = _("个人修养要则")

    def __str__(self) -> str:
        return str(self.trainee)
