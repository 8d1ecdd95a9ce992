"""Migration 0004: existing entries are brought under the cell rule, and the report says what
was merged."""

import datetime
from decimal import Decimal

from assessment.cell_merge import fill_entry_cells, fill_submission_cells
from assessment.models import ScoreEntry, Source, Submission

from .conftest import raw_entry


def merge():
    return fill_entry_cells(ScoreEntry, ScoreEntry.history.model, Submission)


def test_the_latest_grade_of_a_month_stays_and_the_earlier_is_kept_in_the_history(cast):
    trainee = cast.trainee_in_group_1
    # Before cells: a grid grade dated the 1st and a single entry dated the 20th of November.
    early = raw_entry(trainee, 4, "18", day=datetime.date(2026, 11, 1), source=Source.GRID)
    late = raw_entry(trainee, 4, "16", day=datetime.date(2026, 11, 20))
    other_month = raw_entry(trainee, 4, "15", day=datetime.date(2026, 10, 1))

    report = merge()

    assert list(ScoreEntry.objects.order_by("pk").values_list("pk", "points", "cell")) == [
        (late.pk, Decimal("16.0"), "month:2026-11"),
        (other_month.pk, Decimal("15.0"), "month:2026-10"),
    ]
    removed = ScoreEntry.history.get(
        id=early.pk, history_type="-", history_change_reason__startswith="合并"
    )
    assert removed.points == Decimal("18.0")
    assert "保留最新评分" in removed.history_change_reason
    assert report == [
        f"trainee {trainee.pk} item 4 cell month:2026-11: kept entry {late.pk} (16.0), "
        f"merged {early.pk}"
    ]


def test_a_second_run_over_filled_cells_writes_nothing(cast, django_assert_num_queries):
    trainee = cast.trainee_in_group_1
    raw_entry(trainee, 4, "18", day=datetime.date(2026, 11, 1), source=Source.GRID)
    raw_entry(trainee, 4, "15", day=datetime.date(2026, 10, 1))
    merge()

    # 1: the entries with their items, read in chunks; no UPDATE, no history row.
    with django_assert_num_queries(1):
        assert merge() == []


def test_two_deductions_by_hand_on_one_day_become_the_days_total(cast):
    trainee = cast.trainee_in_group_1
    day = datetime.date(2026, 3, 14)
    raw_entry(trainee, 2, "1", day=day, reason="迟到")
    kept = raw_entry(trainee, 2, "0.5", day=day, reason="使用手机")
    # Attendance deductions have no cell and are never merged.
    raw_entry(trainee, 1, "2", day=day, source=Source.ATTENDANCE, source_key="attendance:1:1")
    raw_entry(trainee, 1, "2", day=day, source=Source.ATTENDANCE, source_key="attendance:2:1")

    report = merge()

    entry = ScoreEntry.objects.get(item__number=2)
    assert (entry.pk, entry.points, entry.reason) == (kept.pk, Decimal("1.5"), "迟到；使用手机")
    assert ScoreEntry.objects.filter(item__number=1, cell="").count() == 2
    assert len(report) == 1


def test_a_merged_grade_hands_its_submission_to_the_cells_grade(cast):
    from django.utils import timezone

    trainee = cast.trainee_in_group_1
    graded = raw_entry(trainee, 4, "17", day=datetime.date(2026, 3, 1), source=Source.SUBMISSION)
    later = raw_entry(trainee, 4, "12", day=datetime.date(2026, 3, 25))
    submission = Submission.objects.create(
        trainee=trainee,
        item=graded.item,
        period=datetime.date(2026, 3, 1),
        submitted_at=timezone.now(),
        score_entry=graded,
    )

    merge()
    fill_submission_cells(Submission, Submission.history.model)

    submission.refresh_from_db()
    assert submission.score_entry_id == later.pk
    assert submission.cell == "month:2026-03"


def test_data_that_keeps_the_rule_is_left_as_it_is(cast):
    raw_entry(cast.trainee_in_group_1, 4, "15", day=datetime.date(2026, 3, 1))
    raw_entry(cast.trainee_in_group_2, 4, "15", day=datetime.date(2026, 3, 1))
    assert merge() == []
    assert not ScoreEntry.history.filter(history_change_reason__startswith="合并").exists()
    assert set(ScoreEntry.objects.values_list("cell", flat=True)) == {"month:2026-03"}
