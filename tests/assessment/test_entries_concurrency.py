"""Two people saving at the same moment, on a real PostgreSQL with row locks: one wins, the other
is told. (Skipped without PostgreSQL; CI runs it.)"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.entry_messages import StaleEntryError
from assessment.models import ScoreEntry
from assessment.services.entries import score_entry_create, score_entry_update
from tests.races import race

from .conftest import item_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]
DAY = datetime.date(2026, 3, 14)


def test_two_edits_of_the_same_version_save_one_and_refuse_the_other(postgres, cast):
    entry = score_entry_create(
        trainee=cast.trainee_in_group_1,
        item=item_of(cast.camp, 2),
        points="1",
        date=DAY,
        by=cast.staff,
        reason="课堂纪律",
    )

    def edit(points):
        return lambda: score_entry_update(
            entry=ScoreEntry.objects.get(pk=entry.pk),
            points=points,
            date=DAY,
            by=cast.staff,
            reason=f"改为 {points}",
            version=1,
        )

    results = race(edit("2"), edit("3"))

    refused = [r for r in results if isinstance(r, StaleEntryError)]
    saved = [r for r in results if isinstance(r, ScoreEntry)]
    assert (len(saved), len(refused)) == (1, 1)
    assert refused[0].current.points == saved[0].points
    final = ScoreEntry.objects.get(pk=entry.pk)
    assert (final.points, final.version) == (saved[0].points, 2)


def test_two_awards_that_each_fit_under_the_cap_cannot_both_pass_it(postgres, cast):
    def award():
        return score_entry_create(
            trainee=cast.trainee_in_group_1,
            item=item_of(cast.camp, 17),  # bonus, cap 5
            points="3",
            date=DAY,
            by=cast.staff,
            reason="志愿服务",
        )

    results = race(award, award)

    assert sum(isinstance(r, ScoreEntry) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert ScoreEntry.objects.filter(item__number=17).count() == 1
    total = sum(ScoreEntry.objects.values_list("points", flat=True))
    assert total == Decimal("3.0")
