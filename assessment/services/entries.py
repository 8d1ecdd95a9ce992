"""Recording scores: create, edit and delete one entry, with the scheme's rules in Chinese.

Every write keeps who and why in the entry's history (`_history_user`, `_change_reason`), and
every edit names the version it started from: if someone saved in between, the edit is refused
with the current value (optimistic concurrency), never silently overwritten.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.camp_cache import camp_changed
from trainees.models import Trainee, TraineeStatus

from ..access import AUTOMATIC_SOURCES, can_record
from ..models import AssessmentItem, Kind, ScoreEntry, Source

ZERO = Decimal("0.0")
REASON_MAX = 300


class StaleEntryError(ValidationError):
    """Someone else saved the entry since it was opened. `current` is the entry as it is now."""

    def __init__(self, current: ScoreEntry):
        who = current.recorded_by.display_name if current.recorded_by else _("系统")
        super().__init__(
            _(
                "该记录已被他人修改：%(who)s 于 %(when)s 保存为 %(points)s 分（事由：%(reason)s）。"
                "您的修改未保存，请核对当前值后重新提交。"
            )
            % {
                "who": who,
                "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M"),
                "points": current.points,
                "reason": current.reason or "—",
            }
        )
        self.current = current


DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def parse_points(value) -> Decimal:
    """A points amount as typed: a number with at most one decimal place. A comma before one or
    two final digits is taken for a decimal point ("7,5", "7，5"); any other comma ("1,000") is
    refused, never read as a decimal point."""
    if isinstance(value, Decimal):
        points = value
    else:
        text = str(value).strip().replace("，", ",")
        if DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        try:
            if "," in text:
                raise InvalidOperation
            points = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                _("“%(v)s”不是有效的分值，请填写数字，如 8 或 7.5。") % {"v": value}
            ) from None
    if not points.is_finite():
        raise ValidationError(_("请填写有效的分值。"))
    if points < 0:
        raise ValidationError(
            _("分值不能为负数。扣分请填写正数（如扣 2 分填 2），计分方式会决定加减。")
        )
    # Before quantizing: 1e400 has more digits than the decimal context and would raise.
    if points >= 1000:
        raise ValidationError(_("分值过大，请检查输入。"))
    if points != points.quantize(Decimal("0.1")):
        raise ValidationError(_("分值最多保留一位小数，如 7.5。"))
    return points.quantize(Decimal("0.1"))


def validate_entry(
    *,
    trainee: Trainee,
    item: AssessmentItem,
    points: Decimal,
    date: datetime.date,
    exclude_pk: int | None = None,
) -> None:
    """The scheme's rules for one entry, in Chinese. Raises ValidationError with every problem
    found (so a grid cell shows them all)."""
    problems = []
    if item.scheme.camp_id != trainee.camp_id:
        problems.append(_("该考核项目不属于学员所在届次的考核方案。"))
    if not item.scheme.is_active:
        problems.append(_("考核方案尚未启用，请管理员启用方案后再录入。"))
    if points < 0:
        problems.append(_("分值不能为负数。扣分请填写正数，计分方式会决定加减。"))
    if item.kind == Kind.GRADED and points > item.max_points:
        problems.append(
            _("评分 %(p)s 分超过了“%(item)s”的满分 %(max)s 分，请填写 0 到 %(max)s 之间的分数。")
            % {"p": points, "item": item.name, "max": item.max_points}
        )
    if item.kind == Kind.DEDUCTION and points > item.max_points:
        problems.append(
            _("单次扣分 %(p)s 分超过了“%(item)s”的满分 %(max)s 分，请核对。")
            % {"p": points, "item": item.name, "max": item.max_points}
        )
    if item.kind == Kind.BONUS:
        others = ScoreEntry.objects.filter(trainee=trainee, item=item)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        given = others.aggregate(total=Sum("points"))["total"] or ZERO
        room = max(ZERO, item.max_points - given)
        if points > room:
            problems.append(
                _("加分将超过“%(item)s”的上限 %(max)s 分：已加 %(given)s 分，还可加 %(room)s 分。")
                % {"item": item.name, "max": item.max_points, "given": given, "room": room}
            )
    if (
        trainee.status == TraineeStatus.WITHDRAWN
        and trainee.withdrawn_on is not None
        and date > trainee.withdrawn_on
    ):
        problems.append(
            _("%(name)s 已于 %(day)s 退出，不能录入此后日期的记录。")
            % {"name": trainee, "day": trainee.withdrawn_on.isoformat()}
        )
    if problems:
        raise ValidationError(problems)


def _check_recorder(by, item: AssessmentItem, trainee: Trainee) -> None:
    if by is None:
        return  # the system (attendance, contests): the caller is the rule
    if not can_record(by, item, trainee):
        if item.recorded_by == ["judges"]:
            raise ValidationError(
                _("“%(item)s”由擂台比拼评委打分生成，不能手工录入。") % {"item": item.name}
            )
        raise ValidationError(
            _("您不能录入“%(item)s”：该项目由%(who)s记录，辅导员只能为本组学员录入。")
            % {"item": item.name, "who": item_recorders_label(item)}
        )


def item_recorders_label(item: AssessmentItem) -> str:
    return item.recorded_by_labels


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("请填写事由（如：第3次集中培训迟到），便于学员和审核人查看。"))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("事由不能超过 %(n)d 个字。") % {"n": REASON_MAX})
    return reason


def _save(entry: ScoreEntry, *, by, reason: str) -> None:
    entry._history_user = by
    entry._change_reason = reason
    entry.save()
    camp_changed(camp_id=entry.trainee.camp_id)


@transaction.atomic
def score_entry_create(
    *,
    trainee: Trainee,
    item: AssessmentItem,
    points,
    date: datetime.date,
    by,
    reason: str = "",
    source: str = Source.MANUAL,
    source_key: str = "",
) -> ScoreEntry:
    """Record one entry. On a once-only item a trainee has at most one: a new grade replaces
    the old one, as an edit kept in the history."""
    points = parse_points(points)
    reason = _clean_reason(reason, required=item.kind != Kind.GRADED)
    _check_recorder(by, item, trainee)
    if item.once_only or item.kind == Kind.BONUS:
        # Lock the trainee row: two first grades of a once-only item, or two awards that each
        # fit under the cap alone, must not both be written.
        Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
    if item.once_only:
        existing = (
            ScoreEntry.objects.select_for_update()
            .filter(trainee=trainee, item=item)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return _apply_update(
                existing,
                points=points,
                date=date,
                reason=reason or _("重新评分"),
                by=by,
                source=source,
                source_key=source_key,
            )
    validate_entry(trainee=trainee, item=item, points=points, date=date)
    entry = ScoreEntry(
        trainee=trainee,
        item=item,
        points=points,
        date=date,
        reason=reason,
        recorded_by=by,
        source=source,
        source_key=source_key,
    )
    entry.full_clean()
    _save(entry, by=by, reason=reason or _("录入"))
    return entry


def _apply_update(
    entry: ScoreEntry, *, points: Decimal, date: datetime.date, reason: str, by, **extra
) -> ScoreEntry:
    validate_entry(
        trainee=entry.trainee, item=entry.item, points=points, date=date, exclude_pk=entry.pk
    )
    entry.points = points
    entry.date = date
    entry.reason = reason
    if by is not None:
        entry.recorded_by = by
    for name, value in extra.items():
        setattr(entry, name, value)
    entry.version += 1
    entry.full_clean()
    _save(entry, by=by, reason=reason)
    return entry


def _locked(entry: ScoreEntry, version: int | None) -> ScoreEntry:
    current = (
        # of=self: PostgreSQL cannot lock the nullable side of an outer join (recorded_by).
        ScoreEntry.objects.select_for_update(of=("self",))
        .select_related("item", "item__scheme", "trainee", "recorded_by")
        .get(pk=entry.pk)
    )
    if version is not None and current.version != version:
        raise StaleEntryError(current)
    return current


@transaction.atomic
def score_entry_update(
    *, entry: ScoreEntry, points, date: datetime.date, by, reason: str, version: int | None
) -> ScoreEntry:
    """Edit an entry opened at `version`; refused with the current value if it changed since.
    `version=None` is for the system's own recomputations only."""
    points = parse_points(points)
    reason = _clean_reason(reason, required=True)
    current = _locked(entry, version)
    if by is not None and current.source in AUTOMATIC_SOURCES:
        raise ValidationError(_("该记录由系统自动生成，请修改其来源（考勤、擂台或材料评分）。"))
    _check_recorder_for_edit(by, current)
    return _apply_update(current, points=points, date=date, reason=reason, by=by)


def _check_recorder_for_edit(by, entry: ScoreEntry) -> None:
    from camp.access import has_role
    from camp.roles import Role

    if by is None or has_role(by, Role.STAFF):
        return
    _check_recorder(by, entry.item, entry.trainee)


@transaction.atomic
def score_entry_delete(*, entry: ScoreEntry, by, reason: str, version: int | None) -> None:
    """Delete an entry; the history keeps it, with who deleted it and why."""
    reason = _clean_reason(reason, required=True)
    current = _locked(entry, version)
    if by is not None and current.source in AUTOMATIC_SOURCES:
        raise ValidationError(_("该记录由系统自动生成，请修改其来源（考勤、擂台或材料评分）。"))
    _check_recorder_for_edit(by, current)
    current._history_user = by
    current._change_reason = reason
    current.delete()
    camp_changed(camp_id=current.trainee.camp_id)
