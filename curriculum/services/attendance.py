"""Attendance: staff record a whole group or class in one go, trainees check in by scanning the
code shown at the venue. Every write keeps history (bulk writes through simple-history)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from curriculum.models import Attendance, AttendanceSource, AttendanceStatus, Session
from trainees.models import Trainee

from ..check_in_codes import check_in_code_verify
from ..roll_call_lock import change_after_roll_call_reason
from ..roll_call_selectors import roll_call_closed

# Apps that derive something from attendance and leave (the assessment's deductions) register
# here a callable `hook(*, camp, trainee_ids=None, by=None)`; curriculum cannot import them.
# Hooks run after the writing transaction commits; trainee_ids=None means the whole camp.
ATTENDANCE_CHANGED_HOOKS: list[Callable] = []

CHECK_IN_SALT = "curriculum.check_in"
# The venue code opens this long before the session starts, so trainees can sign in on arrival.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=30)
# Signing in this long after the start still counts as on time.
LATE_AFTER = datetime.timedelta(minutes=5)


def attendance_changed(*, camp, trainee_ids: Iterable[int] | None = None, by=None) -> None:
    """Tell the registered hooks, once the current transaction has committed."""
    ids = None if trainee_ids is None else sorted(set(trainee_ids))
    for hook in list(ATTENDANCE_CHANGED_HOOKS):
        transaction.on_commit(
            lambda hook=hook: hook(camp=camp, trainee_ids=ids, by=by), robust=True
        )


def save_attendance_rows(to_create: list, to_update: list, *, by, reason: str = "") -> None:
    """Write new and changed attendance rows in a statement each, with their history (the
    assessment audits them) and its change reason. Callers have set every written field."""
    if to_create:
        bulk_create_with_history(
            to_create, Attendance, default_user=by, default_change_reason=reason or None
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            Attendance,
            ["status", "source", "recorded_by", "recorded_at", "leave", "note"],
            default_user=by,
            default_change_reason=reason or None,
        )


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    marks: dict[int, str],
    by,
    source: str = AttendanceSource.STAFF,
    reason: str = "",
) -> tuple[int, int]:
    """Record many trainees' attendance at one session at once. `marks` maps trainee pk to a
    status; an empty status leaves that trainee as they were. Returns (created, updated).
    After the roll call is closed a change needs a `reason`, kept in the history."""
    valid = set(AttendanceStatus.values)
    marks = {int(pk): status for pk, status in marks.items() if status}
    bad = {status for status in marks.values() if status not in valid}
    if bad:
        raise ValidationError(_("考勤状态无效：%(bad)s。") % {"bad": "、".join(sorted(bad))})
    trainees = Trainee.objects.filter(camp_id=session.camp_id, pk__in=marks.keys())
    if session.group_id is not None:
        # Those in the group on the session's date (the dated membership).
        trainees = trainees.with_group_on(session.date).filter(group_on=session.group_id)
    allowed = set(trainees.values_list("pk", flat=True))
    if set(marks) - allowed:
        raise ValidationError(_("名单中有不属于本课程的学员，请刷新页面后重试。"))
    existing = {a.trainee_id: a for a in Attendance.objects.filter(session=session)}
    now = timezone.now()
    to_create, to_update = [], []
    for trainee_id, status in marks.items():
        row = existing.get(trainee_id)
        if row is None:
            to_create.append(
                Attendance(
                    session=session,
                    trainee_id=trainee_id,
                    status=status,
                    source=source,
                    recorded_by=by,
                    recorded_at=now,
                )
            )
        elif row.status != status:
            row.status = status
            row.source = source
            row.recorded_by = by
            row.recorded_at = now
            if status != AttendanceStatus.ON_LEAVE:
                row.leave = None
            to_update.append(row)
    if to_create or to_update:
        reason = change_after_roll_call_reason(session, reason)
    save_attendance_rows(to_create, to_update, by=by, reason=reason)
    changed = [row.trainee_id for row in to_create + to_update]
    if changed:
        attendance_changed(camp=session.camp, trainee_ids=changed, by=by)
    return len(to_create), len(to_update)


def check_in_token(session: Session) -> str:
    """The signed code shown at the venue. It names the session only; the session's time window
    decides when it works, so a photo of it is useless the next day."""
    return signing.dumps({"session": session.pk}, salt=CHECK_IN_SALT)


def check_in_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def session_from_token(token: str) -> Session:
    try:
        data = signing.loads(token, salt=CHECK_IN_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("签到码无效，请重新扫描现场的二维码。")) from error
    session = Session.objects.select_related("camp").filter(pk=data.get("session")).first()
    if session is None:
        raise ValidationError(_("签到码对应的课程已不存在。"))
    return session


SIGNED_IN = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


def check_in_state(
    *, session: Session, trainee: Trainee, now: datetime.datetime | None = None
) -> dict:
    """What the check-in page may truthfully offer: `done` (with the attendance row, whose
    recorded_at is when it happened), `not_open` (with when it opens), `closed`, or `open`.
    A trainee already signed in is told so whatever the clock says."""
    now = now or timezone.now()
    row = Attendance.objects.filter(session=session, trainee=trainee, status__in=SIGNED_IN).first()
    opens, closes = check_in_window(session)
    if row is not None:
        return {"state": "done", "attendance": row, "opens": opens, "closes": closes}
    if now < opens:
        state = "not_open"
    elif now > closes or roll_call_closed(session):
        state = "closed"
    else:
        state = "open"
    return {"state": state, "attendance": None, "opens": opens, "closes": closes}


@transaction.atomic
def attendance_check_in(
    *, token: str, trainee: Trainee, code: str, now: datetime.datetime | None = None
) -> Attendance:
    """A trainee signs in by scanning the venue code, only within the session's window: from
    30 minutes before the start until the end, with the rotating code the projector shows now
    (`curriculum.check_in_codes`), and not once the roll call is closed. After the first 5
    minutes it counts as late."""
    session = session_from_token(token)
    now = now or timezone.now()
    opens, closes = check_in_window(session)
    if now < opens:
        raise ValidationError(
            _("签到尚未开始，请于%(time)s后再扫码。")
            % {"time": opens.strftime("%m-%d %H:%M")}  # the venue's clock, Asia/Shanghai
        )
    if now > closes:
        raise ValidationError(_("本节课已结束，签到已关闭。如有疑问请联系班级管理员。"))
    if trainee.camp_id != session.camp_id or (
        session.group_id is not None and trainee.group_id != session.group_id
    ):
        raise ValidationError(_("这节课不在您的课表中，无需签到。"))
    if roll_call_closed(session):
        raise ValidationError(_("本节课已结束点名，不能再扫码签到。如有疑问请联系班级管理员。"))
    check_in_code_verify(session=session, code=code, now=now)
    status = (
        AttendanceStatus.PRESENT if now <= session.starts_at + LATE_AFTER else AttendanceStatus.LATE
    )
    row = Attendance.objects.filter(session=session, trainee=trainee).first()
    if row is not None and row.status in SIGNED_IN:
        return row  # scanning twice changes nothing
    if row is None:
        row = Attendance(session=session, trainee=trainee)
    row.status = status
    row.source = AttendanceSource.CHECK_IN
    row.recorded_by = trainee.person.user
    row.leave = None
    row._history_user = trainee.person.user
    row.full_clean()
    row.save()
    attendance_changed(camp=session.camp, trainee_ids=[trainee.pk], by=trainee.person.user)
    return row
