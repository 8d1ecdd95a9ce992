"""The arithmetic of assessment-scheme.md against hand-computed cases."""

import datetime
from decimal import Decimal

import pytest

from assessment.scoring import (
    ItemRule,
    Scorer,
    item_score,
    round_points,
    shared_ranks,
)
from assessment.standing_selectors import (
    entry_aggregates,
    entry_aggregates_at_two_days,
    scores_and_earlier_totals,
    scores_as_of,
)
from tests.factories import TraineeFactory
from trainees.models import TraineeStatus

from .conftest import raw_entry

D = Decimal
MARCH = datetime.date(2026, 3, 31)
FEBRUARY = datetime.date(2026, 2, 28)
ZERO = Decimal("0.0")
DEDUCTION_20 = ItemRule(1, "theory", "deduction", D("20.0"))
GRADED_10 = ItemRule(3, "theory", "graded", D("10.0"))
BONUS_5 = ItemRule(17, "party_spirit", "bonus", D("5.0"))


def test_it_rounds_half_up_not_to_even():
    assert round_points(D("7.25")) == D("7.3")
    assert round_points(D("7.35")) == D("7.4")
    assert round_points(D("7.24")) == D("7.2")


def test_a_deduction_item_starts_full_and_never_drops_below_zero():
    assert item_score(DEDUCTION_20, total=None, count=0, deductions_started=True).score == D("20")
    assert item_score(DEDUCTION_20, total=D("2.5"), count=2, deductions_started=True).score == D(
        "17.5"
    )
    floored = item_score(DEDUCTION_20, total=D("26.0"), count=9, deductions_started=True)
    assert floored.score == D("0.0")
    assert floored.assessed


def test_a_deduction_item_is_not_assessed_before_the_first_training_day():
    score = item_score(DEDUCTION_20, total=None, count=0, deductions_started=False)
    assert score.score is None
    assert not score.assessed


def test_a_graded_item_is_the_mean_of_its_grades_rounded_half_up():
    # (7.2 + 7.3) / 2 = 7.25 → 7.3
    assert item_score(GRADED_10, total=D("14.5"), count=2, deductions_started=True).score == D(
        "7.3"
    )
    # (8 + 9 + 9) / 3 = 8.666… → 8.7
    assert item_score(GRADED_10, total=D("26"), count=3, deductions_started=True).score == D("8.7")


def test_a_graded_item_without_a_grade_is_not_yet_assessed_rather_than_zero():
    score = item_score(GRADED_10, total=None, count=0, deductions_started=True)
    assert score.score is None
    assert not score.assessed
    assert score.display == "—"


def test_a_grade_of_zero_is_a_grade():
    score = item_score(GRADED_10, total=D("0"), count=1, deductions_started=True)
    assert score.score == D("0.0")
    assert score.assessed


def test_a_bonus_item_adds_up_to_its_cap_and_counts_from_its_first_award():
    assert item_score(BONUS_5, total=D("6.0"), count=2, deductions_started=True).score == D("5.0")
    none_yet = item_score(BONUS_5, total=None, count=0, deductions_started=True)
    assert none_yet.score == D("0.0")
    assert not none_yet.assessed
    assert item_score(BONUS_5, total=D("1.5"), count=1, deductions_started=True).assessed


def test_shared_ranks_skip_after_a_tie():
    assert shared_ranks({1: D("90"), 2: D("95"), 3: D("95"), 4: D("80")}) == {
        2: 1,
        3: 1,
        1: 3,
        4: 4,
    }


@pytest.fixture
def trainee(cast):
    return cast.trainee_in_group_1


def test_the_total_is_the_sum_of_the_rounded_items(cast, trainee):
    # Item 3 (graded, 10): 7.2 and 7.3 → 7.25 → 7.3. Item 6 (graded, 10): same → 7.3.
    for number in (3, 6):
        raw_entry(trainee, number, "7.2")
        raw_entry(trainee, number, "7.3")
    # Item 1 (deduction, 20): 2 + 0.5 → 17.5. Item 17 (bonus, 5): 3 + 3 → capped at 5.
    raw_entry(trainee, 1, "2")
    raw_entry(trainee, 1, "0.5")
    raw_entry(trainee, 17, "3")
    raw_entry(trainee, 17, "3")

    score = scores_as_of(camp=cast.camp, as_of=MARCH)[trainee.pk]

    assert score.items[3].score == D("7.3")
    assert score.items[6].score == D("7.3")
    assert score.items[1].score == D("17.5")
    assert score.items[17].score == D("5.0")
    # Deduction items untouched are full: 2 (10), 11 (15), 12 (10), 13 (10).
    assert score.items[2].score == D("10.0")
    # theory: 17.5 + 10 + 7.3 + 7.3 = 42.1 (not the rounding of the unrounded 42.0 sum)
    assert score.categories["theory"] == D("42.1")
    # party_spirit: deductions 15 + 10 + 10 full, bonus 5 → 40
    assert score.categories["party_spirit"] == D("40.0")
    assert score.categories["capability"] == D("0.0")
    assert score.total == D("82.1")
    assert score.total == sum(s.score for s in score.items.values() if s.score is not None)
    # assessed: deductions 1, 2, 11, 12, 13 (65) + graded 3, 6 (20) + bonus 17 (5) = 90
    assert score.assessed_points == D("90.0")
    assert score.items[4].score is None  # 学习心得 not graded yet


