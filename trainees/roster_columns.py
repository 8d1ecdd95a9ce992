"""Columns that higher apps add to the roster page and the roster workbook (e.g. curriculum's
学时). trainees cannot import them, so each registers from its AppConfig.ready():

    register_roster_columns(RosterColumns(headers=[...], values=lambda trainees, day: {...}))

`values` gets a queryset of the trainees shown and the day the figures are as of, and returns
each trainee's cells by pk, in one query, so a page or workbook costs the same for any number
of trainees."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class RosterColumns:
    headers: Sequence[str]
    values: Callable[[QuerySet, datetime.date], dict[int, Sequence[object]]]
    width: int = 10


ROSTER_COLUMNS: list[RosterColumns] = []


def register_roster_columns(columns: RosterColumns) -> None:
    if columns not in ROSTER_COLUMNS:
        ROSTER_COLUMNS.append(columns)


def roster_extra_headers() -> list[str]:
    return [str(header) for columns in ROSTER_COLUMNS for header in columns.headers]


def roster_extra_cells(trainees: QuerySet, day: datetime.date) -> dict[int, list[object]]:
    """Each trainee's extra cells by pk, in the headers' order (empty cells where a provider
    has none for them)."""
    answers = [(columns, columns.values(trainees, day)) for columns in ROSTER_COLUMNS]
    pks = {pk for _columns, values in answers for pk in values}
    return {
        pk: [
            cell
            for columns, values in answers
            for cell in (values.get(pk) or [None] * len(columns.headers))
        ]
        for pk in pks
    }
