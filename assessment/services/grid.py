"""Fast entry (快速录入): one study group × one item for one period (a training day, a week, a
month, an event's date, or the whole camp for a once-only item).

Each row is the trainee's cell of that period (assessment/cells.py), whatever wrote it: a single
entry, an earlier grid, a workbook or a graded submission. Automatic cells (a submission's or a
contest's grade) are shown read-only, and attendance deductions of the day beside the cell.

The whole grid is checked first and saved in one transaction. Every cell carries what its
writer saw (the entry's version, 0 for an empty cell); a cell changed since, or any wrong value,
refuses the whole grid: nothing is saved and every refused cell says why and, for a change,
who made it and when. Writes are bulk, with their history (`bulk_*_with_history`).

The spreadsheet entry (services/grid_workbook.py) feeds the same `grid_save`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from camp.camp_cache import camp_changed
from trainees.models import StudyGroup

from ..access import AUTOMATIC_SOURCES, can_record
from ..cells import item_cell_key
from ..entry_messages import automatic_message, deleted_message, stale_message
from ..entry_rules import parse_points, validate_entry
from ..grid_selectors import grid_cells, grid_day, grid_trainees
from ..models import AssessmentItem, ScoreEntry, Source
from ..standing_selectors import camp_span


class GridError(ValidationError):
    """Nothing was saved. `cells` maps a trainee id to its messages; `general` is the rest;
    `stale` holds the cells that changed since the writer saw them."""

    def __init__(
        self,
        cells: dict[int, list[str]],
        general: list[str] | None = None,
        stale: set[int] | None = None,
    ):
        self.cells = cells
        self.general = general or []
        self.stale = stale or set()
        count = len(cells)
        summary = _("有 %(n)d 处填写有误，全部未保存，请修改标红的单元格后重新提交。") % {
            "n": count
        }
        if self.stale:
            summary = _(
                "有 %(n)d 个单元格已被他人修改，全部未保存。标红的单元格已更新为当前值，"
                "请核对后重新提交。"
            ) % {"n": len(self.stale)}
        super().__init__([*self.general, summary] if count else self.general)


@dataclass
class GridResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _stale(entry: ScoreEntry | None, seen: int | None, key) -> str | None:
    """Why a cell's write is refused as stale, or None when the writer saw what is there."""
    if seen is None:
        return _("页面缺少该单元格的版本信息，请刷新页面（或重新下载录入表）后再录入。")
    if entry is None:
        return deleted_message(**key) if seen else None
    if entry.version != seen:
        return stale_message(entry, seen_empty=not seen)
    return None


@transaction.atomic
def grid_save(
    *,
    group: StudyGroup,
    item: AssessmentItem,
    day: datetime.date,
    values: dict[int, str],
    versions: dict[int, int | None],
    by,
    reason: str,
    source: str = Source.GRID,
) -> GridResult:
    """Save a whole grid or nothing. `values` maps trainee ids to what was typed ("" clears the
    cell); `versions` to what each cell showed (the entry's version, 0 for empty). A cell that
    changed since refuses the grid, naming who changed it."""
    day = grid_day(item, day)
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
    # One grid save of an item at a time: two grids (or a grid and a workbook) saved at once
    # queue here instead of interleaving their cells.
    # NO KEY: each new entry's foreign-key check takes a key share on the item's row.
    AssessmentItem.objects.select_for_update(no_key=True).filter(pk=item.pk).first()
    cell = item_cell_key(item, day)
    span = camp_span(group.camp)
    existing = grid_cells(item, day, list(trainees), lock=True)

    # Every member shares the group, so the recorder rule is the same for every cell.
    may_record = bool(trainees) and can_record(by, item, next(iter(trainees.values())))
    cells: dict[int, list[str]] = {}
    stale_cells: set[int] = set()
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
        if entry is not None and entry.source in AUTOMATIC_SOURCES:
            if text not in ("", None) and _same(text, entry.points):
                continue  # the read-only cell sent back as shown
            if text not in ("", None) or versions.get(trainee_id) != entry.version:
                cells[trainee_id] = [automatic_message(entry)]
                stale_cells.add(trainee_id)
            continue
        problems = []
        key = {"trainee_id": trainee_id, "item_id": item.pk, "cell": cell}
        stale = _stale(entry, versions.get(trainee_id), key)
        if not may_record:
            problems.append(_("您不能为该学员录入此项目。"))
        if stale:
            stale_cells.add(trainee_id)
        if text in ("", None):
            if stale:
                problems.append(stale)
            elif entry is not None and not problems:
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
                span=span,
            )
        except ValidationError as error:
            problems.extend(error.messages)
        if stale and entry is not None and not problems and entry.points == points:
            stale_cells.discard(trainee_id)
            continue  # both writers wrote the same value: nothing to save, nothing lost
        if stale:
            problems.insert(0, stale)
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
                    cell=cell,
                )
            )
        elif entry.points != points or entry.reason != reason:
            entry.points = points
            entry.reason = reason
            entry.recorded_by = by
            entry.version += 1
            entry.updated_at = now
            to_update.append(entry)
    if cells or general:
        raise GridError(cells, general, stale_cells & set(cells))

    try:
        with transaction.atomic():
            _write(to_create, to_update, to_delete, by=by, reason=reason)
    except IntegrityError:
        # A single entry filled one of the empty cells a moment ago: name it, save nothing.
        now_there = grid_cells(item, day, [e.trainee_id for e in to_create])
        if not now_there:
            raise
        raise GridError(
            {pk: [stale_message(entry, seen_empty=True)] for pk, entry in now_there.items()},
            stale=set(now_there),
        ) from None
    if to_create or to_update or to_delete:
        touched = [entry.trainee_id for entry in (*to_create, *to_update, *to_delete)]
        camp_changed(camp_id=group.camp_id, trainee_ids=touched)
    return GridResult(created=len(to_create), updated=len(to_update), deleted=len(to_delete))


def _same(text, points) -> bool:
    try:
        return parse_points(text) == points
    except ValidationError:
        return False


def _write(to_create, to_update, to_delete, *, by, reason: str) -> None:
    if to_create:
        bulk_create_with_history(
            to_create, ScoreEntry, default_user=by, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            ["points", "reason", "recorded_by", "version", "updated_at"],
            default_user=by,
            default_change_reason=reason,
        )
    for entry in to_delete:
        entry._history_user = by
        entry._change_reason = _("快速录入中清空：%(r)s") % {"r": reason}
        entry.delete()
