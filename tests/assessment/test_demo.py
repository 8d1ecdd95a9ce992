"""The assessment's part of the demo camp: a believable year, computed by the job, whose every
page and workbook agrees on each figure; and the whole demo seeded again, which must tell the
same story.

The module's tests share one demo, seeded once (`--today 2026-11-30`, on 3 December 2026 of the
real calendar) and rolled back when the module ends: a full seed costs about twenty seconds.
Each test runs in a savepoint, so the tests that seed again compare against the shared seed and
leave it as it was.
"""

import datetime
import io
import re
import zoneinfo
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse

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
from camp.models import Camp
from camp.workbooks import ExportRequest, build_export
from curriculum.models import LeaveRequest, LeaveStatus
from oversight.models import ShortlistRound
from tests.camp.demo_snapshot import snapshot, summary_workbooks
from trainees.models import Candidate, Trainee, TraineeStatus

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# The module's tests share one seed: on one worker, or each worker would seed the demo again.
pytestmark = pytest.mark.xdist_group("seeded_demo")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--today", "2026-11-30", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_year(django_db_setup, django_db_blocker):
    """The seeded demo, shared by the module. Each test still runs in its own savepoint (the
    `db` fixture), so what one test writes never reaches the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=SHANGHAI), tick=False):
            seed()
        yield
        transaction.set_rollback(True)


NOVEMBER = datetime.date(2026, 11, 1)


def _figure(text: str) -> Decimal | None:
    text = re.sub(r"<[^>]+>", "", text).strip()
    return None if text in ("", "—") else Decimal(text)


def _row(html: str, marker: str) -> str:
    match = re.search(rf"<tr {marker}[^>]*>(.*?)</tr>", html, re.S)
    assert match, marker
    return match.group(1)


def _cells(row_html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)


def _rate_in(row_html: str) -> Decimal | None:
    match = re.search(r"<(?:td|span) data-rate>(.*?)</(?:td|span)>", row_html, re.S)
    assert match, row_html
    return _figure(match.group(1))


def _workbook(kind: str, camp, user) -> openpyxl.Workbook:
    workbook, _ = build_export(kind, ExportRequest(camp=camp, user=user, month=NOVEMBER))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _dashboard_rate(html: str, month: str) -> Decimal | None:
    for row in re.findall(r'<tr data-testid="attendance-row">(.*?)</tr>', html, re.S):
        cells = _cells(row)
        if cells[0].strip() == month:
            return _figure(cells[1])
    raise AssertionError(f"no attendance row for {month}")


def test_the_demo_has_a_varied_year_of_scores_reviews_contests_comments_and_summaries(
    demo_year, db
):

    entries = ScoreEntry.objects.filter(trainee__camp__code="2026")
    assert entries.count() > 5000
    assert entries.aggregate(last=Max("date"))["last"] <= datetime.date(2026, 11, 30)
    assert ScoreEntry.history.count() >= entries.count()  # bulk-written with history
    # Every hand-entered and graded entry fills its own cell: the cell migration finds nothing
    # to merge in the demo.
    assert not entries.exclude(source=Source.ATTENDANCE).filter(cell="").exists()
    assert fill_entry_cells(ScoreEntry, ScoreEntry.history.model, Submission) == []

    months = list(ClassMonthlySummary.objects.order_by("month").values_list("month", flat=True))
    assert months == [datetime.date(2026, m, 1) for m in range(1, 12)]
    assert not SummaryRun.objects.exclude(state=JobState.DONE).exists()

    november = MonthlySummaryRow.objects.filter(month=datetime.date(2026, 11, 1))
    spread = november.aggregate(low=Min("total"), high=Max("total"))
    assert spread["high"] - spread["low"] > 30  # real variation between trainees
    group_averages = GroupMonthlySummary.objects.filter(
        month=datetime.date(2026, 11, 1)
    ).values_list("average_total", flat=True)
    assert len(group_averages) == 6
    assert max(group_averages) - min(group_averages) > 3  # and between groups

    assert WeeklyReview.objects.count() > 6 * 30
    contests = Contest.objects.all()
    assert contests.count() == 2
    assert all(c.status == ContestStatus.CLOSED for c in contests)
    assert entries.filter(item__number=20).exists()
    assert LeaderComment.objects.count() >= 3


def test_every_page_and_workbook_shows_one_figure_per_label(demo_year, client, db):
    """One definition per figure: every page and workbook that shows November's attendance rate
    or average of a group or the class shows the same number (issue 12 §3)."""
    camp = Camp.objects.get(code="2026")
    users = get_user_model().objects
    staff, counselor = users.get(username="staff"), users.get(username="counselor1")
    group = camp.groups.get(number=1)

    client.force_login(staff)
    summary = client.get(
        reverse("assessment-summary-month", args=[camp.code, "2026-11"])
    ).content.decode()
    attendance = client.get(
        reverse("curriculum-attendance", args=[camp.code]), {"month": "2026-11"}
    ).content.decode()
    class_dashboard = client.get(reverse("camp-dashboard", args=[camp.code])).content.decode()
    book = _workbook("monthly", camp, staff)
    client.force_login(counselor)
    group_dashboard = client.get(reverse("counselor-home")).content.decode()

    # Group 1's November rate: the summary page, the attendance page for November, the
    # counselor's dashboard and the monthly workbook.
    group_sheet = {row[0]: row for row in book["小组平均"].iter_rows(min_row=3, values_only=True)}
    group_line = group_sheet[str(group)]
    summary_group = _row(summary, 'data-group="1"')
    rate = _rate_in(summary_group)
    assert rate is not None
    assert _rate_in(_row(attendance, 'data-group="1"')) == rate
    assert _dashboard_rate(group_dashboard, "2026-11") == rate
    assert Decimal(str(group_line[-1])) == rate

    # The class's November rate: the same four places.
    class_rate = _figure(
        re.search(r'data-testid="class-attendance-rate">(.*?)</div>', summary, re.S).group(1)
    )
    assert class_rate is not None
    assert _rate_in(_row(attendance, 'data-group="class"')) == class_rate
    assert _dashboard_rate(class_dashboard, "2026-11") == class_rate
    assert Decimal(str(group_sheet["全班"][-1])) == class_rate

    # Averages and the median: the summary page and the workbook agree, and the workbook's
    # class average and median are those of its own rows (rounded half-up to 0.1).
    group_average = _figure(_cells(summary_group)[2])
    assert Decimal(str(group_line[2])) == group_average
    class_average = _figure(re.search(r"平均总分<div[^>]*>(.*?)</div>", summary, re.S).group(1))
    assert Decimal(str(group_sheet["全班"][2])) == class_average
    median_shown = _figure(re.search(r"中位数<div[^>]*>(.*?)</div>", summary, re.S).group(1))
    ranking = _workbook("ranking", camp, staff)
    ranked = [
        Decimal(str(row[3]))
        for row in ranking["班级排名"].iter_rows(min_row=3, values_only=True)
        if row[0] is not None
    ]
    from assessment.rates import mean, median

    assert mean(ranked) == class_average
    assert median(ranked) == median_shown
    in_group = [
        Decimal(str(row[3]))
        for row in ranking["小组排名"].iter_rows(min_row=3, values_only=True)
        if row[0] == str(group) and row[1] is not None
    ]
    assert mean(in_group) == group_average

    client.force_login(staff)
    # A figure for the year so far says so wherever it is shown.
    assert "累计出勤率" in summary
    assert (
        "累计出勤率"
        in client.get(reverse("curriculum-attendance", args=[camp.code])).content.decode()
    )
    student_header = [cell.value for cell in book["学员"][2]]
    assert "累计出勤率（%）" in student_header
    # After a second month, "—" in 较上月 means only "no earlier figure".
    changes = re.findall(
        r'<td class="text-end">([^<]*)</td><td class="text-end">[^<]*</td></tr>', summary
    )
    assert changes
    assert "—" not in changes


def _values(book: openpyxl.Workbook) -> dict[str, list[tuple]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_demo_holds_three_graduated_editions_whose_figures_are_the_apps_own(demo_year, db):
    from assessment.models import Graduation
    from assessment.rates import mean
    from assessment.standing import camp_standing
    from camp.models import CampStatus
    from oversight.editions_selectors import edition_figures
    from trainees.models import Person

    camps = list(Camp.objects.filter(code__in=["2023", "2024", "2025"]).order_by("year"))
    assert [(c.code, c.status) for c in camps] == [
        (code, CampStatus.FINISHED) for code in ("2023", "2024", "2025")
    ]
    assert Camp.objects.get(code="2026").status == CampStatus.RUNNING
    users = get_user_model().objects.filter(username__regex=r"^y20\d\dt\d{3}$")
    assert users.filter(username="y2023t001").exists()
    assert users.filter(username="y2025t001").exists()
    assert not users.filter(is_active=True).exists()
    # Persons nominated in one edition and admitted in the next (the retention rules need them).
    assert Person.objects.annotate(n=Count("candidacies")).filter(n__gt=1).count() >= 3
    for camp, figures in zip(camps, edition_figures(camps), strict=True):
        assert camp.graduated_on is not None
        final = Graduation.objects.filter(trainee__camp=camp, certificate_number__isnull=False)
        assert final.count() == figures.graduates > 0
        assert Graduation.objects.filter(trainee__camp=camp, graduates=False).count() >= 1
        assert 0.12 <= figures.outstanding / figures.graduates <= 0.16
        assert figures.withdrawn >= 1
        # As the ranking shows the edition on its graduation day.
        ranked = [s.total for s in camp_standing(camp, camp.graduation_date).values() if s.ranked]
        assert figures.total_average == mean(ranked)
        assert sum(share.count for share in figures.distribution) == len(ranked)
        assert figures.attendance_rate is not None


def test_the_older_editions_change_no_2026_figure(demo_year, db, monkeypatch):
    """The 2026 monthly and ranking workbooks are the same when the demo is seeded without the
    older editions: they draw from generators of their own, after the 2026 steps."""
    from camp import demo

    camp = Camp.objects.get(code="2026")
    staff = get_user_model().objects.get(username="staff")
    with_them = {kind: _values(_workbook(kind, camp, staff)) for kind in ("monthly", "ranking")}
    past_steps = {"build_past_editions", "build_past_curriculum", "build_past_assessment"}
    monkeypatch.setattr(
        demo, "DEMO_STEPS", [s for s in demo.DEMO_STEPS if s.build.__name__ not in past_steps]
    )
    seed()
    assert not Camp.objects.filter(code__in=["2023", "2024", "2025"]).exists()
    camp = Camp.objects.get(code="2026")
    staff = get_user_model().objects.get(username="staff")
    without = {kind: _values(_workbook(kind, camp, staff)) for kind in ("monthly", "ranking")}
    assert with_them == without


@pytest.mark.slow
def test_the_whole_demo_rebuilds_the_same_story_whatever_the_real_day(demo_year, db):
    """Every app's steps, seeded twice: other apps' data hangs off the demo camp, some of it
    PROTECTed, so the rebuild must take it all apart and build the same demo again. Seeded on 3
    December (the shared seed) and again in March of the real calendar, `--today 2026-11-30`
    gives the same months, cell for cell: the seed dates everything from its today, never from
    the clock. The shared seed may be the first in a fresh database, where rows lie on disk in
    another order than after a rebuild: the story may not depend on that either."""
    # The story is the one the demo means: most leave is closed in time.
    approved = LeaveRequest.objects.filter(trainee__camp__code="2026", status=LeaveStatus.APPROVED)
    unclosed = ScoreEntry.objects.filter(
        trainee__camp__code="2026", source_key__startswith="leave-unclosed:"
    )
    assert 0 < unclosed.count() < approved.count() * 0.3
    # Nothing the seed dates lies after its today, though the clock said 3 December.
    after_today = datetime.datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert not approved.filter(closed_at__gte=after_today).exists()
    assert not approved.filter(decided_at__gte=after_today).exists()
    assert not Candidate.objects.filter(decided_at__gte=after_today).exists()
    shortlist_round = ShortlistRound.objects.get(camp__code="2026")
    assert shortlist_round.figures_taken_at < after_today
    assert not shortlist_round.entries.filter(decided_at__gte=after_today).exists()

    first = snapshot()
    in_december = summary_workbooks()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI), tick=False):
        output = seed()
    assert "t001…t150" in output
    assert snapshot() == first
    assert Trainee.objects.filter(camp__code="2026", status=TraineeStatus.ACTIVE).count() == 150
    in_march = summary_workbooks()
    assert len(in_march) == 2 * 11  # January to November, two workbooks each
    assert in_march == in_december
