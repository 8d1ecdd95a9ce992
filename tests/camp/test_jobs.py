"""Background jobs (camp/jobs.py): one state machine for every kind, one broker-down message,
recovery of a stale job of every kind, and errors shown in the reader's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import ExportJob, SummaryRun
from camp.jobs import (
    BROKER_UNAVAILABLE,
    JobState,
    job_models,
    job_status,
    stale_jobs_recover,
    translate_error,
)
from camp.tasks import recover_stale_jobs

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
OUTSIDE = "%(month)s 不在本期培训时间内（%(start)s 至 %(end)s），请重新选择月份。"


def _long_ago(model) -> datetime.datetime:
    return timezone.now() - model.time_limit - datetime.timedelta(minutes=1)


def test_every_kind_of_job_shares_one_state_machine():
    assert {SummaryRun, ExportJob} <= set(job_models())
    for model in (SummaryRun, ExportJob):
        assert model._meta.get_field("state").choices == JobState.choices


def test_the_beat_task_fails_stale_jobs_of_every_kind_and_leaves_live_ones(cast):
    dead_run = SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, started_at=_long_ago(SummaryRun)
    )
    live_run = SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, started_at=timezone.now()
    )
    dead_export = ExportJob.objects.create(user=cast.staff, camp=cast.camp, kind="attendance")
    ExportJob.objects.filter(pk=dead_export.pk).update(created_at=_long_ago(ExportJob))
    live_export = ExportJob.objects.create(user=cast.staff, camp=cast.camp, kind="attendance")

    assert recover_stale_jobs() == 2

    for job in (dead_run, live_run, dead_export, live_export):
        job.refresh_from_db()
    assert (dead_run.state, dead_run.error) == (JobState.FAILED, SummaryRun.stale_error)
    assert (dead_export.state, dead_export.error) == (JobState.FAILED, ExportJob.stale_error)
    assert dead_export.finished_at is not None
    assert live_run.state == JobState.RUNNING
    assert live_export.state == JobState.QUEUED
    assert stale_jobs_recover() == {"assessment.SummaryRun": 0, "assessment.ExportJob": 0}


def test_a_stale_export_reports_failed_so_the_page_stops_polling(client, cast):
    job = ExportJob.objects.create(
        user=cast.staff, camp=cast.camp, kind="attendance", state=JobState.RUNNING, progress=40
    )
    ExportJob.objects.filter(pk=job.pk).update(started_at=_long_ago(ExportJob))
    client.force_login(cast.staff)
    status = client.get(reverse("export-job-status", args=[job.pk])).json()
    assert (status["state"], status["state_label"]) == ("failed", "失败")
    assert status["error"] == ExportJob.stale_error


def test_each_kind_names_its_running_state():
    assert SummaryRun(state=JobState.RUNNING).state_label == "计算中"
    assert ExportJob(state=JobState.RUNNING).state_label == "生成中"
    assert ExportJob(state=JobState.DONE).state_label == "已完成"


def test_a_stored_error_is_translated_when_shown_not_when_stored(cast):
    run = SummaryRun.objects.create(
        camp=cast.camp,
        month=MARCH,
        state=JobState.FAILED,
        error=OUTSIDE,
        error_params={"month": "2027-03", "start": "2026-01", "end": "2026-12"},
    )
    run.refresh_from_db()
    assert run.error == OUTSIDE  # the msgid, in no reader's language
    assert run.error_message.startswith("2027-03 不在本期培训时间内")
    with translation.override("en"):
        assert run.error_message.startswith("2027-03 is outside this edition's training period")
        assert job_status(run)["error"] == run.error_message


def test_an_error_without_parameters_or_a_catalog_entry_shows_as_stored():
    assert translate_error("") == ""
    assert translate_error(BROKER_UNAVAILABLE) == "任务服务不可用，请稍后重试"
    assert translate_error("50%完成", {}) == "50%完成"
