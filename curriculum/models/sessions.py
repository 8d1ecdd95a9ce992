"""Sessions on (and off) the training days, their evaluations, and the trainees' iCal feed."""

from __future__ import annotations

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from camp.models import Camp
from trainees.models import StudyGroup, Trainee

from .calendar import ActivityKind, ClassroomType, Instructor, TrainingDay


def _camp_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class HalfDay(models.TextChoices):
    MORNING = "morning", _("上午")
    AFTERNOON = "afternoon", _("下午")
    EVENING = "evening", _("晚上")


class Session(models.Model):
    """One session: a lecture, a field visit, a round table...

    A session on a training day has `training_day` set and its `date` follows the day when the
    day moves. A session outside the training days (the counselor's monthly round table with
    their `group`, debates, reading sessions, experience sharing) has no training day.

    `counts_as_half_days` is how many half-days an absence from it weighs (1 unless staff say
    otherwise; a whole-day trip is 2). Only sessions with `attendance_required` count for
    attendance and its deductions.

    `changed_at` / `change_note` tell trainees that something about it (time, place, date...)
    changed after it was first published, and what. `moved_from` is the date trainees were
    given before its training day moved, so that moving the day back clears the mark.
    """

    camp = models.ForeignKey(
        Camp, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("届次")
    )
    training_day = models.ForeignKey(
        TrainingDay,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("培训日"),
    )
    date = models.DateField(_("日期"))
    half_day = models.CharField(_("时段"), max_length=20, choices=HalfDay.choices)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=100)
    classroom = models.CharField(_("课堂类型"), max_length=20, choices=ClassroomType.choices)
    activity_kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("活动形式")
    )
    topic = models.CharField(_("主题"), max_length=200)
    instructors = models.ManyToManyField(
        Instructor, blank=True, related_name="sessions", verbose_name=_("授课教师")
    )
    group = models.ForeignKey(
        StudyGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("学习小组"),
        help_text=_("仅面向一个小组的活动（如圆桌会）；留空表示全班"),
    )
    presenters = models.ManyToManyField(
        Trainee, blank=True, related_name="presented_sessions", verbose_name=_("交流发言学员")
    )
    off_site = models.BooleanField(_("异地/现场教学"), default=False)
    location = models.CharField(_("教学点"), max_length=200, blank=True)
    assembly_time = models.TimeField(_("集合时间"), null=True, blank=True)
    assembly_place = models.CharField(_("集合地点"), max_length=100, blank=True)
    travel_minutes = models.PositiveSmallIntegerField(_("路程（分钟）"), null=True, blank=True)
    counts_as_half_days = models.PositiveSmallIntegerField(_("折合半天数"), default=1)
    attendance_required = models.BooleanField(_("计入考勤"), default=True)
    changed_at = models.DateTimeField(_("变更时间"), null=True, blank=True)
    change_note = models.CharField(_("变更说明"), max_length=300, blank=True)
    moved_from = models.DateField(_("培训日调整前日期"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[instructors])

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["camp", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(counts_as_half_days__gte=1, counts_as_half_days__lte=2),
                name="session_half_days_1_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%m-%d} {self.topic}"

    @property
    def title(self) -> str:
        """The kind and the topic, as pages, sheets and calendars name a session. A topic that
        already names its kind (staff often type "异地现场教学：…") is not prefixed again."""
        kind = self.activity_kind.name
        if kind in self.topic:
            return self.topic
        return f"{kind}：{self.topic}"

    # A session's times are Huzhou's wall clock, whatever time zone a request has activated.
    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.date, self.start_time), _camp_zone()
        )

    @property
    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.date, self.end_time), _camp_zone()
        )

    @property
    def is_changed(self) -> bool:
        return self.changed_at is not None


class SessionEvaluation(models.Model):
    """评课: one trainee's rating of one session and its instructor, given once. Anonymous to
    instructors and counselors: only staff see averages, never who gave what."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="evaluations")
    session_score = models.PositiveSmallIntegerField(_("课程评分"))
    instructor = models.ForeignKey(
        Instructor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("授课教师"),
    )
    instructor_score = models.PositiveSmallIntegerField(_("教师评分"), null=True, blank=True)
    comment = models.TextField(_("意见建议"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评课")
        verbose_name_plural = _("评课")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="evaluation_once"),
            models.CheckConstraint(
                condition=models.Q(session_score__gte=1, session_score__lte=5),
                name="evaluation_session_score_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(instructor_score__isnull=True)
                | models.Q(instructor_score__gte=1, instructor_score__lte=5),
                name="evaluation_instructor_score_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.session_score}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a trainee's private iCal URL. Revoking replaces it: the old URL is a 404."""

    trainee = models.OneToOneField(Trainee, on_delete=models.CASCADE, related_name="feed_token")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历订阅令牌")
        verbose_name_plural = _("日历订阅令牌")

    def __str__(self) -> str:
        return str(self.trainee)
