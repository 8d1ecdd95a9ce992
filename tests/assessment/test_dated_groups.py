"""Figures per group follow the dated membership (GroupMove.effective_on): a move back-dated
to an earlier day changes the group figures of the months from that day on, and not before."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from assessment.grid_selectors import grid_load
from assessment.models import GroupMonthlySummary, MonthlySummaryRow
from assessment.services.summaries import monthly_summary_compute
from tests.factories import TraineeFactory
from trainees.services.grouping import trainee_move

from .conftest import item_of, raw_entry

FEBRUARY = datetime.date(2026, 2, 1)
MARCH = datetime.date(2026, 3, 1)


def _back_dated_move(cast, on):
    # Recorded today (December), in effect from `on`.
    return trainee_move(
        trainee=cast.trainee_in_group_1,
        to_group=cast.group_2,
        by=cast.staff,
        reason="工作调整，便于参加本组调研",
        effective_on=on,
    )


def _group_figures(month, group):
    rows = MonthlySummaryRow.objects.filter(month=month, group=group, class_rank__isnull=False)
    figures = GroupMonthlySummary.objects.filter(month=month, group=group).first()
    return {row.trainee_id: row.group_rank for row in rows}, figures


def test_a_back_dated_move_changes_group_ranks_and_averages_from_its_day_only(cast):
    moving, staying = cast.trainee_in_group_1, cast.trainee_in_group_2
    third = TraineeFactory(camp=cast.camp, group=cast.group_2)
    raw_entry(moving, 17, "4", datetime.date(2026, 2, 5))  # the best total
    raw_entry(third, 17, "2", datetime.date(2026, 2, 5))
    _back_dated_move(cast, datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    monthly_summary_compute(camp=cast.camp, month=MARCH)

    # February, before the move took effect: still in group 1, alone there.
    ranks, figures = _group_figures(FEBRUARY, cast.group_1)
    assert ranks == {moving.pk: 1}
    assert figures.trainee_count == 1
    assert (
        figures.average_total == MonthlySummaryRow.objects.get(month=FEBRUARY, trainee=moving).total
    )
    ranks, figures = _group_figures(FEBRUARY, cast.group_2)
    assert ranks == {third.pk: 1, staying.pk: 2}
    assert figures.trainee_count == 2

    # March, the move in effect by the month's end: first in group 2, group 1 empty.
    assert _group_figures(MARCH, cast.group_1) == ({}, None)
    ranks, figures = _group_figures(MARCH, cast.group_2)
    assert ranks == {moving.pk: 1, third.pk: 2, staying.pk: 3}
    totals = MonthlySummaryRow.objects.filter(month=MARCH).values_list("total", flat=True)
    average = (sum(totals) / 3).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert (figures.trainee_count, figures.average_total) == (3, average)


def test_a_group_grid_of_an_earlier_month_shows_the_trainee_in_the_old_group(cast):
    moving = cast.trainee_in_group_1
    _back_dated_move(cast, MARCH)
    notes = item_of(cast.camp, 3)  # 学习笔记, monthly

    def names(group, day):
        return {row.trainee.pk for row in grid_load(group=group, item=notes, day=day)}

    assert moving.pk in names(cast.group_1, datetime.date(2026, 2, 14))
    assert moving.pk not in names(cast.group_2, datetime.date(2026, 2, 14))
    assert moving.pk in names(cast.group_2, datetime.date(2026, 3, 14))
    assert moving.pk not in names(cast.group_1, datetime.date(2026, 3, 14))
