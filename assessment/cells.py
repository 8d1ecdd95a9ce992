"""Cells and periods (assessment-scheme.md, "Cells and periods"): the one home of the rule.

A cell is what one trainee holds on one item for one period. Its key is stored on the entry
(`ScoreEntry.cell`) and a unique constraint on (trainee, item, cell) makes the database refuse
a second entry for a cell, whichever path tries to write it and however many write at once.

- A graded item has one grade per period. The period comes from the item's frequency and the
  entry's date: a training day, an ISO week, a calendar month, an event (the contest the grade
  belongs to, or the date where there is no such occasion) or the whole camp ("once").
- A deduction or bonus item entered by hand has one entry per date: the day's total. A bonus or
  deduction whose frequency is "once" has one entry for the whole camp.
- Automatic deductions (attendance, leave) have no cell: they are keyed by their origin
  (`source_key`) and change only there.

Every writer, the services, the demo and the bench, computes the key here.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from .models.entries import Source
from .models.scheme import Frequency, Kind

# Entries keyed by their origin instead of a cell: many per day (one per session).
UNCELLED_SOURCES = (Source.ATTENDANCE,)


def period_key(frequency: str, day: datetime.date) -> str:
    """The period of a graded item that contains `day`."""
    if frequency == Frequency.ONCE:
        return "once"
    if frequency == Frequency.MONTHLY:
        return f"month:{day:%Y-%m}"
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"week:{year}-W{week:02d}"
    if frequency == Frequency.PER_EVENT:
        return f"event:{day.isoformat()}"
    return f"day:{day.isoformat()}"


def cell_key(
    *, kind: str, frequency: str, day: datetime.date, source: str = Source.MANUAL, occasion=""
) -> str:
    """The cell an entry writes, or "" for an automatic deduction keyed by its origin.
    `occasion` names the event a grade belongs to when there is one (e.g. "contest:7")."""
    if source in UNCELLED_SOURCES:
        return ""
    if kind == Kind.GRADED:
        if occasion and frequency == Frequency.PER_EVENT:
            return f"event:{occasion}"
        return period_key(frequency, day)
    if frequency == Frequency.ONCE:
        return "once"
    return f"day:{day.isoformat()}"


def item_cell_key(item, day: datetime.date, *, source: str = Source.MANUAL, occasion="") -> str:
    return cell_key(
        kind=item.kind, frequency=item.frequency, day=day, source=source, occasion=occasion
    )


def period_label(item, day: datetime.date) -> str:
    """The period a grid or a message speaks of, in words."""
    key = item_cell_key(item, day)
    if key == "once":
        return _("全程（仅一次）")
    if key.startswith("month:"):
        return _("%(y)d年%(m)d月") % {"y": day.year, "m": day.month}
    if key.startswith("week:"):
        monday = day - datetime.timedelta(days=day.weekday())
        return _("%(start)s 当周") % {"start": monday.isoformat()}
    return day.isoformat()


def period_start(item, day: datetime.date) -> datetime.date:
    """The date a grid writes for a period: the month's first day for a monthly graded item
    (so its grade counts from the month's start), the week's Monday for a weekly graded one,
    otherwise the day itself. A once-only grid keeps the day it is opened for."""
    if item.kind == Kind.GRADED and item.frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if item.kind == Kind.GRADED and item.frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    return day
