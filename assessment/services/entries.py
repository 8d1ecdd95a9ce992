"""Recording scores: write, edit and delete one cell's entry, with the scheme's rules in Chinese.

Every write keeps who and why in the entry's history (`_history_user`, `_change_reason`), and
every write names what its writer saw (the version, or 0 for an empty cell): if someone saved in
between, it is refused with the current value, never silently overwritten. The database holds
one entry per cell (assessment/cells.py), so two writers racing to fill an empty cell leave one
entry and a refusal, never a 500 or a double.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from camp.camp_cache import camp_changed
from trainees.models import Trainee

from ..access import AUTOMATIC_SOURCES, can_record
from ..cells import item_cell_key, period_label
from ..entry_messages import StaleEntryError, automatic_message, deleted_message, stale_message
from ..entry_rules import item_recorders_label, parse_points, validate_entry
from ..models import AssessmentItem, Kind, ScoreEntry, Source

REASON_MAX = 300


def _check_recorder(by, item: AssessmentItem, trainee: Trainee) -> None:
    if by is None:
        return  # the system (attendance, contests): the caller is the rule
    if not can_record(by, item, trainee):
        if item.recorded_by == ["judges"]:
            raise ValidationError(
                _("“%(item)s”由擂台比拼评委打分生成，不能手工录入。") % {"item": item.name}
            )
        raise ValidationError(
            _("您不能录入“%(item)s”：该项目由%(who)s记录，辅导员只能为本组学员录入。")
            % {"item": item.name, "who": item_recorders_label(item)}
        )


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("请填写事由（如：第3次集中培训迟到），便于学员和审核人查看。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("事由不能超过 %(n)d 个字。") % {"n": REASON_MAX})
    return reason


def _save(entry: ScoreEntry, *, by, reason: str) -> None:
    entry._history_user = by
    entry._change_reason = reason
    entry.save()
    camp_changed(camp_id=entry.trainee.camp_id, trainee_ids=[entry.trainee_id])


def _cell_entry(trainee: Trainee, item: AssessmentItem, cell: str, *, lock: bool):
    entries = ScoreEntry.objects.filter(trainee=trainee, item=item, cell=cell)
    if lock:
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (recorded_by).
        entries = entries.select_for_update(of=("self",))
    return entries.select_related("recorded_by").first()


@transaction.atomic
def score_entry_create(
    *,
    trainee: Trainee,
    item: AssessmentItem,
    points,
    date: datetime.date,
    by,
    reason: str = "",
    source: str = Source.MANUAL,
    source_key: str = "",
    occasion: str = "",
    seen_version: int | None = 0,
) -> ScoreEntry:
    """Write the cell of (trainee, item, date): a grade for its period, or a day's entry on a
    deduction or bonus item (assessment/cells.py).

    `seen_version` is what the writer saw in that cell: 0 for an empty cell, or the version of
    the entry shown. If the cell holds something else now, nothing is written and the refusal
    names who wrote it and when. The system's own writes (a contest's or a submission's grade)
    pass None: the cell is theirs to set, so an existing grade is edited, kept in the history.
    An edit keeps the cell's date, so a corrected grade never leaves a month it counted in."""
    points = parse_points(points)
    reason = _clean_reason(reason, required=item.kind != Kind.GRADED)
    _check_recorder(by, item, trainee)
    cell = item_cell_key(item, date, source=source, occasion=occasion)
    # Lock the trainee row: writes to one trainee's cells, and awards that each fit under a
    # bonus cap alone, go one after another. NO KEY: an entry's foreign-key check takes a key
    # share on this row, and a full lock here would deadlock with a grid inserting for it.
    Trainee.objects.select_for_update(no_key=True).filter(pk=trainee.pk).first()
    existing = _cell_entry(trainee, item, cell, lock=True) if cell else None
    if existing is None and seen_version:
        raise StaleEntryError(
            None, message=deleted_message(trainee_id=trainee.pk, item_id=item.pk, cell=cell)
        )
    over = {
        "points": points,
        "date": date,
        "reason": reason,
        "by": by,
        "source": source,
        "source_key": source_key,
        "seen_version": seen_version,
    }
    if existing is not None:
        return _write_over(existing, **over)
    validate_entry(trainee=trainee, item=item, points=points, date=date)
    entry = ScoreEntry(
        trainee=trainee,
        item=item,
        points=points,
        date=date,
        reason=reason,
        recorded_by=by,
        source=source,
        source_key=source_key,
        cell=cell,
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            _save(entry, by=by, reason=reason or _("录入"))
    except IntegrityError:
        # Another writer filled the empty cell a moment ago (a grid without the trainee lock):
        # the database kept one entry; this write is told, or for the system, edits it.
        existing = _cell_entry(trainee, item, cell, lock=True)
        if existing is None:
            raise
        return _write_over(existing, **over)
    return entry


def _write_over(
    existing: ScoreEntry,
    *,
    points,
    date: datetime.date,
    reason: str,
    by,
    source: str,
    source_key: str,
    seen_version,
) -> ScoreEntry:
    if seen_version is not None and existing.version != seen_version:
        raise StaleEntryError(
            existing, message=stale_message(existing, seen_empty=not seen_version)
        )
    if by is not None and existing.source in AUTOMATIC_SOURCES and source not in AUTOMATIC_SOURCES:
        raise ValidationError(automatic_message(existing))
    takes_over = source in AUTOMATIC_SOURCES or existing.source not in AUTOMATIC_SOURCES
    extra = {"source": source, "source_key": source_key} if takes_over else {}
    return _apply_update(
        existing,
        points=points,
        # A contest's grade is dated by its contest; any other edit keeps the cell's date.
        date=date if source == Source.CONTEST else existing.date,
        reason=reason or _("重新评分"),
        by=by,
        **extra,
    )


def _apply_update(
    entry: ScoreEntry, *, points: Decimal, date: datetime.date, reason: str, by, **extra
) -> ScoreEntry:
    validate_entry(
        trainee=entry.trainee, item=entry.item, points=points, date=date, exclude_pk=entry.pk
    )
    entry.points = points
    entry.date = date
    entry.reason = reason
    if by is not None:
        entry.recorded_by = by
    for name, value in extra.items():
        setattr(entry, name, value)
    if entry.cell:
        occasion = entry.source_key if entry.source == Source.CONTEST else ""
        entry.cell = item_cell_key(entry.item, date, source=entry.source, occasion=occasion)
    entry.version += 1
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            _save(entry, by=by, reason=reason)
    except IntegrityError:
        raise ValidationError(
            _("%(period)s 已有“%(item)s”的记录，不能改到该日期；请修改那条记录。")
            % {"period": period_label(entry.item, date), "item": entry.item.name}
        ) from None
    return entry


def _locked(entry: ScoreEntry, version: int | None) -> ScoreEntry:
    current = (
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (recorded_by).
        ScoreEntry.objects.select_for_update(of=("self",))
        .select_related("item", "item__scheme", "trainee", "recorded_by")
        .get(pk=entry.pk)
    )
    if version is not None and current.version != version:
        raise StaleEntryError(current)
    return current


@transaction.atomic
def score_entry_update(
    *, entry: ScoreEntry, points, date: datetime.date, by, reason: str, version: int | None
) -> ScoreEntry:
    """Edit an entry opened at `version`; refused with the current value if it changed since.
    `version=None` is for the system's own recomputations only."""
    points = parse_points(points)
    reason = _clean_reason(reason, required=True)
    current = _locked(entry, version)
    if by is not None and current.source in AUTOMATIC_SOURCES:
        raise ValidationError(automatic_message(current))
    _check_recorder_for_edit(by, current)
    return _apply_update(current, points=points, date=date, reason=reason, by=by)


def _check_recorder_for_edit(by, entry: ScoreEntry) -> None:
    from ..access import can_edit_every_entry

    if by is None or can_edit_every_entry(by):
        return
    _check_recorder(by, entry.item, entry.trainee)


@transaction.atomic
def score_entry_delete(*, entry: ScoreEntry, by, reason: str, version: int | None) -> None:
    """Delete an entry; the history keeps it, with who deleted it and why."""
    reason = _clean_reason(reason, required=True)
    current = _locked(entry, version)
    if by is not None and current.source in AUTOMATIC_SOURCES:
        raise ValidationError(automatic_message(current))
    _check_recorder_for_edit(by, current)
    current._history_user = by
    current._change_reason = reason
    current.delete()
    camp_changed(camp_id=current.trainee.camp_id, trainee_ids=[current.trainee_id])
