"""点名: staff close a session's roll call, which locks its attendance (issue 16 §4).

No row means the roll call is open. The check-in code needs no table: it is derived from the
session and the clock (`curriculum.check_in_codes`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sessions import Session


class RollCall(models.Model):
    """A session's closed roll call: who closed it and when. A change to the session's
    attendance after this needs a reason, kept in the attendance's history."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="roll_call", verbose_name=_("课程")
    )
    closed_at = models.DateTimeField(_("点名结束时间"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("结束点名的管理员"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("点名")
        verbose_name_plural = _("点名")

    def __str__(self) -> str:
        return f"{self.session} {self.closed_at:%Y-%m-%d %H:%M}"
