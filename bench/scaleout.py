"""Scaling out: the monthly summary split over Celery workers, one task per camp.

`python -m bench.scaleout --scale N --workers 2` starts that many worker processes (one task at a
time each, as separate hosts would be) on Redis at 127.0.0.1 (its own database number, flushed
first), enqueues one run per camp the way the app does (`summary_run_start`, committed record
then `apply_async`), and waits for every run to finish. It prints one JSON line: wall time, the
tasks each worker took (from its log), a fingerprint of the published month (equal for one and two
workers means the same result), and what a reader polling during the run saw: the month's row
count per camp must always be whole (each camp's month is published in one transaction).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .db import ROOT, bench_environment, setup_django

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
TIMEOUT = 900


def fingerprint(month: datetime.date) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(string_agg(concat_ws('|', trainee_id, group_id, theory, party_spirit,
                       capability, total, assessed_points, class_rank, group_rank, change,
                       attendance_rate, item_scores::jsonb::text), ',' ORDER BY trainee_id))
            FROM assessment_monthlysummaryrow WHERE month = %s
            """,
            [month],
        )
        return cursor.fetchone()[0]


def start_workers(scale: int, count: int, logs: Path) -> list[subprocess.Popen]:
    env = bench_environment(
        scale, CELERY_BROKER_URL=REDIS_URL, CELERY_TASK_ALWAYS_EAGER="0", LOG_LEVEL="INFO"
    )
    workers = []
    for index in range(1, count + 1):
        log = open(logs / f"worker{index}.log", "w")  # noqa: SIM115 - closed with the process
        workers.append(
            subprocess.Popen(  # noqa: S603 - our own venv's celery
                [
                    os.path.join(os.path.dirname(sys.executable), "celery"),
                    "-A",
                    "camp",
                    "worker",
                    "-n",
                    f"bench{index}@%h",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "info",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_ready(logs: Path, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = sum(
            "ready." in (logs / f"worker{i}.log").read_text(errors="replace")
            for i in range(1, count + 1)
        )
        if ready == count:
            return
        time.sleep(0.3)
    raise RuntimeError("the Celery workers did not start within 60 s")


def run(scale: int, workers: int, month: datetime.date) -> dict:
    import redis
    from django.db.models import Count

    from assessment.models import MonthlySummaryRow, SummaryRun
    from assessment.services.summaries import summary_run_start
    from camp.jobs import JobState
    from camp.models import Camp
    from trainees.models import Trainee

    redis.Redis.from_url(REDIS_URL).flushdb()
    camps = list(Camp.objects.order_by("code"))
    expected = {
        row["camp_id"]: row["n"]
        for row in Trainee.objects.values("camp_id").annotate(n=Count("pk"))
    }
    with tempfile.TemporaryDirectory() as folder:
        logs = Path(folder)
        processes = start_workers(scale, workers, logs)
        try:
            wait_ready(logs, workers)
            first_run = SummaryRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            started = time.perf_counter()
            for camp in camps:
                summary_run_start(camp=camp, month=month)
            partial_seen = 0
            polls = 0
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                counts = dict(
                    MonthlySummaryRow.objects.filter(month=month)
                    .values_list("camp_id")
                    .annotate(n=Count("pk"))
                )
                polls += 1
                partial_seen += sum(
                    1 for camp_id, n in counts.items() if n not in (0, expected.get(camp_id))
                )
                runs = SummaryRun.objects.filter(pk__gt=first_run)
                if not runs.exclude(state__in=[JobState.DONE, JobState.FAILED]).exists():
                    break
                time.sleep(0.1)
            seconds = time.perf_counter() - started
            failed = runs.filter(state=JobState.FAILED).count()
        finally:
            stop_workers(processes)
        per_worker = {}
        for index in range(1, workers + 1):
            text = (logs / f"worker{index}.log").read_text(errors="replace")
            per_worker[f"bench{index}"] = len(
                re.findall(r"compute_monthly_summary\[[^\]]+\] succeeded", text)
            )
    return {
        "workers": workers,
        "camps": len(camps),
        "seconds": seconds,
        "tasks_per_worker": per_worker,
        "failed": failed,
        "fingerprint": fingerprint(month),
        "polls": polls,
        "partial_months_seen": partial_seen,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--month", default="2026-12")
    args = parser.parse_args()
    setup_django(args.scale, CELERY_BROKER_URL=REDIS_URL, CELERY_TASK_ALWAYS_EAGER="0")
    month = datetime.datetime.strptime(args.month, "%Y-%m").date()  # noqa: DTZ007
    print(json.dumps(run(args.scale, args.workers, month)))


if __name__ == "__main__":
    main()
