"""The promotion rate per edition (oversight.after_camp_selectors.promotion_rates): graduates
promoted within N years of the graduation date, over the graduates, "so far" while the period
runs. Edition 2023 graduated on 2023-12-28, so its periods end on 2024-, 2025- and 2026-12-28."""

import datetime

import pytest

from oversight.after_camp_selectors import promotion_rates
from oversight.models import PostChange

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = pytest.mark.django_db
D = datetime.date


def promote(trainee, day, by, *, promotion=True):
    # Written directly: the services refuse a day after the real today, the rates must not care.
    PostChange.objects.create(
        graduate=trainee,
        date=day,
        post="镇长",
        rank="section_chief",
        promotion=promotion,
        updated_by=by,
    )


@pytest.fixture
def edition():
    camp = finished_camp("2023")
    by = orgdept_user()
    on_the_day, first_anniversary, a_day_later, third_anniversary, after_three, lateral = (
        graduate(camp, name) for name in ("甲", "乙", "丙", "丁", "戊", "己")
    )
    promote(on_the_day, D(2023, 12, 28), by)
    promote(first_anniversary, D(2024, 12, 28), by)
    promote(a_day_later, D(2024, 12, 29), by)
    promote(third_anniversary, D(2026, 12, 28), by)
    promote(after_three, D(2026, 12, 29), by)
    promote(lateral, D(2024, 3, 1), by, promotion=False)  # a move, not a promotion
    promote(a_day_later, D(2026, 1, 5), by)  # promoted twice: counted once
    graduate(camp, "未结业", graduates=False)
    promote(graduate(camp, "退出", withdrawn=True), D(2024, 1, 5), by)
    return camp


def figures(camp, today):
    return [
        (r.years, r.promoted, r.graduates, r.so_far, r.cut_off)
        for r in promotion_rates([camp], today=today)[camp.pk]
    ]


def test_promotions_count_on_either_side_of_each_boundary(edition):
    assert figures(edition, D(2027, 6, 1)) == [
        (1, 2, 6, False, D(2024, 12, 28)),
        (2, 3, 6, False, D(2025, 12, 28)),
        (3, 4, 6, False, D(2026, 12, 28)),
    ]
    rates = promotion_rates([edition], today=D(2027, 6, 1))[edition.pk]
    assert [str(r.rate) for r in rates] == ["33.3", "50.0", "66.7"]


def test_a_period_not_over_is_so_far_with_its_cut_off(edition):
    assert figures(edition, D(2024, 12, 28)) == [
        (1, 2, 6, True, D(2024, 12, 28)),  # its last day: not over yet
        (2, 2, 6, True, D(2024, 12, 28)),
        (3, 2, 6, True, D(2024, 12, 28)),
    ]
    assert figures(edition, D(2024, 12, 29))[0] == (1, 2, 6, False, D(2024, 12, 28))
    assert figures(edition, D(2024, 12, 29))[1] == (2, 3, 6, True, D(2024, 12, 29))


def test_an_edition_without_graduates_has_no_rate(db):
    camp = finished_camp("2024")
    [one, *_] = promotion_rates([camp], today=D(2026, 1, 1))[camp.pk]
    assert one.graduates == 0
    assert one.rate is None


def test_the_rates_take_one_query_for_any_number_of_editions(edition, django_assert_num_queries):
    others = [finished_camp(code) for code in ("2024", "2025")]
    for camp in others:
        graduate(camp, f"{camp.code}届学员")
    with django_assert_num_queries(1):  # graduates with their first promotion, grouped by edition
        promotion_rates([edition], today=D(2027, 1, 1))
    with django_assert_num_queries(1):  # the same query, whatever the number of editions
        rates = promotion_rates([edition, *others], today=D(2027, 1, 1))
    assert [rates[c.pk][0].graduates for c in others] == [1, 1]
