"""The shared form fields: a month is picked as a month."""

import datetime

import pytest

from camp.forms import MonthField


@pytest.mark.parametrize(
    ("sent", "month"),
    [("2026-03", datetime.date(2026, 3, 1)), ("2026-03-17", datetime.date(2026, 3, 1))],
)
def test_a_month_field_cleans_to_the_first_of_the_month(sent, month):
    assert MonthField().clean(sent) == month


@pytest.mark.parametrize("sent", ["2026-13", "三月", "2026/03/01"])
def test_a_month_field_refuses_what_is_not_a_month_in_chinese(sent):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="月份请写成 YYYY-MM"):
        MonthField().clean(sent)


def test_a_month_field_offers_the_browsers_month_picker():
    html = MonthField().widget.render("month", datetime.date(2026, 3, 5))
    assert 'type="month"' in html
    assert 'value="2026-03"' in html
