"""A camp's training slots: the 2nd and 4th Saturdays of each of its twelve months (24 dates),
and every Saturday of its span. Pure date arithmetic; the calendar's writes are
services/calendar.py's."""

from __future__ import annotations

import datetime

from camp.models import Camp
from camp.months import camp_months

SATURDAY = 5


def saturdays_of(year: int, month: int) -> list[datetime.date]:
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(SATURDAY - first.weekday()) % 7)
    found = []
    while day.month == month:
        found.append(day)
        day += datetime.timedelta(days=7)
    return found


def _year_months(camp: Camp) -> list[tuple[int, int]]:
    return [(month.year, month.month) for month in camp_months(camp)]


def slot_dates(camp: Camp) -> list[datetime.date]:
    """The 2nd and 4th Saturday of each of the camp's twelve months: 24 dates."""
    slots = []
    for year, month in _year_months(camp):
        saturdays = saturdays_of(year, month)
        slots += [saturdays[1], saturdays[3]]
    return slots


def span_saturdays(camp: Camp) -> list[datetime.date]:
    return [d for year, month in _year_months(camp) for d in saturdays_of(year, month)]
