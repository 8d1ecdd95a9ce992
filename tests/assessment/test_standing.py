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


# Updated rather than computed (camp/camp_cache.py, `rescored`) -------------------------------


def _written(cast, committed):
    """Three changes that name their trainees: an entry, a grid of group 1, an entry deleted."""
    import datetime as dt

    from assessment.services.entries import score_entry_create, score_entry_delete
    from assessment.services.grid import grid_save

    from .conftest import item_of

    day = dt.date(2026, 3, 14)
    first, second = cast.trainee_in_group_1, cast.trainee_in_group_2
    with committed():
        entry = score_entry_create(
            trainee=second,
            item=item_of(cast.camp, 5),
            points="8",
            date=day,
            by=cast.staff,
            reason="发言积极",
        )
    with committed():
        grid_save(
            group=cast.group_1,
            item=item_of(cast.camp, 2),
            day=day,
            values={first.pk: "1.5"},
            versions={first.pk: 0},
            by=cast.staff,
            reason="3月14日课堂纪律",
        )
    with committed():
        score_entry_create(
            trainee=first,
            item=item_of(cast.camp, 5),
            points="9",
            date=day,
            by=cast.staff,
            reason="发言积极",
        )
    with committed():
        score_entry_delete(entry=entry, by=cast.staff, reason="录错学员", version=entry.version)


END = __import__("datetime").date(2026, 3, 31)


def test_changes_that_name_their_trainees_update_the_standing_as_a_fresh_one(
    cast, committed, monkeypatch
):
    import assessment.standing as standing_module
    from assessment.standing import camp_standing
    from assessment.standing_selectors import scores_as_of

    camp_standing(cast.camp, END)
    computed = []
    real = standing_module.scores_as_of
    monkeypatch.setattr(
        standing_module, "scores_as_of", lambda **kw: computed.append(kw) or real(**kw)
    )
    _written(cast, committed)
    updated = camp_standing(cast.camp, END)
    assert computed == []  # four changes back at most: updated, never computed afresh
    fresh = scores_as_of(camp=cast.camp, as_of=END)
    assert {pk: printed(s) for pk, s in updated.items()} == {
        pk: printed(s) for pk, s in fresh.items()
    }
    first, second = cast.trainee_in_group_1, cast.trainee_in_group_2
    assert (updated[first.pk].class_rank, updated[second.pk].class_rank) == (1, 2)


def test_a_change_of_unknown_extent_computes_the_standing_afresh(cast, committed, monkeypatch):
    import assessment.standing as standing_module
    from assessment.standing import camp_standing
    from camp.camp_cache import camp_changed

    camp_standing(cast.camp, END)
    computed = []
    real = standing_module.scores_as_of
    monkeypatch.setattr(
        standing_module, "scores_as_of", lambda **kw: computed.append(kw) or real(**kw)
    )
    with committed():
        camp_changed(camp_id=cast.camp.pk)  # a scheme, a calendar, a group move
    camp_standing(cast.camp, END)
    assert len(computed) == 1
