"""Helpers for the assessment tests: items by number, raw entries for the arithmetic."""

import datetime
from decimal import Decimal

import pytest

from assessment.models import AssessmentItem, ScoreEntry


def item_of(camp, number: int) -> AssessmentItem:
    return AssessmentItem.objects.select_related("scheme").get(scheme__camp=camp, number=number)


def raw_entry(trainee, number: int, points, day=datetime.date(2026, 3, 1), **extra) -> ScoreEntry:
    """An entry written straight to the table: for arithmetic tests that must not depend on the
    recording service's validation."""
    return ScoreEntry.objects.create(
        trainee=trainee,
        item=item_of(trainee.camp, number),
        points=Decimal(str(points)),
        date=day,
        **extra,
    )


@pytest.fixture
def items(cast):
    return {item.number: item for item in AssessmentItem.objects.filter(scheme__camp=cast.camp)}


# The graduation documents' filed class (test_documents_*.py).
from .documents_world import filed, frozen  # noqa: E402, F401