def test_the_score_as_of_a_day_ignores_later_entries(cast, trainee):
    raw_entry(trainee, 4, "18", day=datetime.date(2026, 3, 10))
    raw_entry(trainee, 4, "10", day=datetime.date(2026, 4, 10))

    assert scores_as_of(camp=cast.camp, as_of=MARCH)[trainee.pk].items[4].score == D("18.0")
    april = scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 4, 30))
    assert april[trainee.pk].items[4].score == D("14.0")


def test_deduction_items_count_from_the_camps_start_without_training_days(cast, trainee):
    before = scores_as_of(camp=cast.camp, as_of=datetime.date(2025, 12, 31))[trainee.pk]
    assert before.assessed_points == D("0.0")
    assert before.total == D("0.0")
    after = scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 1, 1))[trainee.pk]
    # Deduction items 1, 2, 11, 12, 13: 20 + 10 + 15 + 10 + 10
    assert after.assessed_points == D("65.0")
    assert after.total == D("65.0")


def test_deduction_items_count_from_the_first_training_day(cast, trainee):
    from curriculum.models import TrainingDay

    TrainingDay.objects.create(
        camp=cast.camp,
        number=1,
        slot_date=datetime.date(2026, 1, 10),
        date=datetime.date(2026, 1, 10),
    )
    assert scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 1, 9))[
        trainee.pk
    ].assessed_points == D("0.0")
    assert scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 1, 10))[
        trainee.pk
    ].assessed_points == D("65.0")


def test_equal_totals_share_a_class_rank_and_groups_rank_separately(cast):
    a, b = cast.trainee_in_group_1, cast.trainee_in_group_2
    c = TraineeFactory(camp=cast.camp, group=cast.group_1)
    raw_entry(a, 4, "18")
    raw_entry(b, 4, "18")
    raw_entry(c, 4, "12")

    scores = scores_as_of(camp=cast.camp, as_of=MARCH)

    assert [scores[t.pk].class_rank for t in (a, b, c)] == [1, 1, 3]
    assert [scores[t.pk].group_rank for t in (a, b, c)] == [1, 1, 2]


def test_a_withdrawn_trainee_is_ranked_only_before_the_withdrawal(cast):
    a, b = cast.trainee_in_group_1, cast.trainee_in_group_2
    raw_entry(a, 4, "18")
    raw_entry(b, 4, "12")
    a.status = TraineeStatus.WITHDRAWN
    a.withdrawn_on = datetime.date(2026, 4, 15)
    a.save()

    march = scores_as_of(camp=cast.camp, as_of=MARCH)
    assert (march[a.pk].class_rank, march[b.pk].class_rank) == (1, 2)
    april = scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 4, 30))
    assert april[a.pk].class_rank is None
    assert april[a.pk].group_rank is None
    assert april[a.pk].total == D("83.0")  # keeps the history: 65 deductions + 18
    assert april[b.pk].class_rank == 1


def test_asking_for_one_trainee_still_ranks_them_among_everyone(cast):
    raw_entry(cast.trainee_in_group_1, 4, "12")
    raw_entry(cast.trainee_in_group_2, 4, "18")
    scores = scores_as_of(camp=cast.camp, as_of=MARCH, trainee_ids=[cast.trainee_in_group_1.pk])
    assert list(scores) == [cast.trainee_in_group_1.pk]
    assert scores[cast.trainee_in_group_1.pk].class_rank == 2


def test_item_scores_json_marks_unassessed_items_as_null(cast, trainee):
    raw_entry(trainee, 4, "17.5")
    stored = scores_as_of(camp=cast.camp, as_of=MARCH)[trainee.pk].item_scores_json()
    assert stored["4"] == "17.5"
    assert stored["3"] is None
    assert stored["1"] == "20.0"
    assert len(stored) == 26


@pytest.mark.parametrize("size", [3, 30])
def test_scores_as_of_takes_four_queries_whatever_the_number_of_trainees(
    cast, size, django_assert_num_queries
):
    for trainee in TraineeFactory.create_batch(size, camp=cast.camp, group=cast.group_2):
        raw_entry(trainee, 4, "15")
        raw_entry(trainee, 1, "2")
    # items, first training day, trainees, grouped entry aggregates
    with django_assert_num_queries(4):
        scores = scores_as_of(camp=cast.camp, as_of=MARCH)
    assert len(scores) == size + 2


