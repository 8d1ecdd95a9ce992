"""The arithmetic of the 300-point scheme, exactly as assessment-scheme.md says.

The database aggregates each trainee's entries per item (sum and count, up to a day:
assessment/standing_selectors.py); the pure functions here turn one (trainee, item) aggregate into a
score:
- deduction: full marks minus the sum of deductions, never below 0;
- graded: the mean of the grades so far, never above the maximum; no grade yet is "not yet
  assessed" (None), never 0 and never full marks;
- bonus: the sum of awards, never above the maximum.
Each item's score is rounded half-up to 0.1. Category totals and the total are sums of the
rounded item scores, so an exported total always equals the sum of its exported items.

Assessed points are the maxima of the items that have begun to count: deduction items from the
trainee's first training day as a member (or an earlier deduction), graded items from their
first grade, bonus items from their first award (an entry above 0).

Ranking is by total, highest first; equal totals share a rank and the next rank skips
(1, 1, 3). Ranked are the camp's active trainees, and a withdrawn trainee only for days before
the withdrawal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField

from camp.rounding import round_points  # the one half-up rounding; callers import it from here too
from trainees.models import TraineeStatus

from .models import Category, Kind

ZERO = Decimal("0.0")
# Category.values builds a new list on every access; the scoring loop reads it per trainee.
CATEGORIES = tuple(Category.values)
# Sums of many entries must not overflow the entry's own max_digits=4 when quantized.
SUM_FIELD = DecimalField(max_digits=12, decimal_places=1)


@dataclass(frozen=True)
class ItemRule:
    """What the arithmetic needs to know of an item."""

    number: int
    category: str
    kind: str
    max_points: Decimal


@dataclass(frozen=True)
class ItemScore:
    """One item's score. `score` is None when the item is not yet assessed for a graded item
    (or a deduction item before the camp's first training day); `assessed` says whether the
    item's maximum counts in the assessed points."""

    score: Decimal | None
    assessed: bool
    entry_count: int = 0

    @property
    def display(self) -> str:
        return "—" if self.score is None else str(self.score)


def item_score(
    rule: ItemRule, *, total: Decimal | None, count: int, deductions_started: bool
) -> ItemScore:
    """Turn one (trainee, item) aggregate (sum and count of its entries) into its score."""
    total = total or ZERO
    if rule.kind == Kind.DEDUCTION:
        if not deductions_started and count == 0:
            return ItemScore(None, assessed=False)
        return ItemScore(
            round_points(max(ZERO, rule.max_points - total)), assessed=True, entry_count=count
        )
    if rule.kind == Kind.GRADED:
        if count == 0:
            return ItemScore(None, assessed=False)
        mean = total / Decimal(count)
        return ItemScore(round_points(min(rule.max_points, mean)), assessed=True, entry_count=count)
    if rule.kind == Kind.BONUS:
        return ItemScore(
            round_points(min(rule.max_points, total)), assessed=total > 0, entry_count=count
        )
    raise ValueError(f"unknown item kind {rule.kind!r}")


@dataclass
class TraineeScore:
    """A trainee's running score as of a day: items by number, category totals, total,
    assessed points and ranks (None when not ranked)."""

    trainee_id: int
    group_id: int | None
    items: dict[int, ItemScore]
    categories: dict[str, Decimal]
    total: Decimal
    assessed_points: Decimal
    ranked: bool
    class_rank: int | None = None
    group_rank: int | None = None
    category_maximums: dict[str, Decimal] = field(default_factory=dict)
    # The day the trainee was admitted, where the camp's scores are read (not from a bare
    # Scorer): a month's rows count those who belonged by its end.
    admitted_on: datetime.date | None = None

    @property
    def maximum(self) -> Decimal:
        """The scheme's full marks (300 for an active scheme), summed from its items."""
        return sum(self.category_maximums.values(), Decimal(0))

    def item_scores_json(self) -> dict[str, str | None]:
        """The items as MonthlySummaryRow.item_scores stores them: {"1": "18.5", "3": None}."""
        return {
            str(number): (None if item.score is None else str(item.score))
            for number, item in sorted(self.items.items())
        }


class Scorer:
    """Trainees' scores for one scheme as of one day. What does not depend on
    the trainee is worked out once: the category maxima, each item's score without entries. An
    item's score depends only on its (sum, count), so equal aggregates share one (immutable)
    ItemScore instead of computing it again: the arithmetic is `item_score`'s, unchanged."""

    def __init__(self, rules: Iterable[ItemRule], *, deductions_started: bool):
        self.deductions_started = deductions_started
        self.maximums = dict.fromkeys(CATEGORIES, ZERO)
        # (rule, its score without entries) in the scheme's order.
        self.plan: list[tuple[ItemRule, ItemScore]] = []
        for rule in rules:
            self.maximums[rule.category] += rule.max_points
            empty = item_score(rule, total=None, count=0, deductions_started=deductions_started)
            self.plan.append((rule, empty))
        self.known: dict[tuple[int, Decimal | None, int], ItemScore] = {}

    def _item(self, rule: ItemRule, aggregate: tuple[Decimal | None, int]) -> ItemScore:
        key = (rule.number, *aggregate)
        score = self.known.get(key)
        if score is None:
            total, count = aggregate
            score = self.known[key] = item_score(
                rule, total=total, count=count, deductions_started=self.deductions_started
            )
        return score

    def score(
        self,
        *,
        trainee_id: int,
        group_id: int | None,
        aggregates: dict[int, tuple[Decimal | None, int]],
        ranked: bool,
    ) -> TraineeScore:
        items: dict[int, ItemScore] = {}
        categories = dict.fromkeys(CATEGORIES, ZERO)
        assessed_points = ZERO
        for rule, empty in self.plan:
            aggregate = aggregates.get(rule.number)
            score = empty if aggregate is None else self._item(rule, aggregate)
            items[rule.number] = score
            if score.score is not None:
                categories[rule.category] += score.score
            if score.assessed:
                assessed_points += rule.max_points
        return TraineeScore(
            trainee_id=trainee_id,
            group_id=group_id,
            items=items,
            categories=categories,
            total=sum(categories.values(), ZERO),
            assessed_points=assessed_points,
            ranked=ranked,
            category_maximums=dict(self.maximums),
        )

    def total(self, aggregates: dict[int, tuple[Decimal | None, int]]) -> Decimal:
        """`score(...).total` alone: the sum of the rounded item scores. Adding one-decimal
        Decimals is exact, so the order of the additions does not change the result."""
        total = ZERO
        for rule, empty in self.plan:
            aggregate = aggregates.get(rule.number)
            score = (empty if aggregate is None else self._item(rule, aggregate)).score
            if score is not None:
                total += score
        return total


def shared_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking: {key: rank} with equal totals sharing a rank (1, 1, 3)."""
    ranks: dict[int, int] = {}
    previous = None
    rank = 0
    for position, (key, total) in enumerate(
        sorted(totals.items(), key=lambda pair: -pair[1]), start=1
    ):
        if total != previous:
            rank = position
            previous = total
        ranks[key] = rank
    return ranks


def is_ranked_on(*, status: str, withdrawn_on: datetime.date | None, day: datetime.date) -> bool:
    """Active trainees are ranked; a withdrawn one only for days before the withdrawal."""
    if status == TraineeStatus.ACTIVE:
        return True
    return withdrawn_on is not None and day < withdrawn_on


def contest_result(
    *,
    mean_a: Decimal | None,
    mean_b: Decimal | None,
    weight_a: Decimal = Decimal("0.6"),
    weight_b: Decimal = Decimal("0.4"),
) -> Decimal | None:
    """The scheme's weighting, rounded half-up to 0.1; None without any mark."""
    if mean_a is None and mean_b is None:
        return None
    if mean_b is None:
        return round_points(mean_a)
    if mean_a is None:
        return round_points(mean_b)
    return round_points(weight_a * mean_a + weight_b * mean_b)
