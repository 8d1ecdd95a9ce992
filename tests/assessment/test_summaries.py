"""The monthly summary job: results equal the entries, rerunning replaces, queries stay flat."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.models import (
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlySummaryRow,
    SummaryRun,
)
from assessment.selectors import run_status
from assessment.services import summaries, summary_publish
from assessment.services.summaries import (
    monthly_summary_compute,
    summary_run_start,
)
from camp.jobs import BROKER_UNAVAILABLE, JobState
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


def test_the_change_is_against_last_months_total_as_of_its_end_from_the_entries(cast):
    # Item 1 (deduction, 20) and item 3 (graded, 10) over both months; an entry in April does
    # not count. February's end: 20 - 2 = 18 and 6 → every other deduction item full; March's
    # end: 20 - 5 = 15 and (6 + 9) / 2 = 7.5, bonus 17: 2.
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 1, "2", datetime.date(2026, 2, 3))
    raw_entry(trainee, 3, "6", datetime.date(2026, 2, 28))
    raw_entry(trainee, 1, "3", datetime.date(2026, 3, 1))
    raw_entry(trainee, 3, "9", datetime.date(2026, 3, 31))
    raw_entry(trainee, 17, "2", datetime.date(2026, 3, 15))
    raw_entry(trainee, 17, "4", datetime.date(2026, 4, 1))
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    february, march = _row(trainee, FEBRUARY), _row(trainee)
    assert march.total - february.total == D("-3.0") + D("1.5") + D("2.0")
    assert march.change == march.total - february.total
    # A trainee without any entry still has a change (full deduction items on both ends).
    assert _row(cast.trainee_in_group_2).change == D("0.0")


def test_the_change_ignores_a_stale_published_last_month(cast):
    # February was published, then an entry dated in February was recorded: March's change
    # is against February's total as it is now, not as it was published.
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 17, "1", datetime.date(2026, 2, 10))
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    raw_entry(trainee, 17, "2", datetime.date(2026, 2, 20))  # recorded late, dated in February
    raw_entry(trainee, 17, "1.5", datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    assert _row(trainee).total - _row(trainee, FEBRUARY).total == D("3.5")  # 4.5 - 1 published
    assert _row(trainee).change == D("1.5")  # 4.5 - 3 (February as of its end, now)


def test_the_change_is_given_without_a_published_last_month(cast):
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 17, "1", datetime.date(2026, 2, 10))
    raw_entry(trainee, 17, "2.5", datetime.date(2026, 3, 10))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    assert not MonthlySummaryRow.objects.filter(month=FEBRUARY).exists()
    assert _row(trainee).change == D("2.5")


def test_the_camps_first_month_has_no_change(cast):
    january = datetime.date(2026, 1, 1)
    assert cast.camp.start_date == january
    raw_entry(cast.trainee_in_group_1, 17, "1", datetime.date(2026, 1, 10))
    monthly_summary_compute(camp=cast.camp, month=january)
    assert _row(cast.trainee_in_group_1, january).change is None


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

    monkeypatch.setattr(summary_publish, "_publish_class_figures", crash)
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


# The job's queries for one camp, each named once; the same with or without a previous month
# (its totals come from the same grouped query) and at any number of trainees.
JOB_QUERIES = [
    "run → running, progress 5",
    "scoring: the scheme's items",
    "scoring: the first training day",
    "scoring: the trainees (with their group on the month's last day, from the dated moves)",
    "scoring: entries grouped by (trainee, item), summed up to both months' ends",
    "attendance: per trainee, the year so far and the month alone, with membership dates",
    "the camp's groups, in order",
    "progress 90 (computed)",
    "publish: savepoint (a transaction outside tests)",
    "publish: lock the camp",
    "publish: a newer run of the month already published?",
    "publish: delete the month's rows",
    "publish: delete the month's group figures",
    "publish: delete the month's class figures",
    "publish: bulk insert the rows",
    "publish: insert the group figures (computed from the rows)",
    "publish: insert the class figures (computed from the rows)",
    "publish: run → done, progress 100",
    "notify: the month's trainees with their login (通知)",
    "notify: savepoint",
    "notify: their notification settings",
    "notify: bulk insert the inbox copies",
    "notify: their unread counters",
    "notify: release the savepoint",
    "publish: release the savepoint",
]


def test_group_and_class_figures_equal_the_databases_aggregates_over_the_rows(cast):
    from django.db.models import Avg, Max, Min

    # Totals and attendance that make means end in .x5 and nulls that AVG skips.
    trainees = [cast.trainee_in_group_1, cast.trainee_in_group_2]
    trainees += [TraineeFactory(camp=cast.camp, group=cast.group_1) for _ in range(3)]
    trainees.append(TraineeFactory(camp=cast.camp, group=None))
    for index, trainee in enumerate(trainees):
        raw_entry(trainee, 1, str(D("0.5") * index), datetime.date(2026, 3, 2))
        raw_entry(trainee, 3, str(D("7.2") + D("0.1") * (index % 2)), datetime.date(2026, 3, 3))
    monthly_summary_compute(camp=cast.camp, month=MARCH)

    ranked = MonthlySummaryRow.objects.filter(month=MARCH, class_rank__isnull=False)
    fields = ["total", "theory", "party_spirit", "capability", "assessed_points"]
    for group in GroupMonthlySummary.objects.filter(month=MARCH):
        rows = ranked.filter(group=group.group)
        expected = rows.aggregate(**{name: Avg(name) for name in fields})
        assert group.trainee_count == rows.count()
        for name, value in expected.items():
            rounded = None if value is None else D(value).quantize(D("0.1"), "ROUND_HALF_UP")
            assert getattr(group, f"average_{name}") == rounded, name
    assert GroupMonthlySummary.objects.filter(month=MARCH).count() == 2
    klass = ClassMonthlySummary.objects.get(month=MARCH)
    expected = ranked.aggregate(average=Avg("total"), high=Max("total"), low=Min("total"))
    assert klass.trainee_count == 6
    assert klass.average_total == D(expected["average"]).quantize(D("0.1"), "ROUND_HALF_UP")
    assert (klass.highest_total, klass.lowest_total) == (expected["high"], expected["low"])
    totals = sorted(ranked.values_list("total", flat=True))
    assert klass.median_total == ((totals[2] + totals[3]) / 2).quantize(D("0.1"), "ROUND_HALF_UP")


def _compute_queries(cast, django_assert_num_queries, extra_trainees: int, month=MARCH) -> None:
    for number in range(extra_trainees):
        trainee = TraineeFactory(camp=cast.camp, group=cast.group_1 if number % 2 else cast.group_2)
        raw_entry(trainee, 3, "7", month.replace(day=10))
    run = SummaryRun.objects.create(camp=cast.camp, month=month)
    with django_assert_num_queries(len(JOB_QUERIES)):
        monthly_summary_compute(camp=cast.camp, month=month, run=run)


def test_the_query_count_does_not_grow_with_trainees(cast, django_assert_num_queries):
    _compute_queries(cast, django_assert_num_queries, 3)


def test_the_query_count_does_not_grow_with_trainees_at_forty(cast, django_assert_num_queries):
    _compute_queries(cast, django_assert_num_queries, 40)


def test_the_task_adds_one_query_reading_the_run_with_its_camp(cast, django_assert_num_queries):
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    with django_assert_num_queries(1 + len(JOB_QUERIES)):
        summaries.summary_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == JobState.DONE


def test_the_camps_first_month_takes_the_same_queries(cast, django_assert_num_queries):
    _compute_queries(cast, django_assert_num_queries, 3, month=datetime.date(2026, 1, 1))


def test_a_published_previous_month_takes_the_same_queries(cast, django_assert_num_queries):
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    _compute_queries(cast, django_assert_num_queries, 3)


def _recorded_progress(monkeypatch) -> list[int]:
    written: list[int] = []
    real = summaries._progress

    def record(run, percent, **fields):
        written.append(percent)
        real(run, percent, **fields)

    monkeypatch.setattr(summaries, "_progress", record)
    return written


def test_a_run_reports_progress_at_the_start_when_computed_and_when_published(cast, monkeypatch):
    written = _recorded_progress(monkeypatch)
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=run)
    assert written == [5, 90, 100]
    run.refresh_from_db()
    assert (run.state, run.progress) == (JobState.DONE, 100)


def test_a_long_run_also_reports_progress_while_it_builds_the_rows(cast, monkeypatch):
    # Every part taking longer than PROGRESS_EVERY: the bar moves group by group.
    monkeypatch.setattr(summaries, "PROGRESS_EVERY", 0)
    written = _recorded_progress(monkeypatch)
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=run)
    parts = cast.camp.groups.count() + 1  # the groups, then the trainees without one
    in_between = [20 + 70 * index // parts for index in range(1, parts + 1)]
    assert written == [5, 20, *in_between, 90, 100]


def test_the_status_shows_a_running_runs_progress(cast, monkeypatch):
    seen: list[tuple[str, int]] = []
    real = summaries._progress

    def look(run, percent, **fields):
        real(run, percent, **fields)
        status = run_status(SummaryRun.objects.get(pk=run.pk))
        seen.append((status["state"], status["progress"], status["finished"]))

    monkeypatch.setattr(summaries, "_progress", look)
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=run)
    assert seen == [
        (JobState.RUNNING, 5, False),
        (JobState.RUNNING, 90, False),
        (JobState.DONE, 100, True),
    ]


def test_it_refuses_a_month_outside_the_camp(cast):
    with pytest.raises(ValidationError):
        summary_run_start(camp=cast.camp, month=datetime.date(2025, 12, 1))


def test_starting_a_run_records_it_and_runs_it_in_process(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    run.refresh_from_db()
    assert run.state == JobState.DONE
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
    assert run.state == JobState.FAILED
    assert run.error == BROKER_UNAVAILABLE
    assert not MonthlySummaryRow.objects.exists()


def test_a_stale_run_does_not_overwrite_a_newer_published_one(cast):
    older = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    newer = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=newer)
    assert monthly_summary_compute(camp=cast.camp, month=MARCH, run=older) == 0
    assert set(MonthlySummaryRow.objects.values_list("run", flat=True)) == {newer.pk}


def test_a_replacement_has_no_row_before_their_admission_and_no_change_in_its_month(cast):
    """A month counts those who belonged by its end; "—" (no change) only where there is no
    earlier figure, as for a trainee admitted since the month before."""
    newcomer = TraineeFactory(
        camp=cast.camp, group=cast.group_1, admitted_on=datetime.date(2026, 3, 16)
    )
    monthly_summary_compute(camp=cast.camp, month=FEBRUARY)
    monthly_summary_compute(camp=cast.camp, month=MARCH)

    assert not MonthlySummaryRow.objects.filter(trainee=newcomer, month=FEBRUARY).exists()
    assert _row(newcomer).change is None
    assert _row(cast.trainee_in_group_1).change is not None  # a member in February too
