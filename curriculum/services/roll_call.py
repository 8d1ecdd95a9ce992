"""点名 (roll call): closing a roll call, which locks its attendance (issue 16 §4). The rotating
code's check is curriculum/check_in_codes.py's; the reason a later change needs,
curriculum/roll_call_lock.py's; whether a roll call is closed,
curriculum/roll_call_selectors.py's."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from curriculum.models import RollCall, Session

from ..roll_call_selectors import roll_call_closed


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
