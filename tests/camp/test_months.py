"""The camp's month arithmetic (camp/months.py), the one home every app asks."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from camp.models import Camp
from camp.months import (
    camp_months,
    first_of_month,
    month_end,
    next_month,
    parse_month,
    parse_optional_month,
    previous_month,
    validate_month,
)


def test_a_month_is_read_from_yyyy_mm_or_a_date():
    assert parse_month("2026-03") == datetime.date(2026, 3, 1)
    assert parse_month(" 2026-12 ") == datetime.date(2026, 12, 1)
    assert parse_month(datetime.date(2026, 3, 17)) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("value", ["2026/13", "2026-13", "2026-00", "2026-3", "march", "", None])
def test_anything_else_is_a_chinese_validation_error(value):
    with pytest.raises(ValidationError, match="YYYY-MM"):
        parse_month(value)


def test_an_optional_month_may_be_absent_but_not_wrong():
    assert parse_optional_month(None) is None
    assert parse_optional_month("") is None
    assert parse_optional_month("2026-03") == datetime.date(2026, 3, 1)
    with pytest.raises(ValidationError):
        parse_optional_month("2026-3-1")


def test_month_ends_and_neighbours_cross_the_year_and_february():
    assert first_of_month(datetime.date(2026, 2, 14)) == datetime.date(2026, 2, 1)
    assert month_end(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
    assert month_end(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 31)
    assert next_month(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 1)
    assert previous_month(datetime.date(2027, 1, 15)) == datetime.date(2026, 12, 1)


def test_a_camp_has_twelve_months_from_its_start_month():
    camp = Camp(year=2026, start_month=9)
    months = camp_months(camp)
    assert len(months) == 12
    assert months[0] == datetime.date(2026, 9, 1)
    assert months[-1] == datetime.date(2027, 8, 1)
    assert camp_months(camp, up_to=datetime.date(2026, 10, 20)) == [
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 1),
    ]
    assert camp_months(camp, up_to=datetime.date(2026, 8, 31)) == []


def test_a_month_outside_the_camp_is_refused_in_chinese():
    camp = Camp(year=2026, start_month=1)
    validate_month(camp, datetime.date(2026, 12, 1))
    with pytest.raises(ValidationError, match="不在本期培训时间内"):
        validate_month(camp, datetime.date(2025, 12, 1))
