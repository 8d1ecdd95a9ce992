"""The scheme's rules for one score entry, in Chinese: how a points amount is read as typed,
what one entry must satisfy (in the camp's span, after admission, within the item's maximum or
the bonus's room left), and who records an item. The entries' writes are
services/entries.py's."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from trainees.models import Trainee
from trainees.validators import normalize_number_text

from .models import AssessmentItem, Kind, ScoreEntry
from .standing_selectors import camp_span

ZERO = Decimal("0.0")


DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")


def parse_points(value) -> Decimal:
    """A points amount as typed: a number with at most one decimal place. A comma before one or
    two final digits is taken for a decimal point ("7,5", "7，5"); any other comma ("1,000") is
    refused, never read as a decimal point."""
    if isinstance(value, Decimal):
        points = value
    else:
        # Full-width digits become ASCII (NFKC); any other script's digits, which Decimal would
        # also read, are refused below.
        text = normalize_number_text(str(value)).replace("，", ",")
        if any(ch.isdigit() and ch not in "0123456789" for ch in text):
            raise ValidationError(_("请用阿拉伯数字 0–9 填写分值，如 8 或 7.5。"))
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
    span: tuple[datetime.date, datetime.date] | None = None,
) -> None:
    """The scheme's rules for one entry, in Chinese. Raises ValidationError with every problem
    found (so a grid cell shows them all). `span` is the camp's `camp_span`, when the caller
    validates many entries of one camp."""
    problems = []
    first, last = span or camp_span(trainee.camp)
    if not first <= date <= last:
        problems.append(
            _("日期 %(day)s 不在本期培训时间内（%(first)s 至 %(last)s），请核对日期。")
            % {"day": date.isoformat(), "first": first.isoformat(), "last": last.isoformat()}
        )
    if date < trainee.admitted_on:
        problems.append(
            _("%(name)s 于 %(day)s 入营，不能录入此前日期的记录。")
            % {"name": trainee, "day": trainee.admitted_on.isoformat()}
        )
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
    if trainee.withdrawn_on is not None and date > trainee.withdrawn_on:
        problems.append(
            _("%(name)s 已于 %(day)s 退出，不能录入此后日期的记录。")
            % {"name": trainee, "day": trainee.withdrawn_on.isoformat()}
        )
    if problems:
        raise ValidationError(problems)


def item_recorders_label(item: AssessmentItem) -> str:
    return item.recorded_by_labels
