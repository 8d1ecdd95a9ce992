"""Writers racing to fill one empty cell, on a real PostgreSQL, by every pair of paths: the
database keeps one entry, and the other writer is refused cleanly (never an IntegrityError, a
deadlock or a 500), told what the winner wrote. (Skipped without PostgreSQL; CI runs it.)

Races depend on timing, so each test runs a few rounds, each on a fresh cell."""

import datetime
import io
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from assessment.cells import item_cell_key
from assessment.entry_messages import StaleEntryError
from assessment.grid_download import grid_workbook
from assessment.models import ScoreEntry, Source, Submission
from assessment.services.entries import score_entry_create
from assessment.services.grid import GridError, grid_save
from assessment.services.grid_workbook import UploadRejected, grid_upload
from assessment.services.submissions import submission_create, submission_grade
from tests.races import race

from .conftest import item_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]
ROUNDS = 3
DAYS = [datetime.date(2026, 3, 14) + datetime.timedelta(days=n) for n in range(ROUNDS)]
MONTHS = [datetime.date(2026, month, 1) for month in range(3, 3 + ROUNDS)]
REFUSALS = (StaleEntryError, GridError, UploadRejected)
DISCIPLINE, REFLECTION = 2, 4  # 课堂纪律 (deduction, per training day); 学习心得 (graded, monthly)


def later(action, seconds: float):
    def delayed():
        time.sleep(seconds)
        return action()

    return delayed


def told(refusal) -> str:
    """Everything the refused writer reads."""
    if isinstance(refusal, GridError):
        return " ".join(message for messages in refusal.cells.values() for message in messages)
    if isinstance(refusal, UploadRejected):
        return " ".join(refusal.errors)
    return " ".join(refusal.messages)


def cell_entries(trainee, item, day):
    return ScoreEntry.objects.filter(trainee=trainee, item=item, cell=item_cell_key(item, day))


def one_saved_one_refused(results, *, trainee, item, day, points: dict[int, str]):
    """One writer saved, the other was refused cleanly and told the winner's value, and the cell
    holds exactly one entry: the winner's. `points` maps each writer's index to its value."""
    refused = [(index, r) for index, r in enumerate(results) if isinstance(r, Exception)]
    for _index, result in refused:
        if not isinstance(result, REFUSALS):
            raise result  # a deadlock or an IntegrityError: a 500 for that writer
    assert len(refused) == 1, f"expected one refusal, got {results!r}"
    loser, refusal = refused[0]
    winner = 1 - loser
    entry = cell_entries(trainee, item, day).get()
    assert entry.points == Decimal(points[winner])
    assert f"{entry.points} 分" in told(refusal)
    return winner


def grid_writer(cast, item, day, points, *, by=None, source=Source.GRID):
    trainee = cast.trainee_in_group_1
    return lambda: grid_save(
        group=cast.group_1,
        item=item,
        day=day,
        values={trainee.pk: points},
        versions={trainee.pk: 0},
        by=by or cast.staff,
        reason="课堂纪律：上课接打电话",
        source=source,
    )


def single_writer(cast, item, day, points):
    return lambda: score_entry_create(
        trainee=cast.trainee_in_group_1,
        item=item,
        points=points,
        date=day,
        by=cast.staff,
        reason="课堂纪律：上课接打电话",
        seen_version=0,
    )


def upload_writer(cast, item, day, points):
    """A workbook downloaded now, while the cell is empty, filled in and uploaded in the race."""
    downloaded, filename = grid_workbook(group=cast.group_1, item=item, day=day)
    buffer = io.BytesIO()
    downloaded.save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for row in workbook.worksheets[0].iter_rows(min_row=3):
        if row[0].value == cast.trainee_in_group_1.pk:
            assert row[3].value == 0  # 版本: the cell was empty when downloaded
            row[2].value = float(points)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    return lambda: grid_upload(
        group=cast.group_1,
        item=item,
        day=day,
        file=SimpleUploadedFile(filename, content),
        by=cast.staff,
        reason="课堂纪律：上课接打电话",
    )


PAIRS = [
    pytest.param(grid_writer, grid_writer, id="grid+grid"),
    pytest.param(grid_writer, upload_writer, id="grid+upload"),
    pytest.param(upload_writer, single_writer, id="upload+single"),
    pytest.param(single_writer, grid_writer, id="single+grid"),
    pytest.param(single_writer, single_writer, id="single+single"),
]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_writers_filling_one_empty_day_cell_save_one_entry_and_refuse_the_other(
    postgres, cast, first, second
):
    item = item_of(cast.camp, DISCIPLINE)
    for day in DAYS:
        points = {0: "1", 1: "2"}
        results = race(first(cast, item, day, points[0]), second(cast, item, day, points[1]))
        one_saved_one_refused(
            results, trainee=cast.trainee_in_group_1, item=item, day=day, points=points
        )
    assert ScoreEntry.objects.filter(item=item).count() == ROUNDS


def test_a_grade_on_a_submission_and_a_grid_filling_the_same_month_leave_one_entry(postgres, cast):
    """Either order is right: grading first makes the cell the submission's, read-only on the
    grid, so the grid is refused; the grid first is edited by the grading into its grade."""
    trainee = cast.trainee_in_group_1
    item = item_of(cast.camp, REFLECTION)
    # The grading does more before its write, so without a head start the grid usually wins;
    # later rounds hold the grid back a little so that the grading wins too.
    for month, grid_delay in zip(MONTHS, (0, 0.05, 0.15), strict=True):
        submission = submission_create(
            trainee=trainee, item=item, by=cast.trainee_1, text="本月学习心得……", period=month
        )

        def grade(submission=submission):
            return submission_grade(submission=submission, points="18", comment="", by=cast.staff)

        grid_day = month.replace(day=14)  # the grid opened on any day of the month
        graded, gridded = race(grade, later(grid_writer(cast, item, grid_day, "15"), grid_delay))

        for result in (graded, gridded):
            if isinstance(result, Exception) and not isinstance(result, GridError):
                raise result  # a deadlock or an IntegrityError: a 500 for that writer
        assert isinstance(graded, Submission)  # grading edits a grid's grade, never refused
        entry = cell_entries(trainee, item, month).get()
        # The grading writes last or alone: the cell is its grade, linked to the submission.
        assert (entry.points, entry.source) == (Decimal("18.0"), Source.SUBMISSION)
        assert Submission.objects.get(pk=submission.pk).score_entry_id == entry.pk
        written = list(entry.history.order_by("history_date").values_list("points", flat=True))
        if isinstance(gridded, GridError):
            assert "18.0 分" in told(gridded)
            assert written == [Decimal("18.0")]
        else:
            assert gridded.created == 1
            assert written == [Decimal("15.0"), Decimal("18.0")]
    assert ScoreEntry.objects.filter(item=item).count() == ROUNDS
