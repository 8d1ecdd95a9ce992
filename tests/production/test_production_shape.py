"""What production runs, tried as a user meets it: gunicorn with `DJANGO_ENV=production` behind
a (simulated) HTTPS proxy, a Celery worker and Celery beat on Redis and PostgreSQL.

Staff log in, save a grid, start a monthly summary that the worker computes, and download a
background export the worker built. Then the worker is killed with SIGKILL in the middle of a
summary; the month keeps its previous rows whole, and a new worker (with a short visibility
timeout, so that Redis hands the unacknowledged task back within the test) completes it with
one row per trainee.
"""

from __future__ import annotations

import datetime
import re
import signal
import time
from decimal import Decimal

import pytest

from . import stack
from .client import Client, Response, workbook_cells

# The first test also waits for the deployment: migrate, collectstatic and the demo camp.
pytestmark = pytest.mark.timeout(600)
CAMP = stack.CAMP
# The demo's "today" (seed_demo's default): its months up to November have data.
DEMO_TODAY = datetime.date(2026, 11, 30)
# Seconds the slowed worker pauses after each group's rows: six groups, so a summary takes
# several seconds and the kill lands while it builds its rows (a demo camp's month takes
# well under a second otherwise). Read by assessment/services/summaries.py; never in production.
SLOW_GROUPS = 1.5


# The database, read directly: what the pages cannot show (which run each row came from). ------


def published_month(site, month: datetime.date) -> dict[int, tuple]:
    """{trainee id: (run id, item scores)} of the month's published rows, after checking that no
    trainee has two."""
    rows = site.query(
        "SELECT r.trainee_id, r.run_id, r.item_scores FROM assessment_monthlysummaryrow r"
        " JOIN camp_camp c ON c.id = r.camp_id WHERE c.code = %s AND r.month = %s",
        CAMP,
        month,
    )
    by_trainee = {trainee: (run, scores) for trainee, run, scores in rows}
    assert len(by_trainee) == len(rows), "a trainee has two rows in the month"
    return by_trainee


def camp_trainees(site) -> set[int]:
    rows = site.query(
        "SELECT t.id FROM trainees_trainee t JOIN camp_camp c ON c.id = t.camp_id"
        " WHERE c.code = %s",
        CAMP,
    )
    return {pk for (pk,) in rows}


def assert_month_whole(site, month: datetime.date, run_id: int) -> dict[int, tuple]:
    """Every trainee once, every row, group figure and class figure from one run."""
    rows = published_month(site, month)
    assert set(rows) == camp_trainees(site)
    assert {run for run, _scores in rows.values()} == {run_id}
    figures = site.query(
        "SELECT (SELECT array_agg(s.run_id) FROM assessment_classmonthlysummary s"
        "         WHERE s.camp_id = c.id AND s.month = %s),"
        "       (SELECT array_agg(g.run_id ORDER BY g.group_id) FROM"
        "         assessment_groupmonthlysummary g WHERE g.camp_id = c.id AND g.month = %s),"
        "       (SELECT count(*) FROM trainees_studygroup sg WHERE sg.camp_id = c.id)"
        " FROM camp_camp c WHERE c.code = %s",
        month,
        month,
        CAMP,
    )
    (class_runs, group_runs, groups) = figures[0]
    assert class_runs == [run_id]
    assert group_runs == [run_id] * groups
    return rows


# Through HTTP, as staff would. ---------------------------------------------------------------


def wait_for_status(site, client: Client, url: str, done, *, what: str, timeout=60.0):
    def check():
        status = client.get(url).json()
        return status if done(status) else None

    return stack.wait_for(
        check,
        timeout=timeout,
        what=what,
        processes=site.processes,
    )


