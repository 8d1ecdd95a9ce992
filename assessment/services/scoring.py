"""The arithmetic of the 300-point scheme, exactly as assessment-scheme.md says.

The database aggregates each trainee's entries per item (sum and count, up to a day); the pure
functions here turn one (trainee, item) aggregate into a score:
- deduction: full marks minus the sum of deductions, never below 0;
- graded: the mean of the grades so far, never above the maximum; no grade yet is "not yet
  assessed" (None), never 0 and never full marks;
- bonus: the sum of awards, never above the maximum.
Each item's score is rounded half-up to 0.1. Category totals and the total are sums of the
rounded item scores, so an exported total always equals the sum of its exported items.

Assessed points are the maxima of the items that have begun to count: deduction items from the
camp's first training day (or an earlier deduction), graded items from their first grade, bonus
items from their first award (an entry above 0).

Ranking is by total, highest first; equal totals share a rank and the next rank skips
(1, 1, 3). Ranked are the camp's active trainees, and a withdrawn trainee only for days before
the withdrawal.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, Min, Sum

from camp.models import Camp
from trainees.models import Trainee, TraineeStatus

from ..models import AssessmentItem, Category, Kind, ScoreEntry

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")
# Sums of many entries must not overflow the entry's own max_digits=4 when quantized.
SUM_FIELD = DecimalField(max_digits=12, decimal_places=1)


def round_points(value: Decimal) -> Decimal:
    """Half-up to one decimal place: 7.25 → 7.3 (Python's round() would give 7.2)."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


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

    def item_scores_json(self) -> dict[str, str | None]:
        """The items as MonthlySummaryRow.item_scores stores them: {"1": "18.5", "3": None}."""
        return {
            str(number): (None if item.score is None else str(item.score))
            for number, item in sorted(self.items.items())
        }


def trainee_score(
    *,
    trainee_id: int,
    group_id: int | None,
    rules: Iterable[ItemRule],
    aggregates: dict[int, tuple[Decimal | None, int]],
    deductions_started: bool,
    ranked: bool = True,
) -> TraineeScore:
    """One trainee's score from their per-item aggregates ({item number: (sum, count)})."""
    items: dict[int, ItemScore] = {}
    categories = dict.fromkeys(Category.values, ZERO)
    maximums = dict.fromkeys(Category.values, ZERO)
    assessed_points = ZERO
    for rule in rules:
        total, count = aggregates.get(rule.number, (None, 0))
        score = item_score(rule, total=total, count=count, deductions_started=deductions_started)
        items[rule.number] = score
        maximums[rule.category] += rule.max_points
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
        category_maximums=maximums,
    )


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


def item_rules(camp: Camp) -> list[ItemRule]:
    return [rule for _pk, rule in _item_rules_with_pks(camp)]


def _item_rules_with_pks(camp: Camp) -> list[tuple[int, ItemRule]]:
    return [
        (pk, ItemRule(number, category, kind, max_points))
        for pk, number, category, kind, max_points in AssessmentItem.objects.filter(
            scheme__camp=camp
        )
        .order_by("number")
        .values_list("pk", "number", "category", "kind", "max_points")
    ]


def first_training_day(camp: Camp) -> datetime.date:
    """The camp's first training day from the curriculum, or its start date without one."""
    from curriculum.models import TrainingDay

    first = TrainingDay.objects.filter(camp=camp).aggregate(first=Min("date"))["first"]
    return first or camp.start_date


def entry_aggregates(
    *,
    camp: Camp,
    as_of: datetime.date,
    trainee_ids: Iterable[int] | None = None,
    item_numbers: dict[int, int] | None = None,
) -> dict[int, dict[int, tuple[Decimal, int]]]:
    """{trainee id: {item number: (sum of points, number of entries)}} up to `as_of`, in one
    grouped query. Filtering on the camp's item ids (`item_numbers`: {item pk: number}) lets the
    (item, date) index find the camp's entries without joining the trainees."""
    if item_numbers is None:
        item_numbers = {pk: rule.number for pk, rule in _item_rules_with_pks(camp)}
    entries = ScoreEntry.objects.filter(item_id__in=list(item_numbers), date__lte=as_of)
    if trainee_ids is not None:
        entries = entries.filter(trainee_id__in=list(trainee_ids))
    rows = (
        entries.values("trainee_id", "item_id")
        .annotate(total=Sum("points", output_field=SUM_FIELD), count=Count("pk"))
        .order_by()
    )
    result: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for row in rows:
        result[row["trainee_id"]][item_numbers[row["item_id"]]] = (
            round_points(Decimal(row["total"])),
            row["count"],
        )
    return result


def scores_as_of(
    *, camp: Camp, as_of: datetime.date, trainee_ids: Iterable[int] | None = None
) -> dict[int, TraineeScore]:
    """Every trainee's (or the given trainees') score as of a day, ranked in class and group.

    Four queries whatever the number of trainees: the items, the first training day, the
    trainees, and the grouped entry aggregates. Ranks are always over the whole camp, so asking
    for one trainee still ranks them among everyone.
    """
    rules_with_pks = _item_rules_with_pks(camp)
    rules = [rule for _pk, rule in rules_with_pks]
    deductions_started = as_of >= first_training_day(camp)
    trainees = Trainee.objects.filter(camp=camp).values_list(
        "pk", "group_id", "status", "withdrawn_on"
    )
    aggregates = entry_aggregates(
        camp=camp, as_of=as_of, item_numbers={pk: rule.number for pk, rule in rules_with_pks}
    )
    scores: dict[int, TraineeScore] = {}
    for pk, group_id, status, withdrawn_on in trainees:
        scores[pk] = trainee_score(
            trainee_id=pk,
            group_id=group_id,
            rules=rules,
            aggregates=aggregates.get(pk, {}),
            deductions_started=deductions_started,
            ranked=is_ranked_on(status=status, withdrawn_on=withdrawn_on, day=as_of),
        )
    _rank(scores)
    if trainee_ids is not None:
        wanted = set(trainee_ids)
        scores = {pk: score for pk, score in scores.items() if pk in wanted}
    return scores


def _rank(scores: dict[int, TraineeScore]) -> None:
    ranked = {pk: score for pk, score in scores.items() if score.ranked}
    for pk, rank in shared_ranks({pk: s.total for pk, s in ranked.items()}).items():
        scores[pk].class_rank = rank
    by_group: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pk, score in ranked.items():
        if score.group_id is not None:
            by_group[score.group_id][pk] = score.total
    for totals in by_group.values():
        for pk, rank in shared_ranks(totals).items():
            scores[pk].group_rank = rank
