"""The monthly summary through a real `celery -A camp worker` on Redis and PostgreSQL.

The worker is a separate process reading the SAME test database (hence transactional tests:
it only sees committed rows). Each test uses its own queue, on a Redis database of its own
(WORKER_REDIS_DB), so that another suite's worker never takes our tasks and restoring our
unacknowledged tasks never touches anyone else's.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

import pytest
from django.db import connection

from assessment.models import ClassMonthlySummary, MonthlySummaryRow, SummaryRun
from assessment.services.summaries import monthly_summary_compute, summary_run_start
from camp.celery import app
from camp.jobs import JobState
from tests.factories import TraineeFactory

from .conftest import raw_entry

MARCH = datetime.date(2026, 3, 1)
WORKER_REDIS_DB = 11
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(90)]


def _point_app_at(broker_url: str, *, queue: str, eager: bool) -> None:
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = eager
    app.conf.task_default_queue = queue
    # The producer pool and the router were built for the old broker: build them again.
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def broker(redis_url):
    parsed = urlparse(redis_url)
    url = urlunparse(parsed._replace(path=f"/{WORKER_REDIS_DB}"))
    queue = f"summary-test-{uuid.uuid4().hex[:10]}"
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    _point_app_at(url, queue=queue, eager=False)
    yield {"url": url, "queue": queue}
    _point_app_at(saved[0], queue=saved[2], eager=saved[1])
    import redis

    client = redis.Redis.from_url(url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{s['NAME']}"


def _start_worker(broker: dict, **env) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "camp.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker["url"],
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        **{key: str(value) for key, value in env.items()},
    }
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "camp", "worker", "-P", "threads", "-c", "2"]
    quiet = ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    return subprocess.Popen(
        [*command, "-Q", broker["queue"], *quiet],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, killed whole
    )


def _kill(worker: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
    worker.wait(timeout=15)


@pytest.fixture
def workers():
    started: list[subprocess.Popen] = []
    yield started
    for worker in started:
        _kill(worker)


def _wait_for(predicate, timeout=40.0, what="the run"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _state(run) -> SummaryRun:
    return SummaryRun.objects.get(pk=run.pk)


def _class_of(cast, size: int) -> list:
    """The cast's two trainees and `size` more, with entries spread over the groups."""
    groups = list(cast.camp.groups.order_by("number"))
    trainees = [cast.trainee_in_group_1, cast.trainee_in_group_2]
    trainees += [TraineeFactory(camp=cast.camp, group=groups[n % 6]) for n in range(size)]
    for n, trainee in enumerate(trainees):
        raw_entry(trainee, 3, str(5 + n % 5), datetime.date(2026, 3, 10))
    return trainees


def _assert_month_whole(cast, run, trainees) -> None:
    rows = MonthlySummaryRow.objects.filter(camp=cast.camp, month=MARCH)
    assert rows.count() == len(trainees)
    assert set(rows.values_list("trainee_id", flat=True)) == {t.pk for t in trainees}
    assert set(rows.values_list("run_id", flat=True)) == {run.pk}
    assert ClassMonthlySummary.objects.filter(camp=cast.camp, month=MARCH).count() == 1


def test_a_real_worker_computes_the_month(postgres, cast, broker, workers):
    trainees = _class_of(cast, 6)
    run = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    assert _state(run).state == JobState.QUEUED  # recorded and enqueued, not run in-process
    workers.append(_start_worker(broker))
    _wait_for(lambda: _state(run).state == JobState.DONE)
    _assert_month_whole(cast, run, trainees)
    row = MonthlySummaryRow.objects.get(trainee=trainees[2], month=MARCH)
    assert row.item_scores["3"] == "7.0"


def test_a_worker_killed_mid_summary_leaves_the_month_whole_after_restart(
    postgres, cast, broker, workers
):
    trainees = _class_of(cast, 6)
    earlier = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    monthly_summary_compute(camp=cast.camp, month=MARCH, run=earlier)
    run = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    # Slow: a second between groups, so the kill lands while the rows are being built.
    first = _start_worker(broker, SUMMARY_TEST_DELAY=1)
    workers.append(first)
    _wait_for(lambda: _state(run).progress >= 30, what="the run to be halfway")
    _kill(first)
    assert _state(run).state == JobState.RUNNING
    _assert_month_whole(cast, earlier, trainees)  # the previous results, intact

    # Redis gives the unacknowledged task back once it is older than the visibility timeout.
    time.sleep(1.5)
    workers.append(_start_worker(broker, CELERY_VISIBILITY_TIMEOUT=1))
    _wait_for(lambda: _state(run).state == JobState.DONE, what="the redelivered run")
    _assert_month_whole(cast, run, trainees)


def test_the_same_summary_started_twice_at_once_publishes_one_run_whole(
    postgres, cast, broker, workers
):
    trainees = _class_of(cast, 10)
    one = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    two = summary_run_start(camp=cast.camp, month=MARCH, by=cast.staff)
    workers.append(_start_worker(broker, SUMMARY_TEST_DELAY=0.2))
    _wait_for(lambda: {_state(one).state, _state(two).state} == {JobState.DONE})
    winners = set(MonthlySummaryRow.objects.filter(month=MARCH).values_list("run_id", flat=True))
    assert len(winners) == 1
    _assert_month_whole(cast, SummaryRun.objects.get(pk=winners.pop()), trainees)
