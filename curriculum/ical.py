"""A trainee's sessions as an iCalendar feed, built with the `icalendar` library."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from trainees.models import Trainee

from .selectors import trainee_sessions


def trainee_calendar(trainee: Trainee, *, host: str) -> bytes:
    """Every session of the trainee's year. UIDs stay stable, so a calendar app updates a moved
    session in place; a changed one says what changed."""
    calendar = Calendar()
    calendar.add("prodid", "-//Huzhou Party School//Nantaihu Camp//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{trainee.camp.name} · {trainee.person.name}")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    now = timezone.now()
    for session in trainee_sessions(trainee).order_by("date", "start_time"):
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        summary = session.title
        if session.is_changed:
            summary = f"【已变更】{summary}"
        event.add("summary", summary)
        event.add("location", session.location or session.place)
        lines = [session.get_classroom_display()]
        teachers = "、".join(i.name for i in session.instructors.all())
        if teachers:
            lines.append(f"授课：{teachers}")
        if session.assembly_time:
            lines.append(f"集合：{session.assembly_time:%H:%M} {session.assembly_place}".strip())
        if session.is_changed:
            lines.append(f"变更：{session.change_note}")
        event.add("description", "\n".join(lines))
        if session.changed_at:
            event.add("last-modified", session.changed_at)
        calendar.add_component(event)
    # Events carry TZID=Asia/Shanghai; the VTIMEZONE lets every calendar app resolve it.
    calendar.add_missing_timezones()
    return calendar.to_ical()
