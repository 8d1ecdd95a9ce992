"""The rotating check-in code (签到码) shown on a session's projector page (issue 16 §4).

The code is derived, never stored: an HMAC of the session's secret and the number of the 30-s
window the clock is in, cut to six digits. The session's secret is itself derived from the
server's SECRET_KEY and the session, so nothing is written per window and no two sessions share
codes. A code is accepted in its own window and the next one (30 s of grace for the trainee who
scanned just before it changed); a code from an earlier window is "expired", which the trainee
is told in words, so a forwarded photo of the screen stops working within a minute.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import Session

WINDOW_SECONDS = 30
DIGITS = 6
# How far back a code is still recognised as an old one (to say "expired" rather than "wrong").
RECOGNISED_WINDOWS = 20


def window_of(now: datetime.datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


def window_end(window: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, tz=datetime.UTC)


def _session_secret(session_pk: int) -> bytes:
    return salted_hmac("curriculum.check_in_codes.session", str(session_pk)).digest()


def code_for(session_pk: int, window: int) -> str:
    digest = hmac.new(_session_secret(session_pk), str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**DIGITS:0{DIGITS}d}"


def current_code(session_pk: int, now: datetime.datetime | None = None) -> tuple[str, int]:
    """The code to show now, and the seconds until it changes."""
    now = now or timezone.now()
    window = window_of(now)
    left = max(1, int((window_end(window) - now).total_seconds()))
    return code_for(session_pk, window), left


def code_state(session_pk: int, code: str, now: datetime.datetime | None = None) -> str:
    """ "valid" (this window's or the previous one's), "expired" (an older one's), or "wrong"."""
    code = "".join((code or "").split())
    if not code:
        return "wrong"
    window = window_of(now or timezone.now())
    for back in range(RECOGNISED_WINDOWS + 1):
        if hmac.compare_digest(code, code_for(session_pk, window - back)):
            return "valid" if back <= 1 else "expired"
    return "wrong"


def code_now(session) -> str:
    """The code the session's projector shows at this moment."""
    return current_code(session.pk)[0]


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
