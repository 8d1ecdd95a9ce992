"""The assessment's part of the demo camp: a believable year, computed by the job."""

import datetime
import io

from django.core.management import call_command
from django.db.models import Max, Min

from assessment.cell_merge import fill_entry_cells
from assessment.models import (
    ClassMonthlySummary,
    Contest,
    ContestStatus,
    GroupMonthlySummary,
    LeaderComment,
    MonthlySummaryRow,
    ScoreEntry,
    Source,
    Submission,
    SummaryRun,
    WeeklyReview,
)
from camp.jobs import JobState


def test_the_demo_has_a_varied_year_of_scores_reviews_contests_comments_and_summaries(db):
    call_command("seed_demo", "--today", "2026-09-30", stdout=io.StringIO())

    entries = ScoreEntry.objects.filter(trainee__camp__code="2026")
    assert entries.count() > 5000
    assert entries.aggregate(last=Max("date"))["last"] <= datetime.date(2026, 9, 30)
    assert ScoreEntry.history.count() >= entries.count()  # bulk-written with history
    # Every hand-entered and graded entry fills its own cell: the cell migration finds nothing
    # to merge in the demo.
    assert not entries.exclude(source=Source.ATTENDANCE).filter(cell="").exists()
    assert fill_entry_cells(ScoreEntry, ScoreEntry.history.model, Submission) == []

    months = list(ClassMonthlySummary.objects.order_by("month").values_list("month", flat=True))
    assert months == [datetime.date(2026, m, 1) for m in range(1, 10)]
    assert not SummaryRun.objects.exclude(state=JobState.DONE).exists()

    september = MonthlySummaryRow.objects.filter(month=datetime.date(2026, 9, 1))
    spread = september.aggregate(low=Min("total"), high=Max("total"))
    assert spread["high"] - spread["low"] > 30  # real variation between trainees
    group_averages = GroupMonthlySummary.objects.filter(
        month=datetime.date(2026, 9, 1)
    ).values_list("average_total", flat=True)
    assert len(group_averages) == 6
    assert max(group_averages) - min(group_averages) > 3  # and between groups

    assert WeeklyReview.objects.count() > 6 * 30
    contests = Contest.objects.all()
    assert contests.count() == 2
    assert all(c.status == ContestStatus.CLOSED for c in contests)
    assert entries.filter(item__number=20).exists()
    assert LeaderComment.objects.count() >= 3
