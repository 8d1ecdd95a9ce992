"""The monthly summary (每月小结): every trainee's running score at a month's end, published whole.

`summary_run_start` records a SummaryRun (a `camp.jobs.Job`) and enqueues the job only once
that record is committed; if the broker cannot be reached the run says so and can be started
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
import os
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from camp.jobs import JobState, job_enqueue_on_commit, job_fail, jobs_fail_stale
from camp.models import Camp
from camp.months import first_of_month, month_end, previous_month, validate_month
from trainees.models import StudyGroup

from ..models import MonthlySummaryRow, SummaryRun
from ..rates import month_attendance
from ..scoring import shared_ranks
from ..standing_selectors import scores_and_earlier_totals, scores_as_of
from .summary_publish import month_publish

# A run that raised: the msgid stored (camp.jobs shows it translated), with the error.
COMPUTE_FAILED = gettext_noop("计算出错：%(error)s。请联系系统管理员后重试。")
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
        job_enqueue_on_commit(run)
    run.refresh_from_db()
    return run


def _fail_stale_runs(*, camp: Camp, month: datetime.date) -> None:
    """A new run of the month replaces the ones no worker will finish, so they stop saying
    "running" forever."""
    jobs_fail_stale(SummaryRun.objects.filter(camp=camp, month=month))


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
    progress.write(5, state=JobState.RUNNING, started_at=timezone.now(), error="", error_params={})
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

    # A month counts those who belonged by its end: a replacement has no row before the month
    # of their admission, and no change from a month before it (scheme: membership and dates).
    members: dict[int | None, list[int]] = {}
    for pk, score in scores.items():
        if score.admitted_on is None or score.admitted_on <= end:
            members.setdefault(groups_at_end.get(pk), []).append(pk)
    before_end = month_end(before)
    delay = float(os.environ.get("SUMMARY_TEST_DELAY", "0") or 0)
    rows: list[MonthlySummaryRow] = []
    parts = [*group_ids, None]
    for index, group_id in enumerate(parts, start=1):
        for pk in members.get(group_id, []):
            score = scores[pk]
            member_before = score.admitted_on is None or score.admitted_on <= before_end
            last = previous.get(pk) if member_before else None
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
    if run is None or run.state == JobState.DONE:
        return 0
    try:
        return monthly_summary_compute(camp=run.camp, month=run.month, run=run)
    except Exception as error:
        job_fail(run, COMPUTE_FAILED, {"error": str(error)})
        raise


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
