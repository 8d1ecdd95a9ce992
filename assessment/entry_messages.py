"""The refusals of a write over a cell the writer did not see: they name who changed the cell,
to what and when, so the writer can talk to that colleague instead of guessing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ScoreEntry


class StaleEntryError(ValidationError):
    """The writer did not see what the cell holds now: someone saved, filled or cleared it since
    the page was opened. `current` is the entry as it is now (None when it was deleted)."""

    def __init__(self, current: ScoreEntry | None, *, message: str | None = None):
        super().__init__(message or stale_message(current))
        self.current = current


def _who(user) -> str:
    return user.display_name if user is not None else _("系统")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def stale_message(current: ScoreEntry | None, *, seen_empty: bool = False) -> str:
    """What changed behind the writer's back, naming who and when."""
    if current is None:
        return _("该记录已被他人删除，您的修改未保存，请刷新后核对。")
    facts = {
        "who": _who(current.recorded_by),
        "when": _when(current.updated_at),
        "points": current.points,
        "reason": current.reason or "—",
    }
    if seen_empty:
        return (
            _(
                "该单元格已有记录：%(who)s 于 %(when)s 录入 %(points)s 分（事由：%(reason)s）。"
                "您的录入未保存；如确需修改，请核对后再次提交，将修改这条记录。"
            )
            % facts
        )
    return (
        _(
            "该记录已被他人修改：%(who)s 于 %(when)s 保存为 %(points)s 分（事由：%(reason)s）。"
            "您的修改未保存，请核对当前值后重新提交。"
        )
        % facts
    )


def deleted_message(*, trainee_id: int, item_id: int, cell: str) -> str:
    """Who cleared a cell the writer saw filled, from the history."""
    record = (
        ScoreEntry.history.filter(
            trainee_id=trainee_id, item_id=item_id, cell=cell, history_type="-"
        )
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if record is None:
        return stale_message(None)
    return _("该单元格已被 %(who)s 于 %(when)s 清除，您的录入未保存，请刷新后核对。") % {
        "who": _who(record.history_user),
        "when": _when(record.history_date),
    }


def automatic_message(entry: ScoreEntry) -> str:
    return _("该单元格由%(source)s自动生成（%(points)s 分），只能在其来源处修改。") % {
        "source": entry.get_source_display(),
        "points": entry.points,
    }
