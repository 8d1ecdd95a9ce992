"""Background exports: recorded before they are enqueued, built in write-only mode by a Celery
job, stored through the storage API, downloaded only by their owner, expired after the
retention period; an unreachable broker gives a failed record and no error page."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import ExportJob
from assessment.services.export_jobs import (
    export_job_run,
    export_job_start,
    export_jobs_expire,
)
from assessment.tasks import expire_old_exports
from camp.celery import app
from camp.jobs import BROKER_UNAVAILABLE, JobState
from camp.models import SensitiveAccessLog
from tests.oversight.oversight_world import OversightWorld, build_world

from .test_summary_worker import (  # noqa: F401  (broker, workers: fixtures used below)
    _point_app_at,
    _start_worker,
    _wait_for,
    broker,
    workers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def _start(client, user, kind, month="", capture=None):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("export-job-new", args=["2026"]), {"kind": kind, "month": month})


def test_a_background_export_is_built_stored_and_downloaded_by_its_owner(
    client, world, django_capture_on_commit_callbacks
):
    cast = world.cast
    response = _start(client, cast.staff, "attendance", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE
    assert job.progress == 100
    assert default_storage.exists(job.file.name)  # through the storage API
    assert job.expires_at - job.finished_at == datetime.timedelta(days=7)
    page = client.get(reverse("my-exports"))
    download = reverse("export-job-download", args=[job.pk])
    assert download in page.content.decode()
    assert "/media/" not in page.content.decode()  # never a public media URL
    # The owner is told in the 通知 inbox, with a link to the download.
    assert cast.staff.notifications.get(kind="export_ready").url == download
    got = client.get(download)
    assert got.status_code == 200
    assert job.filename.startswith("2026届_考勤_")
    book = load_workbook(io.BytesIO(b"".join(got.streaming_content)))
    assert book.sheetnames[0] == "考勤明细"
    assert {"学员出勤率", "小组出勤率"} <= set(book.sheetnames)
    assert book["考勤明细"].max_row == 2 + 2  # title, header, two attendance rows
    for persona in ("orgdept", "counselor_1", "trainee_1"):
        client.force_login(getattr(cast, persona))
        assert client.get(download).status_code == 404
        assert client.get(reverse("export-job-status", args=[job.pk])).status_code == 404


def test_the_status_shows_progress_while_queued(client, cast):
    job = ExportJob.objects.create(
        user=cast.staff, camp=cast.camp, kind="attendance", state=JobState.RUNNING, progress=40
    )
    client.force_login(cast.staff)
    status = client.get(reverse("export-job-status", args=[job.pk])).json()
    assert status == {
        "state": "running",
        "state_label": "生成中",
        "progress": 40,
        "error": "",
        "ready": False,
    }
    page = client.get(reverse("my-exports")).content.decode()
    assert 'value="40"' in page
    assert "js/exports.js" in page


def test_a_role_that_may_not_have_the_kind_gets_no_job(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(reverse("export-job-new", args=["2026"]), {"kind": "attendance"})
    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    with pytest.raises(Exception, match="权限"):
        export_job_start(user=cast.trainee_1, camp=cast.camp, kind="records")


def test_the_worker_checks_the_role_again(cast):
    # Recorded behind the form's back: the worker must still refuse.
    job = ExportJob.objects.create(user=cast.leader, camp=cast.camp, kind="attendance")
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "权限" in job.error
    assert not job.file


def test_a_counselors_zip_holds_their_groups_records_only(
    client, world, django_capture_on_commit_callbacks
):
    cast = world.cast
    _start(client, cast.counselor_1, "records", capture=django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE, job.error
    assert job.filename.endswith(".zip")
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert len(names) == 1
    assert "张三" in names[0]


def test_staff_get_every_record_in_the_zip(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(user=cast.staff, camp=cast.camp, kind="records")
    job.refresh_from_db()
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == cast.camp.trainees.count() == 2


def test_an_unmasked_background_export_is_logged(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(
            user=cast.orgdept, camp=cast.camp, kind="roster", params={"unmasked": True}
        )
    job.refresh_from_db()
    assert job.state == JobState.DONE
    log = SensitiveAccessLog.objects.get()
    assert log.user == cast.orgdept
    assert log.action == SensitiveAccessLog.Action.EXPORT


def test_an_unreachable_broker_fails_the_job_without_an_error_page(
    client, cast, django_capture_on_commit_callbacks
):
    saved = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)
    # Nothing listens on port 1: the publish is refused at once.
    _point_app_at("redis://127.0.0.1:1/0", queue="export-test-unreachable", eager=False)
    try:
        response = _start(
            client, cast.staff, "attendance", capture=django_capture_on_commit_callbacks
        )
    finally:
        _point_app_at(saved[0], queue=saved[2], eager=saved[1])
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == JobState.FAILED
    assert job.error == BROKER_UNAVAILABLE == "任务服务不可用，请稍后重试"
    page = client.get(reverse("my-exports"))
    assert page.status_code == 200
    assert BROKER_UNAVAILABLE in page.content.decode()


def test_old_files_expire_through_the_storage_api(cast, settings):
    settings.EXPORT_RETENTION_DAYS = 3
    now = timezone.now()
    old = ExportJob.objects.create(
        user=cast.staff,
        camp=cast.camp,
        kind="roster",
        state=JobState.DONE,
        expires_at=now - datetime.timedelta(minutes=1),
    )
    old.file.save("old.xlsx", ContentFile(b"PK"), save=True)
    fresh = ExportJob.objects.create(
        user=cast.staff,
        camp=cast.camp,
        kind="roster",
        state=JobState.DONE,
        expires_at=now + datetime.timedelta(days=1),
    )
    fresh.file.save("fresh.xlsx", ContentFile(b"PK"), save=True)
    name = old.file.name
    assert expire_old_exports.delay().get() == 1  # the beat task, eager here
    assert not default_storage.exists(name)
    assert list(ExportJob.objects.all()) == [fresh]
    assert default_storage.exists(fresh.file.name)
    assert export_jobs_expire(now=now + datetime.timedelta(days=2)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(120)
def test_a_real_worker_builds_the_export_on_redis(postgres, cast, request, settings):
    """`celery -A camp worker` as a separate process on Redis and the test database: it only
    sees committed rows, and writes the file where this process reads it back."""
    queue_broker = request.getfixturevalue("broker")
    started = request.getfixturevalue("workers")
    job = export_job_start(user=cast.staff, camp=cast.camp, kind="roster")
    assert ExportJob.objects.get(pk=job.pk).state == JobState.QUEUED  # not run in-process
    started.append(_start_worker(queue_broker, DJANGO_MEDIA_ROOT=settings.MEDIA_ROOT))
    _wait_for(
        lambda: ExportJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
        timeout=60,
        what="the export job",
    )
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    with default_storage.open(job.file.name, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    rows = list(book["学员名册"].iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["张三", "李四"]


def test_a_trainee_finds_their_own_record_on_my_exports(client, cast):
    client.force_login(cast.trainee_1)
    html = client.get(reverse("my-exports")).content.decode()
    link = reverse("export-download", args=["2026", "record"])
    assert f'href="{link}"' in html
    assert 'name="kind"' not in html  # no background kinds for a trainee
    assert client.get(link).status_code == 200
