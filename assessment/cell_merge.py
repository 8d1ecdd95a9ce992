"""Bring existing entries and submissions under the cell rule (migration 0004_fill_cells).

Before cells existed a period could hold two grades (a grid grade dated the 1st and a single
entry dated the 15th of the same month), and a day two hand-entered deductions. This fills
every row's cell and merges what the rule forbids:
- a graded cell keeps its latest grade (latest date, then latest write); the earlier ones are
  deleted, each with a history record saying why, so nothing is lost from the history;
- a hand-entered deduction or bonus keeps one entry for the day, holding the day's total
  (capped at the item's maximum) and every reason;
- a period's submissions keep the latest; its grade link moves to it when it had none.

It works on the models it is given, so the migration passes its historical models and the
tests the real ones. It returns the report the migration prints: one line per merged cell.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from .cells import cell_key, period_key

MERGE_REASON = "合并：同一单元格只保留一条记录（%s）"


def _history(historical, entry, *, kind: str, reason: str) -> None:
    values = {f.attname: getattr(entry, f.attname) for f in entry._meta.concrete_fields}
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type=kind,
        history_change_reason=reason,
        history_user_id=None,
    )


def fill_entry_cells(ScoreEntry, HistoricalScoreEntry, Submission) -> list[str]:
    report: list[str] = []
    entries = ScoreEntry.objects.select_related("item").order_by("pk")
    groups: dict[tuple, list] = defaultdict(list)
    stored: dict[int, str] = {}
    for entry in entries.iterator(chunk_size=2000):
        occasion = entry.source_key if entry.source == "contest" else ""
        stored[entry.pk] = entry.cell
        entry.cell = cell_key(
            kind=entry.item.kind,
            frequency=entry.item.frequency,
            day=entry.date,
            source=entry.source,
            occasion=occasion,
        )
        if entry.cell:
            groups[(entry.trainee_id, entry.item_id, entry.cell)].append(entry)
    keep_list = []
    for (trainee_id, _item_id, cell), members in groups.items():
        members.sort(key=lambda e: (e.date, e.updated_at, e.pk))
        kept, dropped = members[-1], members[:-1]
        if not dropped:
            # Written only where the cell is new: run again on filled rows, it writes nothing.
            if kept.cell != stored[kept.pk]:
                keep_list.append(kept)
            continue
        keep_list.append(kept)
        dropped_ids = ", ".join(str(e.pk) for e in dropped)
        item = kept.item
        if item.kind != "graded":
            total = sum((e.points for e in members), Decimal("0.0"))
            kept.points = min(total, item.max_points)
            kept.reason = "；".join(e.reason for e in members if e.reason)[:300]
            kept.version += 1
            _history(HistoricalScoreEntry, kept, kind="~", reason=MERGE_REASON % "当日合计")
        for entry in dropped:
            # The submission graded by a merged grade now points at the cell's grade.
            taken = Submission.objects.filter(score_entry_id=kept.pk).exists()
            Submission.objects.filter(score_entry_id=entry.pk).update(
                score_entry_id=None if taken else kept.pk
            )
            _history(HistoricalScoreEntry, entry, kind="-", reason=MERGE_REASON % "保留最新评分")
            entry.delete()
        report.append(
            f"trainee {trainee_id} item {item.number} cell {cell}: kept entry {kept.pk} "
            f"({kept.points}), merged {dropped_ids}"
        )
    ScoreEntry.objects.bulk_update(keep_list, ["cell", "points", "reason", "version"], 1000)
    return report


def fill_submission_cells(Submission, HistoricalSubmission) -> list[str]:
    report: list[str] = []
    groups: dict[tuple, list] = defaultdict(list)
    for submission in Submission.objects.select_related("item").order_by("pk"):
        day = submission.period or timezone.localdate(submission.submitted_at)
        submission.cell = period_key(submission.item.frequency, day)
        groups[(submission.trainee_id, submission.item_id, submission.cell)].append(submission)
    keep_list = []
    for (trainee_id, _item_id, cell), members in groups.items():
        members.sort(key=lambda s: (s.submitted_at, s.pk))
        kept, dropped = members[-1], members[:-1]
        keep_list.append(kept)
        dropped_ids = ", ".join(str(s.pk) for s in dropped)
        for submission in dropped:
            link = submission.score_entry_id
            values = {
                f.attname: getattr(submission, f.attname) for f in submission._meta.concrete_fields
            }
            HistoricalSubmission.objects.create(
                **values,
                history_date=timezone.now(),
                history_type="-",
                history_change_reason=MERGE_REASON % "同一周期只保留最新提交",
                history_user_id=None,
            )
            submission.delete()
            if kept.score_entry_id is None and link is not None:
                kept.score_entry_id = link
        if dropped:
            report.append(
                f"trainee {trainee_id} item {kept.item.number} submissions {cell}: kept "
                f"{kept.pk}, merged {dropped_ids}"
            )
    Submission.objects.bulk_update(keep_list, ["cell", "score_entry"], 1000)
    return report
