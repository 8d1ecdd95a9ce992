"""A camp's live standing (every trainee's score as of a day, ranked), through the camp's cache.

Computing it scans the camp's entries and applies the scheme's arithmetic to every trainee, yet
the ranking, each group dashboard and each trainee's own page need the whole camp on every
request (ranks are over the whole camp). So it is computed once per change of the camp
(camp/camp_cache.py) and shared by every web process.

The cached form is packed: scores as integers of tenths, the items of a trainee decoded only
when a page reads them. Unpickling 150 trainees' 3,900 item objects cost a ranking page several
milliseconds, more than the rest of its data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from decimal import Decimal

from django.utils import timezone

from camp.camp_cache import camp_cached
from camp.models import Camp

from .scoring import ItemScore, TraineeScore
from .standing_selectors import rescored, scores_as_of

Packed = tuple


def _tenths(value: Decimal | None) -> int | None:
    # Every figure of the scheme has one decimal place (round_points, DecimalField(…, 1)); a
    # figure with more would be a bug upstream, never a reason to cache a rounded number.
    if value is None:
        return None
    tenths = value.scaleb(1)
    if tenths != tenths.to_integral_value():
        raise ValueError(f"{value} has more than one decimal place")
    return int(tenths)


def _decimal(tenths: int | None) -> Decimal | None:
    return None if tenths is None else Decimal(tenths).scaleb(-1)


class PackedItems(Mapping):
    """{item number: ItemScore}, decoded from the packed form on first use."""

    def __init__(self, packed: tuple):
        self._packed = packed
        self._items: dict[int, ItemScore] | None = None

    def _decoded(self) -> dict[int, ItemScore]:
        if self._items is None:
            self._items = {
                number: ItemScore(_decimal(score), assessed=assessed, entry_count=count)
                for number, score, assessed, count in self._packed
            }
        return self._items

    def __getitem__(self, number: int) -> ItemScore:
        return self._decoded()[number]

    def __iter__(self) -> Iterator[int]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._packed)


def pack(scores: dict[int, TraineeScore]) -> Packed:
    maximums = next(iter(scores.values())).category_maximums if scores else {}
    return (
        tuple((name, _tenths(value)) for name, value in maximums.items()),
        tuple(
            (
                score.trainee_id,
                score.group_id,
                score.ranked,
                score.class_rank,
                score.group_rank,
                _tenths(score.total),
                _tenths(score.assessed_points),
                tuple((name, _tenths(value)) for name, value in score.categories.items()),
                _packed_items(score.items),
            )
            for score in scores.values()
        ),
    )


def _packed_items(items) -> tuple:
    # A standing updated for a few trainees (`rescored`) packs the others' items as they came.
    if isinstance(items, PackedItems) and items._items is None:
        return items._packed
    return tuple(
        (number, _tenths(item.score), item.assessed, item.entry_count)
        for number, item in items.items()
    )


def unpack(packed: Packed) -> dict[int, TraineeScore]:
    packed_maximums, rows = packed
    maximums = {name: _decimal(value) for name, value in packed_maximums}
    scores = {}
    for pk, group_id, ranked, class_rank, group_rank, total, assessed, categories, items in rows:
        scores[pk] = TraineeScore(
            trainee_id=pk,
            group_id=group_id,
            items=PackedItems(items),
            categories={name: _decimal(value) for name, value in categories},
            total=_decimal(total),
            assessed_points=_decimal(assessed),
            ranked=ranked,
            class_rank=class_rank,
            group_rank=group_rank,
            category_maximums=dict(maximums),
        )
    return scores


def camp_standing(camp: Camp, as_of: datetime.date | None = None) -> dict[int, TraineeScore]:
    """Every trainee's running score as of a day (today by default), ranked."""
    today = timezone.localdate()
    as_of = as_of or today
    packed = camp_cached(
        camp_id=camp.pk,
        name=f"standing:{as_of.isoformat()}",
        compute=lambda: pack(scores_as_of(camp=camp, as_of=as_of)),
        update=lambda earlier, trainee_ids: pack(
            rescored(camp=camp, as_of=as_of, scores=unpack(earlier), trainee_ids=trainee_ids)
        ),
        # Today's standing is what every page asks for: kept in the database too, so that an
        # emptied cache (a deploy, a Redis restart) does not make every camp compute it again.
        kept_as="standing" if as_of == today else None,
    )
    return unpack(packed)
