"""The monthly summary (每月小结): every trainee's running score at a month's end, published whole.

`summary_run_start` records a SummaryRun and enqueues the job only once that record is
committed; if the broker cannot be reached the run says so ("任务服务不可用") and can be started
again. `monthly_summary_compute` is the job: it computes in a fixed number of queries (the
scores come from one grouped query over the entries; group and class figures are computed
from the rows being published), then publishes the month in ONE
transaction: delete the month's rows, insert the new ones. A crash before that transaction
leaves the previous results; a crash inside it rolls back.

Two runs of the same month may overlap (two staff clicking, a redelivered task). Publishing
locks the camp row, so the runs publish one after the other and each publish is whole; a run
that finds a newer run of the month already published does not overwrite it.

The "change" column is the trainee's total at the month's end minus their total at the previous
month's end, both computed from the entries as they are now (not the previous month's published
rows, which miss entries dated in that month but recorded after it was published). One grouped
query reads the entries for both days (`scores_and_earlier_totals`).

Progress is written three times (each write is a commit): at the start, when the rows are
computed and with the publication; in between only when `PROGRESS_EVERY` seconds have passed
since the last write, so that a long run still moves the status page's bar.

`SUMMARY_TEST_DELAY` (seconds, an environment variable, default 0): a pause between groups
while the rows are built, so that the worker tests can kill a worker in the middle of a run.
It is read here because the test drives a real worker process it cannot patch. Never set it in
production.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.models import Camp
from trainees.models import StudyGroup

from ..models import (
    MonthlySummaryRow,
    RunState,
    SummaryRun,
)
from ..rates import month_attendance
from .camp_scores import scores_and_earlier_totals, scores_as_of
from .months import (  # noqa: F401  (re-exported: callers import the month helpers from here)
    camp_months,
    first_of_month,
    month_end,
    parse_month,
    previous_month,
    validate_month,
)
from .scoring import shared_ranks
from .summary_publish import month_publish

logger = logging.getLogger(__name__)

BROKER_UNAVAILABLE = "任务服务不可用，请稍后重试"
# The job's hard time limit (tasks.compute_monthly_summary uses it). A run still queued or
# running after this long lost its worker: nothing will ever finish it, so it is called stale.
SUMMARY_TIME_LIMIT = datetime.timedelta(seconds=360)
STALE_RUN = "计算超过时限仍未完成，执行它的进程可能已中断，请重新计算"
TENTH = Decimal("0.1")
# Seconds between two progress writes in the middle of a run (the status page polls every 1.5 s).
PROGRESS_EVERY = 1.0


# Starting a run --------------------------------------------------------------------------------


def summary_run_start(*, camp: Camp, month: datetime.date, by=None) -> SummaryRun:
    """Record a run, then enqueue it once the record is committed. Never raises for a broker
    outage: the run is marked failed with the reason, and starting again retries."""
    month = first_of_month(month)
    validate_month(camp, month)
    with transaction.atomic():
        _fail_stale_runs(camp=camp, month=month)
        run = SummaryRun(camp=camp, month=month, requested_by=by)
        run.full_clean()
        run.save()
        transaction.on_commit(lambda: _enqueue(run.pk))
    run.refresh_from_db()
    return run


def _stale_runs(*, now: datetime.datetime | None = None):
    cutoff = (now or timezone.now()) - SUMMARY_TIME_LIMIT
    return SummaryRun.objects.filter(
        Q(state=RunState.RUNNING, started_at__lt=cutoff)
        | Q(state=RunState.QUEUED, queued_at__lt=cutoff)
    )


def run_is_stale(run: SummaryRun, *, now: datetime.datetime | None = None) -> bool:
    if run.state not in (RunState.QUEUED, RunState.RUNNING):
        return False
    since = run.started_at if run.state == RunState.RUNNING and run.started_at else run.queued_at
    return since < (now or timezone.now()) - SUMMARY_TIME_LIMIT


def _fail_stale_runs(*, camp: Camp, month: datetime.date) -> None:
    """A new run of the month replaces the ones no worker will finish, so they stop saying
    "running" forever."""
    _stale_runs().filter(camp=camp, month=month).update(
        state=RunState.FAILED, error=STALE_RUN, finished_at=timezone.now()
    )


def _enqueue(run_id: int) -> None:
    from kombu.exceptions import OperationalError as KombuOperationalError

    from ..tasks import compute_monthly_summary

    try:
        result = compute_monthly_summary.apply_async(args=[run_id])
    except (KombuOperationalError, ConnectionError, OSError, TimeoutError):
        logger.warning("monthly summary run %s: broker unreachable", run_id, exc_info=True)
        SummaryRun.objects.filter(pk=run_id).update(
            state=RunState.FAILED, error=BROKER_UNAVAILABLE, finished_at=timezone.now()
        )
        return
    except Exception:
        # In-process (eager) runs raise the job's own failure here; the run already says why.
        logger.exception("monthly summary run %s failed in process", run_id)
        return
    SummaryRun.objects.filter(pk=run_id, task_id="").update(task_id=result.id or "")


# The job ------------------------------------------------------------------------------------------


def _progress(run: SummaryRun | None, percent: int, **fields) -> None:
    if run is not None:
        SummaryRun.objects.filter(pk=run.pk).update(progress=percent, **fields)


class _Progress:
    """A run's progress: `write` always writes, `tick` only once `PROGRESS_EVERY` seconds have
    passed since the last write (a camp's rows take milliseconds to build; a commit per group
    cost more than the building)."""

    def __init__(self, run: SummaryRun | None):
        self.run = run
        self.written_at = time.monotonic()

    def write(self, percent: int, **fields) -> None:
        _progress(self.run, percent, **fields)
        self.written_at = time.monotonic()

    def tick(self, percent: int) -> None:
        if time.monotonic() - self.written_at >= PROGRESS_EVERY:
            self.write(percent)


def monthly_summary_compute(*, camp: Camp, month: datetime.date, run: SummaryRun | None = None):
    """Compute and publish the month's rows; returns the number of trainee rows published
    (0 when a newer run of the month had already published)."""
    month = first_of_month(month)
    end = month_end(month)
    progress = _Progress(run)
    progress.write(5, state=RunState.RUNNING, started_at=timezone.now(), error="")
    before = previous_month(month)
    previous: dict[int, Decimal] = {}
    if before >= camp.start_date:
        scores, previous = scores_and_earlier_totals(
            camp=camp, as_of=end, earlier=month_end(before)
        )
    else:
        scores = scores_as_of(camp=camp, as_of=end)
    # Each score carries the group its trainee belonged to on the month's last day (the dated
    # membership, read with the trainees).
    groups_at_end = {pk: score.group_id for pk, score in scores.items()}
    attendance = month_attendance(camp=camp, month=month, end=end, groups_at_end=groups_at_end)
    group_ids = list(
        StudyGroup.objects.filter(camp=camp).order_by("number").values_list("pk", flat=True)
    )
    progress.tick(20)

    # Group ranks within the group a trainee belonged to at the month's end.
    by_group: dict[int | None, dict[int, Decimal]] = {}
    for pk, score in scores.items():
        if score.ranked:
            by_group.setdefault(groups_at_end.get(pk), {})[pk] = score.total
    group_ranks: dict[int, int] = {}
    for group_id, totals in by_group.items():
        if group_id is not None:
            group_ranks.update(shared_ranks(totals))

    members: dict[int | None, list[int]] = {}
    for pk in scores:
        members.setdefault(groups_at_end.get(pk), []).append(pk)
    delay = float(os.environ.get("SUMMARY_TEST_DELAY", "0") or 0)
    rows: list[MonthlySummaryRow] = []
    parts = [*group_ids, None]
    for index, group_id in enumerate(parts, start=1):
        for pk in members.get(group_id, []):
            score = scores[pk]
            last = previous.get(pk)
            rows.append(
                MonthlySummaryRow(
                    camp=camp,
                    month=month,
                    trainee_id=pk,
                    group_id=group_id,
                    run=run,
                    theory=score.categories["theory"],
                    party_spirit=score.categories["party_spirit"],
                    capability=score.categories["capability"],
                    item_scores=score.item_scores_json(),
                    total=score.total,
                    assessed_points=score.assessed_points,
                    class_rank=score.class_rank if score.ranked else None,
                    group_rank=group_ranks.get(pk) if score.ranked else None,
                    change=None if last is None else score.total - last,
                    attendance_rate=attendance.cumulative.get(pk),
                )
            )
        if delay and group_id is not None:
            time.sleep(delay)
        progress.tick(20 + 70 * index // len(parts))
    progress.write(90)
    return month_publish(
        camp=camp, month=month, run=run, rows=rows, attendance=attendance, progress=progress
    )


def summary_run_execute(*, run_id: int) -> int:
    """What the task does: run the job for a recorded run, marking it failed (with the reason)
    if it raises. A run already done is not computed again (a duplicate delivery)."""
    run = SummaryRun.objects.select_related("camp").filter(pk=run_id).first()
    if run is None or run.state == RunState.DONE:
        return 0
    try:
        return monthly_summary_compute(camp=run.camp, month=run.month, run=run)
    except Exception as error:
        SummaryRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED,
            error=_("计算出错：%(error)s。请联系系统管理员后重试。") % {"error": error},
            finished_at=timezone.now(),
        )
        raise


def latest_runs(camp: Camp):
    return SummaryRun.objects.filter(camp=camp).select_related("requested_by").order_by("-pk")


def run_status(run: SummaryRun) -> dict:
    """The JSON the status page polls. A stale run counts as finished (nothing will move it)
    and says so; starting the month again recovers it."""
    stale = run_is_stale(run)
    return {
        "id": run.pk,
        "month": f"{run.month:%Y-%m}",
        "state": run.state,
        "state_label": str(run.get_state_display()),
        "progress": run.progress,
        "error": STALE_RUN if stale else run.error,
        "stale": stale,
        "finished": stale or run.state in (RunState.DONE, RunState.FAILED),
    }


@transaction.atomic
def monthly_class_text_save(*, camp: Camp, month: datetime.date, text: str, by):
    """The staff's written summary of the class for a month (one per month; edits are kept in
    its history)."""
    from ..models import MonthlyClassText

    month = first_of_month(month)
    validate_month(camp, month)
    record = MonthlyClassText.objects.select_for_update().filter(camp=camp, month=month).first()
    record = record or MonthlyClassText(camp=camp, month=month)
    record.text, record.author = (text or "").strip(), by
    record.full_clean()
    record._history_user = by
    record.save()
    return record
