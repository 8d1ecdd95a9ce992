"""The lock of a closed roll call: once a session's roll call is closed, a change to its
attendance needs a reason, kept in the change's history (issue 16 §4)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Session
from .roll_call_selectors import roll_call_closed

REASON_MAX_LENGTH = 100  # simple_history's history_change_reason holds 100 characters


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