def test_a_trainee_score_adds_its_items_by_category():
    rules = [DEDUCTION_20, GRADED_10, BONUS_5]
    score = Scorer(rules, deductions_started=True).score(
        trainee_id=1,
        group_id=None,
        aggregates={1: (D("2.5"), 2), 17: (D("6.0"), 2)},
        ranked=True,
    )
    assert score.categories == {"theory": D("17.5"), "party_spirit": D("5.0"), "capability": ZERO}
    assert score.total == D("22.5")
    assert score.assessed_points == D("25.0")  # 20 + 5: item 3 has no grade yet
    assert score.category_maximums["theory"] == D("30.0")
    assert score.items[3].score is None


def test_trainees_with_the_same_entries_get_the_same_scores(cast):
    a, b = cast.trainee_in_group_1, cast.trainee_in_group_2
    for trainee in (a, b):
        raw_entry(trainee, 3, "7.2")
        raw_entry(trainee, 3, "7.3")
        raw_entry(trainee, 1, "2.5")
    raw_entry(b, 17, "1")
    scores = scores_as_of(camp=cast.camp, as_of=MARCH)
    assert scores[a.pk].items[3].score == scores[b.pk].items[3].score == D("7.3")
    assert scores[a.pk].items[1].score == scores[b.pk].items[1].score == D("17.5")
    assert scores[b.pk].total == scores[a.pk].total + D("1.0")


def test_both_days_aggregates_come_from_one_query_and_equal_each_days(
    cast, trainee, django_assert_num_queries
):
    other = cast.trainee_in_group_2
    raw_entry(trainee, 3, "8", day=datetime.date(2026, 2, 10))
    raw_entry(trainee, 3, "6", day=datetime.date(2026, 3, 10))
    raw_entry(trainee, 17, "2", day=datetime.date(2026, 3, 28))
    raw_entry(other, 1, "1.5", day=datetime.date(2026, 2, 28))
    raw_entry(other, 1, "2", day=datetime.date(2026, 4, 1))  # after both days
    item_numbers = {item.pk: item.number for item in cast.camp.assessment_scheme.items.all()}
    with django_assert_num_queries(1):
        now, before = entry_aggregates_at_two_days(
            camp=cast.camp, as_of=MARCH, earlier=FEBRUARY, item_numbers=item_numbers
        )
    assert now == entry_aggregates(camp=cast.camp, as_of=MARCH)
    assert before == entry_aggregates(camp=cast.camp, as_of=FEBRUARY)
    assert before[trainee.pk] == {3: (D("8.0"), 1)}  # no item 17 before its first award
    assert now[trainee.pk] == {3: (D("14.0"), 2), 17: (D("2.0"), 1)}
    assert before[other.pk] == now[other.pk] == {1: (D("1.5"), 1)}


def test_earlier_totals_equal_the_totals_as_of_that_day(cast, trainee, django_assert_num_queries):
    from curriculum.models import TrainingDay

    # Deductions start between the two days; a trainee withdraws in between; one joins later.
    TrainingDay.objects.create(
        camp=cast.camp,
        number=1,
        slot_date=datetime.date(2026, 3, 2),
        date=datetime.date(2026, 3, 2),
    )
    gone = TraineeFactory(
        camp=cast.camp,
        group=cast.group_1,
        status="withdrawn",
        withdrawn_on=datetime.date(2026, 3, 5),
    )
    raw_entry(trainee, 4, "18", day=datetime.date(2026, 2, 10))
    raw_entry(trainee, 1, "3", day=datetime.date(2026, 3, 10))
    raw_entry(gone, 17, "4", day=datetime.date(2026, 2, 11))
    raw_entry(gone, 2, "1", day=datetime.date(2026, 2, 12))  # a deduction before training
    TraineeFactory(camp=cast.camp, group=cast.group_2)
    with django_assert_num_queries(4):  # as scores_as_of
        scores, earlier = scores_and_earlier_totals(camp=cast.camp, as_of=MARCH, earlier=FEBRUARY)
    assert scores == scores_as_of(camp=cast.camp, as_of=MARCH)
    then = scores_as_of(camp=cast.camp, as_of=FEBRUARY)
    assert earlier == {pk: score.total for pk, score in then.items()}
    assert earlier[trainee.pk] == D("18.0")  # deduction items not counted yet
    assert earlier[gone.pk] == D("13.0")  # 4 + item 2 begun early: 10 - 1
    assert scores[trainee.pk].total == D("65.0") - D("3.0") + D("18.0")
