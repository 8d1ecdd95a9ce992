"""The monthly summary job: results equal the entries, rerunning replaces, queries stay flat."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import (
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlySummaryRow,
    RunState,
    SummaryRun,
)
from assessment.services import summaries
from assessment.services.summaries import (
    BROKER_UNAVAILABLE,
    monthly_summary_compute,
    parse_month,
    summary_run_start,
)
from tests.factories import TraineeFactory

from .conftest import raw_entry

D = Decimal
MARCH = datetime.date(2026, 3, 1)
FEBRUARY = datetime.date(2026, 2, 1)


def _row(trainee, month=MARCH):
    return MonthlySummaryRow.objects.get(trainee=trainee, month=month)


def test_a_row_equals_the_sum_of_the_entries(cast):
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 1, "2.5", datetime.date(2026, 3, 14))  # deduction 20 → 17.5
    raw_entry(trainee, 3, "8", datetime.date(2026, 3, 10))  # graded mean (8 + 7) / 2 = 7.5
    raw_entry(trainee, 3, "7", datetime.date(2026, 3, 20))
    raw_entry(trainee, 17, "2", datetime.date(2026, 3, 5))  # bonus 2
    raw_entry(trainee, 4, "18", datetime.date(2026, 4, 2))  # after the month: not counted

    monthly_summary_compute(camp=cast.camp, month=MARCH)

    row = _row(trainee)
    assert row.item_scores["1"] == "17.5"
    assert row.item_scores["3"] == "7.5"
    assert row.item_scores["4"] is None  # not yet assessed, never 0
    assert row.item_scores["17"] == "2.0"
    # Untouched deduction items are full marks: 2 (10), 11 (15), 12 (10), 13 (10).
    assert row.theory == D("17.5") + D("10") + D("7.5")
    assert row.party_spirit == D("15") + D("10") + D("10") + D("2")
    assert row.capability == D("0")
    assert row.total == row.theory + row.party_spirit + row.capability
    assessed = sum(D(v) for v in row.item_scores.values() if v is not None)
    assert row.total == assessed
    assert row.assessed_points == D("20") + D("10") + D("10") + D("15") + D("10") + D("10") + D("5")


def test_it_ranks_with_shared_places_in_class_and_group(cast):
    a = cast.trainee_in_group_1
    b = TraineeFactory(camp=cast.camp, group=cast.group_1)
    c = cast.trainee_in_group_2
    for trainee, grade in ((a, "9"), (b, "9"), (c, "5")):
        raw_entry(trainee, 3, grade, datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    assert (_row(a).class_rank, _row(b).class_rank, _row(c).class_rank) == (1, 1, 3)
    assert (_row(a).group_rank, _row(b).group_rank, _row(c).group_rank) == (1, 1, 1)


def test_a_withdrawn_trainee_is_not_ranked_after_withdrawal(cast):
    gone = TraineeFactory(
        camp=cast.camp,
        group=cast.group_1,
        status="withdrawn",
        withdrawn_on=datetime.date(2026, 3, 5),
    )
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    assert _row(gone).class_rank is None
    assert _row(gone, FEBRUARY).class_rank is not None


def test_it_gives_the_change_since_last_month(cast):
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 3, "6", datetime.date(2026, 2, 10))
    raw_entry(trainee, 17, "3", datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    assert _row(trainee).change == D("3.0")


def test_rerunning_gives_the_same_rows_and_never_duplicates(cast):
    raw_entry(cast.trainee_in_group_1, 3, "8", datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    first = list(
        MonthlySummaryRow.objects.filter(month=MARCH)
        .order_by("trainee")
        .values("trainee", "total", "item_scores", "class_rank", "group_rank", "assessed_points")
    )
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    again = list(
        MonthlySummaryRow.objects.filter(month=MARCH)
        .order_by("trainee")
        .values("trainee", "total", "item_scores", "class_rank", "group_rank", "assessed_points")
    )
    assert first == again
    assert len(again) == 2
    assert GroupMonthlySummary.objects.filter(month=MARCH).count() == 2
    assert ClassMonthlySummary.objects.filter(month=MARCH).count() == 1


def test_a_crash_before_publishing_keeps_the_previous_month(cast, monkeypatch):
    raw_entry(cast.trainee_in_group_1, 3, "8", datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    raw_entry(cast.trainee_in_group_1, 3, "2", datetime.date(2026, 3, 11))

    def crash(**kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(summaries, "_publish_class_figures", crash)
    with pytest.raises(RuntimeError):
        monthly_summary_compute(camp=cast.camp, month=MARCH)
    # The half-published month was rolled back: the old rows, all of them, still there.
    assert _row(cast.trainee_in_group_1).item_scores["3"] == "8.0"
    assert MonthlySummaryRow.objects.filter(month=MARCH).count() == 2
    assert ClassMonthlySummary.objects.filter(month=MARCH).count() == 1


def test_group_averages_and_class_distribution(cast):
    b = TraineeFactory(camp=cast.camp, group=cast.group_1)
    raw_entry(cast.trainee_in_group_1, 1, "4", datetime.date(2026, 3, 14))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    totals = [_row(cast.trainee_in_group_1).total, _row(b).total]
    group = GroupMonthlySummary.objects.get(group=cast.group_1, month=MARCH)
    assert group.trainee_count == 2
    assert group.average_total == (sum(totals) / 2).quantize(D("0.1"))
    klass = ClassMonthlySummary.objects.get(month=MARCH)
    assert klass.trainee_count == 3
    assert sum(band["count"] for band in klass.distribution) == 3
    assert klass.highest_total >= klass.lowest_total


def _compute_queries(cast, django_assert_num_queries, extra_trainees: int) -> None:
    for number in range(extra_trainees):
        trainee = TraineeFactory(camp=cast.camp, group=cast.group_1 if number % 2 else cast.group_2)
        raw_entry(trainee, 3, "7", datetime.date(2026, 3, 10))
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    # run → running (1); scores_as_of ×2: items, first training day, trainees, aggregates (8);
    # groups at the month's end: trainees + later moves (2); attendance rates (1); groups (1);
    # progress 20 (1); progress per part: 6 groups + the groupless (7); progress 90 (1);
    # publish: savepoint + release (2), lock the camp (1), newer run published? (1),
    # delete rows, group and class figures (3), bulk insert (1), group figures + insert (2),
    # class figures (1), median (1), class insert (1), run → done (1).
    with django_assert_num_queries(36):
        monthly_summary_compute(camp=cast.camp, month=MARCH, run=run)


def test_the_query_count_does_not_grow_with_trainees(cast, django_assert_num_queries):
    _compute_queries(cast, django_assert_num_queries, 3)


def test_the_query_count_does_not_grow_with_trainees_at_forty(cast, django_assert_num_queries):
    _compute_queries(cast, django_assert_num_queries, 40)


def test_it_refuses_a_month_outside_the_camp(cast):
    with pytest.raises(ValidationError):
        summary_run_start(camp=cast.camp, month=datetime.date(2025, 12, 1))
    with pytest.raises(ValidationError):
        parse_month("2026/13")


def test_starting_a_run_records_it_and_runs_it_in_process(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert run.progress == 100
    assert MonthlySummaryRow.objects.filter(run=run).count() == 2


def test_an_unreachable_broker_marks_the_run_failed(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from assessment import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    monkeypatch.setattr(tasks.compute_monthly_summary, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        run = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert run.error == BROKER_UNAVAILABLE
    assert not MonthlySummaryRow.objects.exists()


def test_a_stale_run_does_not_overwrite_a_newer_published_one(cast):
    older = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    newer = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=newer)
    assert monthly_summary_compute(camp=cast.camp, month=MARCH, run=older) == 0
    assert set(MonthlySummaryRow.objects.values_list("run", flat=True)) == {newer.pk}
