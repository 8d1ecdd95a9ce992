"""Months of a camp: the monthly summary, its workbooks and its pages all count in months
("2026-03"), always the month's first day, and only within the camp's training time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from camp.models import Camp


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def previous_month(month: datetime.date) -> datetime.date:
    return first_of_month(month.replace(day=1) - datetime.timedelta(days=1))


def parse_month(value) -> datetime.date:
    """'2026-03' (or a date) → the month's first day; bad input is a Chinese ValidationError."""
    if isinstance(value, datetime.date):
        return first_of_month(value)
    try:
        return datetime.datetime.strptime(str(value).strip()[:7], "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        raise ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。")) from None


def camp_months(camp: Camp, up_to: datetime.date | None = None) -> list[datetime.date]:
    """The camp's months from its start, up to the month of `up_to` (default: its end)."""
    last = first_of_month(min(up_to or camp.end_date, camp.end_date))
    months, month = [], camp.start_date
    while month <= last:
        months.append(month)
        month = first_of_month(month_end(month) + datetime.timedelta(days=1))
    return months


def validate_month(camp: Camp, month: datetime.date) -> None:
    if not camp.start_date <= month <= camp.end_date:
        raise ValidationError(
            _("%(month)s 不在本期培训时间内（%(start)s 至 %(end)s），请重新选择月份。")
            % {
                "month": f"{month:%Y-%m}",
                "start": f"{camp.start_date:%Y-%m}",
                "end": f"{camp.end_date:%Y-%m}",
            }
        )
