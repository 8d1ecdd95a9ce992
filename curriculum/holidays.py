"""What China's official calendar says about a Saturday.

The `chinesecalendar` package knows a year only once the State Council has published its
holidays; for other years it raises NotImplementedError, and we say "unknown" rather than
guess. Staff-entered `CalendarArrangement`s add to the package and take precedence over it, for
their own dates only: one entry tells nothing about the other dates of its year.

The package calls every ordinary weekend a "holiday" too: a Saturday is lost only when the
package names a holiday for it (法定节假日) or says it is a working day (调休上班).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.utils.translation import gettext as _

from curriculum.models import ArrangementKind, CalendarArrangement, DayVerification

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class OfficialDay:
    """`kind` is "holiday", "workday" or "" (an ordinary day); `known` is False for a date no
    data covers; `source` is what it rests on (a `DayVerification`)."""

    date: datetime.date
    known: bool
    kind: str = ""
    name: str = ""
    source: str = DayVerification.UNVERIFIED

    @property
    def lost(self) -> bool:
        return self.known and self.kind in (ArrangementKind.HOLIDAY, ArrangementKind.WORKDAY)

    @property
    def free(self) -> bool:
        return not self.lost

    @property
    def check(self) -> str:
        """A fingerprint of the data, compared on re-planning to notice a change."""
        if not self.known:
            return "unknown"
        return f"{self.kind or 'ordinary'}:{self.name}" if self.kind else "ordinary"

    def describe(self) -> str:
        if not self.known:
            return _("未核验")
        if self.kind == ArrangementKind.HOLIDAY:
            return _("%(name)s法定节假日") % {"name": self.name}
        if self.kind == ArrangementKind.WORKDAY:
            return _("%(name)s调休上班") % {"name": self.name}
        return _("正常周末")


class OfficialCalendar:
    """Looks dates up in the staff's arrangements, then the package. Loads the arrangements of
    the span once, so planning a year costs one query."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.arrangements = {
            a.date: a
            for a in CalendarArrangement.objects.filter(
                date__year__gte=start.year, date__year__lte=end.year
            )
        }

    def day(self, date: datetime.date) -> OfficialDay:
        entry = self.arrangements.get(date)
        if entry is not None:
            return OfficialDay(
                date=date,
                known=True,
                kind=entry.kind,
                name=entry.name,
                source=DayVerification.ARRANGEMENT,
            )
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(date)
            workday = chinese_calendar.is_workday(date)
        except NotImplementedError:
            return OfficialDay(date=date, known=False)
        label = HOLIDAY_NAMES.get(name, name or "")
        data = DayVerification.CALENDAR_DATA
        if date.weekday() >= 5 and workday:
            return OfficialDay(
                date=date, known=True, kind=ArrangementKind.WORKDAY, name=label, source=data
            )
        if on_holiday and name:
            return OfficialDay(
                date=date, known=True, kind=ArrangementKind.HOLIDAY, name=label, source=data
            )
        return OfficialDay(date=date, known=True, source=data)


def verification_of(*days: OfficialDay) -> str:
    """What a day resting on all of these dates rests on: unverified if any is unknown, an
    entered arrangement if any needed one, else the holiday data."""
    sources = {day.source for day in days}
    for source in (DayVerification.UNVERIFIED, DayVerification.ARRANGEMENT):
        if source in sources:
            return source
    return DayVerification.CALENDAR_DATA