def start_summary(client: Client, month: datetime.date) -> tuple[int, str]:
    """Start the month from the summaries page; returns the run's id and its status URL (the
    one the run page's script polls)."""
    page = client.get(f"/camps/{CAMP}/summaries/")
    form = next(f for f in page.forms if any(x.attrs.get("type") == "month" for x in f.fields))
    month_field = next(x for x in form.fields if x.attrs.get("type") == "month")
    run_page = client.submit(page, form, **{month_field.name: f"{month:%Y-%m}"})
    assert run_page.status == 200, run_page.text[:500]
    run_id = int(re.search(r"/summaries/runs/(\d+)/", run_page.url).group(1))
    status_url = re.search(r'data-status-url="([^"]+)"', run_page.text).group(1)
    return run_id, status_url


def summary_done(site, client: Client, month: datetime.date) -> int:
    run_id, status_url = start_summary(client, month)
    status = wait_for_status(
        site, client, status_url, lambda s: s["finished"], what=f"summary run {run_id}"
    )
    assert status["state"] == "done", status
    return run_id


def open_deduction_grid(client: Client) -> tuple[Response, int, datetime.date]:
    """The first group's grid of the first deduction item (扣分项: its score is the maximum
    less the entries, so an entry of 1 lowers it by exactly 1) on the demo's last training day.
    The start form is read from the page: its two lists (group, item) and its date field."""
    start = client.get(f"/camps/{CAMP}/assessment/grid/")
    form = next(f for f in start.forms if f.method == "get")
    day_field = next(x for x in form.fields if x.kind == "date")
    item_field = next(x for x in form.fields if x.kind == "select" and "item" in x.name)
    days = [datetime.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", start.text)]
    day = max(d for d in days if d <= DEMO_TODAY)
    for value, _label in item_field.options:
        grid = client.submit(start, form, **{item_field.name: value, day_field.name: day})
        if grid.status == 200 and "扣分项" in grid.text:
            number = int(re.search(r"/grid/\d+/(\d+)/", grid.url).group(1))
            return grid, number, day
    raise AssertionError("no deduction item offered on the grid")


def _is_cell(field) -> bool:
    return field.attrs.get("inputmode") == "decimal"


def save_one_cell(client: Client, grid: Response, *, choose) -> int:
    """Fill one empty cell (the first trainee `choose` accepts) with 1 and save the whole
    grid as the page's form submits it; returns the trainee's id."""
    form = next(f for f in grid.forms if any(_is_cell(x) for x in f.fields))
    cells = [x for x in form.fields if _is_cell(x)]
    reason = next(x for x in form.fields if x.required and x not in cells)
    cell = next(x for x in cells if not x.value and choose(int(re.search(r"\d+", x.name)[0])))
    values = {cell.name: "1", reason.name: "生产环境演练"}
    saved = client.submit(grid, form, follow=False, **values)
    # Saved, the page redirects to itself; refused, it answers 200 with the errors.
    assert saved.status == 302, saved.text[:2000]
    again = client.get(saved.headers["Location"])
    again_form = next(f for f in again.forms if any(_is_cell(x) for x in f.fields))
    assert Decimal(again_form.field(cell.name).value) == 1  # read back from the database
    return int(re.search(r"\d+", cell.name)[0])


def background_export(site, client: Client, kind: str, month: datetime.date) -> bytes:
    """Start a background export on "my exports", follow its status as the page's script does,
    then download it from the page's link."""
    page = client.get("/exports/mine/")
    form = next(f for f in page.forms if any(x.name == "kind" for x in f.fields))
    month_field = next(x for x in form.fields if x.attrs.get("type") == "month")
    page = client.submit(page, form, kind=kind, **{month_field.name: f"{month:%Y-%m}"})
    status_urls = re.findall(r'data-export-status="([^"]+)"', page.text)
    assert len(status_urls) == 1, page.text[:2000]  # ours, queued for the worker
    status = wait_for_status(
        site,
        client,
        status_urls[0],
        lambda s: s["state"] in ("done", "failed"),
        what="the background export",
    )
    assert status["ready"], status
    page = client.get("/exports/mine/")
    link = re.search(r'href="(/exports/jobs/\d+/download/)"', page.text).group(1)
    download = client.get(link)
    assert download.status == 200
    return download.body


# The tests --------------------------------------------------------------------------------------


def test_production_settings_are_in_force(site):
    """Nothing weakened for the test: plain HTTP is sent to HTTPS, the cookies are secure."""
    client = site.client()
    plain = client.request("GET", "/login/", https=False)
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://{stack.SITE}/login/"
    page = client.request("GET", "/login/")
    assert page.status == 200
    assert "Strict-Transport-Security" in page.headers
    assert "secure" in page.headers["Set-Cookie"].lower()


def test_staff_save_a_grid_summarize_the_month_and_download_an_export(site):
    client = site.staff()

    grid, number, day = open_deduction_grid(client)
    month = day.replace(day=1)
    before_run = summary_done(site, client, month)
    before = assert_month_whole(site, month, before_run)

    def room_for_one_point(trainee: int) -> bool:
        score = before.get(trainee, (None, {}))[1].get(str(number))
        return score is not None and Decimal(score) >= 1

    trainee = save_one_cell(client, grid, choose=room_for_one_point)

    run = summary_done(site, client, month)  # computed by the worker, not by gunicorn
    assert run != before_run
    after = assert_month_whole(site, month, run)
    item_before = Decimal(before[trainee][1][str(number)])
    assert Decimal(after[trainee][1][str(number)]) == item_before - 1  # the grid's entry counted
    assert "compute_monthly_summary" in site.worker.log.read_text()

    exported = background_export(site, client, "monthly", month)
    assert "build_export" in site.worker.log.read_text()
    sheets = workbook_cells(exported)
    direct = client.get(f"/camps/{CAMP}/exports/monthly/?month={month:%Y-%m}")
    assert direct.status == 200
    assert sheets == workbook_cells(direct.body)  # the worker's file is the page's workbook
    trainee_sheet = next(iter(sheets.values()))
    assert sum(1 for row in trainee_sheet if isinstance(row[0], int)) == len(after)

    assert site.beat.alive  # beat ran beside them all along, keeping its schedule on disk
    assert any(site.deployment.folder.glob("celerybeat-schedule*"))


def test_a_worker_killed_mid_summary_leaves_the_month_whole_and_another_finishes_it(site):
    client = site.staff()
    month = datetime.date(2026, 10, 1)
    previous = summary_done(site, client, month)
    assert_month_whole(site, month, previous)

    # A worker stopped with TERM takes nothing new and exits (a deployment's restart).
    site.worker.send_signal(signal.SIGTERM)
    assert site.worker.popen.wait(timeout=30) == 0, site.worker.tail()
    slow = site.start_worker("worker2", SUMMARY_TEST_DELAY=SLOW_GROUPS)

    run_id, status_url = start_summary(client, month)
    status = wait_for_status(
        site,
        client,
        status_url,
        lambda s: s["state"] == "running" and s["progress"] >= 20,
        what="the run to be building its rows",
        timeout=60,
    )
    slow.kill(signal.SIGKILL)  # kill -9, the whole process group, mid-summary
    killed_at = time.monotonic()
    status = client.get(status_url).json()
    assert status["state"] == "running", status  # killed before it published
    assert_month_whole(site, month, previous)  # the previous results, whole

    # The task was not acknowledged: Redis hands it to a worker once it is older than the
    # visibility timeout (short here; an hour in production).
    visibility = 2
    time.sleep(max(0.0, visibility + 0.5 - (time.monotonic() - killed_at)))
    again = site.start_worker("worker3", CELERY_VISIBILITY_TIMEOUT=visibility)
    status = wait_for_status(
        site, client, status_url, lambda s: s["finished"], what="the redelivered run"
    )
    assert status["state"] == "done", status
    assert "compute_monthly_summary" in again.log.read_text()
    assert_month_whole(site, month, run_id)
    assert site.beat.alive
    assert site.web.alive
