"""What the annual report to the 市委 is made of (oversight/annual_report.py fills it): sections
of paragraphs, tables and charts, and how a figure, a rate and a date are written in it. The Word
document and the print page both render these."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from camp.models import Camp


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None


@dataclass
class Chart:
    title: str
    png: bytes

    @property
    def data_uri(self) -> str:
        """The image inline in the page (the CSP allows data: images; nothing else is fetched)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    blocks: list[Table | Chart] = field(default_factory=list)


@dataclass
class AnnualReport:
    camp: Camp
    day: datetime.date
    graduated: bool
    title: str
    addressee: str
    opening: str
    sections: list[Section]
    issuer: str
    issued_on: datetime.date

    def blocks(self, kind: type) -> list:
        """Every chart (`Chart`) or table (`Table`) of the report, in order."""
        return [
            block
            for section in self.sections
            for block in section.blocks
            if isinstance(block, kind)
        ]


def figure(value) -> str:
    """A figure as the report prints it: "—" when there is none."""
    return "—" if value is None else str(value)


def percent(value) -> str:
    return "—" if value is None else f"{value}%"


def long_date(day: datetime.date) -> str:
    """A date as official documents write it: 2026年12月31日."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}
