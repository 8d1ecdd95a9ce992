"""Fast entry's reads: the date a grid's entries carry, the group's members on that day, the entry
in each trainee's cell of the period (locked when the grid's save asks), and the grid as it
stands. The save is services/grid.py's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from trainees.models import StudyGroup, Trainee

from .access import AUTOMATIC_SOURCES
from .cells import item_cell_key, period_start
from .models import AssessmentItem, ScoreEntry, Source


def grid_day(item: AssessmentItem, day: datetime.date) -> datetime.date:
    """The date a grid's entries carry (assessment/cells.py `period_start`)."""
    return period_start(item, day)


@dataclass
class GridRow:
    trainee: Trainee
    entry: ScoreEntry | None
    value: str = ""
    version: int = 0
    errors: list[str] = field(default_factory=list)
    # Attendance deductions of the day on this item: shown beside the cell, never edited here.
    automatic: list[ScoreEntry] = field(default_factory=list)

    @property
    def read_only(self) -> bool:
        """A cell a submission or a contest graded: changed only at its origin."""
        return self.entry is not None and self.entry.source in AUTOMATIC_SOURCES


def grid_trainees(*, group: StudyGroup, day: datetime.date):
    """The group's members on that day: admitted by then, not withdrawn before it, and in the
    group that day (the dated membership: a grid of an earlier month lists those in the group
    then)."""
    return (
        Trainee.objects.filter(camp_id=group.camp_id)
        .members_of_group_on(group, day)
        .select_related("person", "camp")
        .order_by("person__name", "pk")
    )


def grid_cells(
    item: AssessmentItem, day: datetime.date, trainee_ids, *, lock: bool = False
) -> dict[int, ScoreEntry]:
    """The entry in each trainee's cell of this period."""
    entries = ScoreEntry.objects.filter(
        item=item, trainee_id__in=trainee_ids, cell=item_cell_key(item, day)
    )
    if lock:
        entries = entries.select_for_update(of=("self",))
    return {entry.trainee_id: entry for entry in entries.select_related("recorded_by")}


def grid_load(*, group: StudyGroup, item: AssessmentItem, day: datetime.date) -> list[GridRow]:
    """The grid as it stands: one row per member with what their cell holds, and the day's
    automatic deductions on this item."""
    day = grid_day(item, day)
    trainees = list(grid_trainees(group=group, day=day))
    ids = [t.pk for t in trainees]
    existing = grid_cells(item, day, ids)
    automatic: dict[int, list[ScoreEntry]] = {}
    for entry in ScoreEntry.objects.filter(
        item=item, trainee_id__in=ids, date=day, source=Source.ATTENDANCE
    ).order_by("pk"):
        automatic.setdefault(entry.trainee_id, []).append(entry)
    rows = []
    for trainee in trainees:
        entry = existing.get(trainee.pk)
        rows.append(
            GridRow(
                trainee=trainee,
                entry=entry,
                value="" if entry is None else str(entry.points),
                version=0 if entry is None else entry.version,
                automatic=automatic.get(trainee.pk, []),
            )
        )
    return rows
