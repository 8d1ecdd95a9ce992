"""Score entries (考核记录): every recorded grade, deduction or award.

Entries are positive amounts; the item's kind says which way they count. The running score is
never stored on the entry: it is computed from the entries dated up to a day
(assessment/scoring.py), so a late correction changes every later figure consistently.

Every change keeps who, when, the old and new value and the reason in the simple-history table
(`history_user`, `history_date`, `history_change_reason`). Bulk writes go through
`bulk_create_with_history` / `bulk_update_with_history` so they are audited too.

`version` is an optimistic-concurrency counter: every write names the version it saw (0 for an
empty cell), and the service refuses it if someone saved in between. `cell` is the entry's cell
(assessment/cells.py): the database holds at most one entry per trainee, item and cell, so no
path and no race can double a grade or a day's deduction. Attendance deductions have no cell;
they carry a `source_key` naming their origin, so recomputing them updates the same rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from trainees.models import Trainee

from .scheme import AssessmentItem


class Source(models.TextChoices):
    MANUAL = "manual", _("手工录入")
    GRID = "grid", _("快速录入")
    UPLOAD = "upload", _("表格导入")
    ATTENDANCE = "attendance", _("考勤自动扣分")
    CONTEST = "contest", _("擂台比拼")
    SUBMISSION = "submission", _("材料评分")


class ScoreEntryQuerySet(models.QuerySet):
    def as_of(self, day):
        return self.filter(date__lte=day)


class ScoreEntry(models.Model):
    trainee = models.ForeignKey(
        Trainee, on_delete=models.CASCADE, related_name="score_entries", verbose_name=_("学员")
    )
    item = models.ForeignKey(
        AssessmentItem,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("考核项目"),
    )
    points = models.DecimalField(_("分值"), max_digits=4, decimal_places=1)
    date = models.DateField(_("日期"))
    reason = models.CharField(_("事由"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    source = models.CharField(
        _("来源"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    # e.g. "attendance:<record pk>:1", "contest:<contest pk>", "submission:<pk>",
    # "grid:<item>:<date>": empty for a manual entry.
    source_key = models.CharField(_("来源标识"), max_length=100, blank=True)
    # e.g. "month:2026-11", "once", "day:2026-03-14", "event:contest:7"; empty for attendance.
    cell = models.CharField(_("单元格"), max_length=40, blank=True)

    history = HistoricalRecords()
    objects = ScoreEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__gte=0), name="score_entry_points_not_negative"
            ),
            models.UniqueConstraint(
                fields=["trainee", "item", "source", "source_key"],
                condition=~models.Q(source_key=""),
                name="score_entry_source_key_once",
            ),
            models.UniqueConstraint(
                fields=["trainee", "item", "cell"],
                condition=~models.Q(cell=""),
                name="score_entry_one_per_cell",
            ),
        ]
        indexes = [
            # scores_as_of: group by (trainee, item) over one camp's entries up to a day.
            models.Index(fields=["trainee", "item", "date"]),
            # The live standing reads one camp's entries by item up to a day: with the trainee
            # and the points in the index it never visits the table (an index-only scan reads
            # ~200 pages for a camp of 150, against ~3,700 heap pages; docs/performance.md).
            models.Index(
                fields=["item", "date", "trainee", "points"], name="score_entry_item_date_cover"
            ),
            models.Index(fields=["source", "source_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.item} · {self.points}"
