"""Months, the one home of the camp's month arithmetic.

The camp counts in months: a month is its first day (`datetime.date(2026, 3, 1)`), written
"2026-03" in URLs, forms and export parameters. The monthly summary, the workbooks, the
attendance pages and the calendar all ask here; a camp's months are the twelve from its start.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH_FORMAT = re.compile(r"\d{4}-\d{2}")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after the one `month` is in."""
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def previous_month(month: datetime.date) -> datetime.date:
    return first_of_month(month.replace(day=1) - datetime.timedelta(days=1))


def parse_month(value) -> datetime.date:
    """'2026-03' (or a date) → the month's first day; anything else, empty included, is a
    Chinese ValidationError."""
    if isinstance(value, datetime.date):
        return first_of_month(value)
    text = str(value or "").strip()
    if MONTH_FORMAT.fullmatch(text):
        year, month = (int(part) for part in text.split("-"))
        if 1 <= month <= 12:
            return datetime.date(year, month, 1)
    raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。"))


def parse_optional_month(value) -> datetime.date | None:
    """As `parse_month`, but None or "" (no month asked for) is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_month(value)


def camp_months(camp, up_to: datetime.date | None = None) -> list[datetime.date]:
    """The camp's months from its start, up to the month of `up_to` (default: its end)."""
    last = first_of_month(min(up_to or camp.end_date, camp.end_date))
    months, month = [], camp.start_date
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def validate_month(camp, month: datetime.date) -> None:
    if not camp.start_date <= month <= camp.end_date:
        raise ValidationError(
            _("%(month)s 不在本期培训时间内（%(start)s 至 %(end)s），请重新选择月份。")
            % {
                "month": f"{month:%Y-%m}",
                "start": f"{camp.start_date:%Y-%m}",
                "end": f"{camp.end_date:%Y-%m}",
            }
        )


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes the 28th in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
