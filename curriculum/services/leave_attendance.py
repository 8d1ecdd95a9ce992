"""What a late leave decision does to attendance already recorded.

- A refusal after the session turns the sessions it covered, missed and held by now, into
  unexcused absences (旷课), noted "leave refused after the session".
- An approval after the roll call replaces an absence mark with the leave, noted "leave
  decided after roll call"; the earlier mark stays in the attendance history.
Which sessions a leave covers is `curriculum.leave_coverage`'s to say; what counts as attended is
`curriculum.rate_selectors.ATTENDED`.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_noop

from curriculum.leave_coverage import leave_coverage
from curriculum.models import Attendance, AttendanceSource, AttendanceStatus, LeaveRequest
from curriculum.rate_selectors import ATTENDED

from .attendance import save_attendance_rows

# Stored as the source text (like the jobs' errors): notes are data, read in the site language.
DECIDED_AFTER_ROLL_CALL = gettext_noop("请假在点名后审批")
REFUSED_AFTER_SESSION = gettext_noop("请假在课后未获批准")


def _held(session, now) -> bool:
    end = timezone.make_aware(timezone.datetime.combine(session.date, session.end_time))
    return end <= now


def leave_refused_mark_absences(*, leave: LeaveRequest, by) -> list[int]:
    """The held sessions a refused leave covered and the trainee missed become absences.
    Returns the sessions' ids."""
    now = timezone.now()
    sessions = [s for s in leave_coverage([leave])[leave.pk] if _held(s, now)]
    if not sessions:
        return []
    existing = {
        row.session_id: row
        for row in Attendance.objects.filter(trainee=leave.trainee, session__in=sessions)
    }
    to_create, to_update = [], []
    for session in sessions:
        row = existing.get(session.pk)
        if row is not None and (row.status in ATTENDED or row.status == AttendanceStatus.ABSENT):
            continue  # came after all, or already marked absent
        if row is None:
            row = Attendance(session=session, trainee=leave.trainee)
            to_create.append(row)
        else:
            to_update.append(row)
        row.status = AttendanceStatus.ABSENT
        row.source = AttendanceSource.LEAVE
        row.leave = leave
        row.note = REFUSED_AFTER_SESSION
        row.recorded_by = by
        row.recorded_at = now
    save_attendance_rows(to_create, to_update, by=by)
    return [s.pk for s in sessions]
