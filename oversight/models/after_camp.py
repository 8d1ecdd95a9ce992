"""After the camp (训后跟踪): what the organization department records of a graduate once the
edition is over. Post changes (任职变动, a promotion or not), annual appraisal grades (年度考核
等次), awards and commendations (奖励表彰), and notes.

Each record hangs off the graduate's `Trainee` row of the edition they graduated from, so an
edition's promotion rate counts its own graduates' records (oversight/after_camp_selectors.py).
A person who graduated from two editions has two such rows: what the department enters is
entered on one of them (the page links the other), and each edition counts only its own.

Every record carries a `version`: an edit names the version its writer saw and is refused if
someone saved in between (oversight/services/after_camp.py), never a silent overwrite.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trainees.models import Rank, Trainee

# A year outside these is a typing mistake, not an appraisal.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class AppraisalGrade(models.TextChoices):
    """年度考核等次, the four grades of the civil service's annual appraisal."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASICALLY_COMPETENT = "basically_competent", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class AfterCampRecord(models.Model):
    """What every after-camp record shares: its graduate, who last wrote it and its version."""

    graduate = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="+", verbose_name=_("结业学员")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("填写人"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def _check_dated(self, field: str, day: datetime.date | None) -> None:
        """A record is about what came after: never before the edition's graduation date."""
        if day is None or self.graduate_id is None:
            return
        graduated = self.graduate.camp.graduation_date
        if day < graduated:
            raise ValidationError(
                {
                    field: _("日期不能早于本期结业日期（%(day)s），请核对。")
                    % {"day": graduated.isoformat()}
                }
            )


class PostChange(AfterCampRecord):
    """任职变动: from this date the graduate holds this post at this rank; `promotion` says
    whether the change was a promotion (提拔), which the promotion rates count."""

    graduate = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="post_changes", verbose_name=_("结业学员")
    )
    date = models.DateField(_("任职日期"))
    post = models.CharField(_("新任职务"), max_length=100)
    rank = models.CharField(_("职级"), max_length=30, choices=Rank.choices)
    promotion = models.BooleanField(_("提拔"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任职变动")
        verbose_name_plural = _("任职变动")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["graduate", "date"], name="post_change_once_a_day"),
        ]
        indexes = [models.Index(fields=["graduate", "promotion", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.post}"

    def clean(self) -> None:
        self._check_dated("date", self.date)


class Appraisal(AfterCampRecord):
    """年度考核等次: one grade per graduate per year."""

    graduate = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("结业学员")
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    grade = models.CharField(_("考核等次"), max_length=30, choices=AppraisalGrade.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["graduate", "year"], name="appraisal_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="appraisal_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_grade_display()}"

    def clean(self) -> None:
        if self.year is None or self.graduate_id is None:
            return
        # The year the edition graduated is the first one an appraisal can speak of after it.
        first = self.graduate.camp.graduation_date.year
        if self.year < first:
            raise ValidationError(
                {"year": _("考核年度不能早于结业年度（%(year)d年）。") % {"year": first}}
            )


class Award(AfterCampRecord):
    """奖励表彰: an award or commendation, its date and who gave it."""

    graduate = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="awards", verbose_name=_("结业学员")
    )
    date = models.DateField(_("表彰日期"))
    name = models.CharField(_("奖励名称"), max_length=200)
    body = models.CharField(_("授予机关"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖励表彰")
        verbose_name_plural = _("奖励表彰")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["graduate", "date", "name"], name="award_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def clean(self) -> None:
        self._check_dated("date", self.date)


class AfterCampNote(AfterCampRecord):
    """A note of the department's about a graduate (free text: the retention job's to clear)."""

    graduate = models.ForeignKey(
        Trainee,
        on_delete=models.CASCADE,
        related_name="after_camp_notes",
        verbose_name=_("结业学员"),
    )
    date = models.DateField(_("日期"))
    text = models.TextField(_("备注"), max_length=2000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("训后备注")
        verbose_name_plural = _("训后备注")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    def clean(self) -> None:
        self._check_dated("date", self.date)


# Each kind of record by the name URLs and import files give it.
AFTER_CAMP_MODELS = {
    "post": PostChange,
    "appraisal": Appraisal,
    "award": Award,
    "note": AfterCampNote,
}
