"""The camp's database version on a real PostgreSQL with row locks: two writers of one camp at
the same moment both commit, and each moves the version on once, so kept figures never outlive
either write. (Skipped without PostgreSQL; CI runs it.)"""

import datetime

import pytest
from django.core.cache import cache

from assessment.models import ScoreEntry
from assessment.services.entries import score_entry_create
from assessment.standing import camp_standing
from camp.models import CampFiguresVersion
from tests.races import race

from .conftest import item_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]
DAY = datetime.date(2026, 3, 14)


def version(camp) -> int:
    row = CampFiguresVersion.objects.filter(camp_id=camp.pk).first()
    return row.version if row else 0


def test_two_writers_of_one_camp_both_commit_and_both_move_its_version(postgres, cast, monkeypatch):
    # Today's standing is the one kept in the database.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: DAY)
    camp_standing(cast.camp)
    before = version(cast.camp)

    def record(trainee):
        return lambda: score_entry_create(
            trainee=trainee,
            item=item_of(cast.camp, 5),
            points="8",
            date=DAY,
            by=cast.staff,
            reason="研讨发言",
        )

    results = race(record(cast.trainee_in_group_1), record(cast.trainee_in_group_2))

    assert all(isinstance(result, ScoreEntry) for result in results), results
    assert version(cast.camp) == before + 2
    cache.clear()  # a restart after both writes: neither may be missing from what is read
    standing = camp_standing(cast.camp)
    assert standing[cast.trainee_in_group_1.pk].items[5].score == 8
    assert standing[cast.trainee_in_group_2.pk].items[5].score == 8
