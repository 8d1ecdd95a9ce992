"""Fast entry (快速录入): one study group × one item for one training day or one month.

The whole grid is checked first and saved in one transaction; if any cell is wrong, nothing is
saved and every wrong cell says why. A grid writes one entry per trainee for its (item, day):
saving the grid again edits those entries (by their source key) instead of adding more, and
clearing a cell deletes the entry. On a once-only item the grid edits the trainee's one entry,
whatever recorded it. Writes are bulk, with their history (`bulk_*_with_history`).

The spreadsheet entry (services/grid_workbook.py) feeds the same `grid_save`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from camp.camp_cache import camp_changed
from trainees.models import StudyGroup, Trainee, TraineeStatus

from ..access import can_record
from ..models import AssessmentItem, Frequency, ScoreEntry, Source
from .entries import parse_points, validate_entry


def grid_day(item: AssessmentItem, day: datetime.date) -> datetime.date:
    """The date a grid's entries carry: the day itself, or the 1st for a monthly item (so the
    month's grades count from the month's start)."""
    if item.frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    return day


def grid_source_key(item: AssessmentItem, day: datetime.date) -> str:
    return f"grid:{item.number}:{day.isoformat()}"


@dataclass
class GridRow:
    trainee: Trainee
    entry: ScoreEntry | None
    value: str = ""
    version: int | None = None
    errors: list[str] = field(default_factory=list)


class GridError(ValidationError):
    """Nothing was saved. `cells` maps a trainee id to its messages; `general` is the rest."""

    def __init__(self, cells: dict[int, list[str]], general: list[str] | None = None):
        self.cells = cells
        self.general = general or []
        count = len(cells)
        summary = _("有 %(n)d 处填写有误，全部未保存，请修改标红的单元格后重新提交。") % {
            "n": count
        }
        super().__init__([*self.general, summary] if count else self.general)


def grid_trainees(*, group: StudyGroup, day: datetime.date):
    """The group's members on that day: active ones, and those who withdrew on or after it."""
    return (
        Trainee.objects.filter(group=group)
        .filter(
            Q(status=TraineeStatus.ACTIVE) | Q(withdrawn_on__isnull=False, withdrawn_on__gte=day)
        )
        .select_related("person", "camp")
        .order_by("person__name", "pk")
    )


def _existing(
    item: AssessmentItem, day: datetime.date, trainee_ids, *, lock: bool = False
) -> dict[int, ScoreEntry]:
    entries = ScoreEntry.objects.filter(item=item, trainee_id__in=trainee_ids)
    if lock:
        entries = entries.select_for_update()
    if not item.once_only:
        entries = entries.filter(source__in=[Source.GRID, Source.UPLOAD]).filter(
            source_key=grid_source_key(item, day)
        )
    found: dict[int, ScoreEntry] = {}
    for entry in entries.order_by("pk"):
        found.setdefault(entry.trainee_id, entry)
    return found


def grid_load(*, group: StudyGroup, item: AssessmentItem, day: datetime.date) -> list[GridRow]:
    """The grid as it stands: one row per member, with the entry this grid wrote (if any)."""
    day = grid_day(item, day)
    trainees = list(grid_trainees(group=group, day=day))
    existing = _existing(item, day, [t.pk for t in trainees])
    rows = []
    for trainee in trainees:
        entry = existing.get(trainee.pk)
        rows.append(
            GridRow(
                trainee=trainee,
                entry=entry,
                value="" if entry is None else str(entry.points),
                version=None if entry is None else entry.version,
            )
        )
    return rows


@dataclass
class GridResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@transaction.atomic
def grid_save(
    *,
    group: StudyGroup,
    item: AssessmentItem,
    day: datetime.date,
    values: dict[int, str],
    versions: dict[int, int | None] | None = None,
    by,
    reason: str,
    source: str = Source.GRID,
) -> GridResult:
    """Save a whole grid or nothing. `values` maps trainee ids to what was typed ("" clears
    the cell); `versions` to the version of the entry each cell showed, so an entry changed by
    someone else in the meantime is reported on its cell instead of overwritten."""
    day = grid_day(item, day)
    versions = versions or {}
    reason = (reason or "").strip()
    general = []
    if not reason:
        general.append(_("请填写本次录入的事由（如：3月14日课堂纪律），会记入每条记录。"))
    if len(reason) > 300:
        general.append(_("事由不能超过 300 个字。"))
    trainees = {t.pk: t for t in grid_trainees(group=group, day=day)}
    strangers = set(values) - set(trainees)
    if strangers:
        general.append(_("表格中有不属于本组（或当日已退出）的学员，请重新下载表格后填写。"))
    # Lock what we may change, so two grids saved at once cannot interleave.
    existing = _existing(item, day, list(trainees), lock=True)

    # Every member shares the group, so the recorder rule is the same for every cell.
    may_record = bool(trainees) and can_record(by, item, next(iter(trainees.values())))
    cells: dict[int, list[str]] = {}
    to_create: list[ScoreEntry] = []
    to_update: list[ScoreEntry] = []
    to_delete: list[ScoreEntry] = []
    now = timezone.now()
    for trainee_id, raw in values.items():
        trainee = trainees.get(trainee_id)
        if trainee is None:
            continue
        text = (raw or "").strip() if isinstance(raw, str) else raw
        entry = existing.get(trainee_id)
        seen_version = versions.get(trainee_id)
        problems = []
        if entry is not None and seen_version is not None and entry.version != seen_version:
            problems.append(
                _("该单元格已被他人修改为 %(p)s 分，请刷新后核对。") % {"p": entry.points}
            )
        if not may_record:
            problems.append(_("您不能为该学员录入此项目。"))
        if text in ("", None):
            if entry is not None and not problems:
                to_delete.append(entry)
            if problems:
                cells[trainee_id] = problems
            continue
        try:
            points = parse_points(text)
            validate_entry(
                trainee=trainee,
                item=item,
                points=points,
                date=day,
                exclude_pk=None if entry is None else entry.pk,
            )
        except ValidationError as error:
            problems.extend(error.messages)
        if problems:
            cells[trainee_id] = problems
            continue
        if entry is None:
            to_create.append(
                ScoreEntry(
                    trainee=trainee,
                    item=item,
                    points=points,
                    date=day,
                    reason=reason,
                    recorded_by=by,
                    source=source,
                    source_key="" if item.once_only else grid_source_key(item, day),
                )
            )
        elif entry.points != points or entry.reason != reason:
            entry.points = points
            entry.date = day
            entry.reason = reason
            entry.recorded_by = by
            entry.version += 1
            entry.updated_at = now
            to_update.append(entry)
    if cells or general:
        raise GridError(cells, general)

    if to_create:
        bulk_create_with_history(
            to_create, ScoreEntry, default_user=by, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            ["points", "date", "reason", "recorded_by", "version", "updated_at"],
            default_user=by,
            default_change_reason=reason,
        )
    for entry in to_delete:
        entry._history_user = by
        entry._change_reason = _("快速录入中清空：%(r)s") % {"r": reason}
        entry.delete()
    if to_create or to_update or to_delete:
        camp_changed(camp_id=group.camp_id)
    return GridResult(created=len(to_create), updated=len(to_update), deleted=len(to_delete))
