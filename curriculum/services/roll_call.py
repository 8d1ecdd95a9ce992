"""点名 (roll call): the rotating code's check, closing a roll call, and the rule that a change
to a closed roll call's attendance needs a reason (issue 16 §4)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from curriculum.check_in_codes import code_state
from curriculum.models import RollCall, Session

REASON_MAX_LENGTH = 100  # simple_history's history_change_reason holds 100 characters


def roll_call_closed(session: Session) -> RollCall | None:
    """The session's closed roll call, or None while it is open."""
    return RollCall.objects.filter(session=session).select_related("closed_by").first()


def check_in_code_verify(*, session: Session, code: str, now: datetime.datetime) -> None:
    """Refuses a code that is not the projector's current (or just previous) one, saying
    whether it is old (a forwarded photo or link) or simply wrong."""
    state = code_state(session.pk, code, now)
    if state == "expired":
        raise ValidationError(
            _(
                "签到码已过期：现场签到码每30秒更新一次，转发或截图的旧签到码无效。"
                "请扫描大屏上最新的二维码，或输入大屏上的6位数字。"
            )
        )
    if state != "valid":
        raise ValidationError(_("签到码不正确，请核对大屏上的6位数字后重试。"))


def change_after_roll_call_reason(session: Session, reason: str) -> str:
    """The reason to keep with a change to the session's attendance: required (and returned
    cleaned) once the roll call is closed; before that an empty reason is fine."""
    reason = (reason or "").strip()
    if roll_call_closed(session) is None:
        return reason
    if not reason:
        raise ValidationError(
            _("本节课已结束点名，考勤已锁定。修改考勤须填写原因，原因会记入修改历史。")
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(_("修改原因最多%(n)d个字，请精简后重试。") % {"n": REASON_MAX_LENGTH})
    return reason


@transaction.atomic
def roll_call_close(*, session: Session, by, now: datetime.datetime | None = None) -> RollCall:
    """Close the session's roll call, locking its attendance. Only once the session has
    started; closing twice is refused with who closed it."""
    now = now or timezone.now()
    if now < session.starts_at:
        raise ValidationError(_("课程尚未开始，不能结束点名。"))
    existing = roll_call_closed(session)
    if existing is not None:
        raise ValidationError(
            _("本节课的点名已由%(who)s于%(when)s结束。")
            % {
                "who": existing.closed_by.display_name,
                "when": timezone.localtime(existing.closed_at).strftime("%m-%d %H:%M"),
            }
        )
    roll_call = RollCall(session=session, closed_at=now, closed_by=by)
    roll_call.full_clean(exclude=["session"])
    roll_call._history_user = by
    try:
        with transaction.atomic():
            roll_call.save()
    except IntegrityError as error:  # two staff closing at once: the one-to-one decides
        raise ValidationError(_("本节课的点名刚刚已被结束，请刷新页面。")) from error
    return roll_call
