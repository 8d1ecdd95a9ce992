"""Reads of a camp's assessment scheme: what keeps it from being activated (in Chinese) and
whether scoring has started on it. The scheme's writes are services/scheme.py's."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from .models import (
    ITEM_COUNT,
    TOTAL_POINTS,
    Scheme,
    ScoreEntry,
)


def scheme_problems(*, scheme: Scheme) -> list[str]:
    """What keeps a scheme from being activated, in Chinese; empty when it is valid."""
    problems = []
    numbers = list(scheme.items.order_by("number").values_list("number", flat=True))
    if len(numbers) != ITEM_COUNT:
        problems.append(
            _("考核方案应有 %(want)d 个项目，现有 %(have)d 个。")
            % {"want": ITEM_COUNT, "have": len(numbers)}
        )
    missing = sorted(set(range(1, ITEM_COUNT + 1)) - set(numbers))
    if missing and len(numbers) == ITEM_COUNT:
        problems.append(
            _("项目序号应为 1 到 %(n)d，缺少：%(missing)s。")
            % {"n": ITEM_COUNT, "missing": "、".join(map(str, missing))}
        )
    total = scheme.items.aggregate(total=Sum("max_points"))["total"] or Decimal("0")
    total = Decimal(total).quantize(Decimal("0.1"))
    if total != TOTAL_POINTS:
        difference = TOTAL_POINTS - total
        if difference > 0:
            hint = _("还差 %(d)s 分") % {"d": difference}
        else:
            hint = _("超出 %(d)s 分") % {"d": -difference}
        problems.append(
            _("各项目满分合计应为 %(want)s 分，现为 %(have)s 分（%(hint)s），请调整满分。")
            % {"want": TOTAL_POINTS, "have": total, "hint": hint}
        )
    return problems


def scheme_has_entries(scheme: Scheme) -> bool:
    return ScoreEntry.objects.filter(item__scheme=scheme).exists()
