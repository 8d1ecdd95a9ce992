"""The daily schedule (`send_reminders`): each kind is contributed by the app that knows the
work, from its AppConfig.ready(), since camp cannot import them:

    register_reminder("leave_waiting", lambda camp, today: [Due(user, title, body, url), ...])

A kind nobody registered makes no reminders but is still reported, so the command's output
always has one line per kind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .models import Kind
from .services import reminder_record

# The order of the command's lines; the contract names exactly these.
REMINDER_KINDS = (
    Kind.TRAINING_DAY_TOMORROW,
    Kind.REVIEW_DUE,
    Kind.ROLL_CALL_OPEN,
    Kind.LEAVE_WAITING,
)


# Also made each day, but not among the command's lines (the contract names the four above).
EXTRA_KINDS = (Kind.LEAVE_TO_CLOSE,)


@dataclass(frozen=True)
class Due:
    user: object
    title: str
    body: str = ""
    url: str = ""


REMINDER_SOURCES: dict[str, list[Callable]] = {}


def register_reminder(kind: str, source: Callable) -> None:
    sources = REMINDER_SOURCES.setdefault(str(kind), [])
    if source not in sources:
        sources.append(source)


def reminders_send(*, camps, today: datetime.date) -> dict[str, int]:
    """Every kind's reminders for `today` in these camps: {kind: how many were made now}, for
    the four contract kinds (the extra kinds are made too, and not counted). A reminder
    already made for (user, kind, today) is not made again."""
    made = {str(kind): 0 for kind in (*REMINDER_KINDS, *EXTRA_KINDS)}
    for kind in (*REMINDER_KINDS, *EXTRA_KINDS):
        for camp in camps:
            for source in REMINDER_SOURCES.get(str(kind), ()):
                for due in source(camp, today) or ():
                    if reminder_record(
                        user=due.user,
                        kind=kind,
                        date=today,
                        title=due.title,
                        body=due.body,
                        url=due.url,
                    ):
                        made[str(kind)] += 1
    return {str(kind): made[str(kind)] for kind in REMINDER_KINDS}
