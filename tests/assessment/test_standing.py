"""The cached form of a camp's standing: packing and unpacking give back every figure exactly,
down to how it prints."""

from decimal import Decimal

import pytest

from assessment.models import Category, Kind
from assessment.scoring import ItemRule, Scorer
from assessment.standing import pack, unpack
from assessment.standing_selectors import _rank

RULES = [
    ItemRule(1, Category.PARTY_SPIRIT, Kind.DEDUCTION, Decimal("20.0")),
    ItemRule(3, Category.THEORY, Kind.GRADED, Decimal("10.0")),
    ItemRule(17, Category.CAPABILITY, Kind.BONUS, Decimal("5.0")),
]


def scores():
    scorer = Scorer(RULES, deductions_started=True)
    made = {
        1: scorer.score(
            trainee_id=1,
            group_id=10,
            aggregates={1: (Decimal("0.5"), 1), 3: (Decimal("17.5"), 2), 17: (Decimal("2.0"), 1)},
            ranked=True,
        ),
        2: scorer.score(
            trainee_id=2,
            group_id=None,
            aggregates={},
            ranked=True,
        ),
        3: scorer.score(
            trainee_id=3,
            group_id=10,
            aggregates={1: (Decimal("20.0"), 3)},
            ranked=False,
        ),
    }
    _rank(made)
    return made


def printed(score):
    return (
        score.trainee_id,
        score.group_id,
        score.ranked,
        score.class_rank,
        score.group_rank,
        str(score.total),
        str(score.assessed_points),
        {k: str(v) for k, v in score.categories.items()},
        {k: str(v) for k, v in score.category_maximums.items()},
        {n: (i.display, i.assessed, i.entry_count) for n, i in score.items.items()},
        score.item_scores_json(),
    )


def test_unpacking_gives_back_every_figure_as_it_prints():
    original = scores()
    restored = unpack(pack(original))
    assert {pk: printed(s) for pk, s in restored.items()} == {
        pk: printed(s) for pk, s in original.items()
    }
    assert restored[2].items[3].score is None  # not yet assessed stays None, never 0
    assert str(restored[3].items[1].score) == "0.0"
    assert restored == original


def test_an_empty_camp_packs_and_unpacks():
    assert unpack(pack({})) == {}


def test_a_figure_with_two_decimal_places_is_refused_not_rounded():
    broken = scores()
    broken[1].total = Decimal("12.25")
    with pytest.raises(ValueError, match="more than one decimal place"):
        pack(broken)
