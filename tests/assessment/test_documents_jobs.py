"""A whole edition's documents as a background job (issue 18 §3): built by the ExportJob
machinery, progress recorded per trainee, stored as .docx and downloaded with Word's content
type by its owner; a trainee never starts an edition's; nothing to number fails with the reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.models import ExportJob
from assessment.services import export_jobs
from camp.jobs import JobState
from camp.workbooks import CONTENT_TYPES

from .documents_world import finalize, open_docx

pytestmark = pytest.mark.django_db


def _start(client, user, kind, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("export-job-new", args=["2026"]), {"kind": kind})


def test_the_editions_appraisal_forms_are_built_in_the_background_with_progress(
    client, filed, monkeypatch, django_capture_on_commit_callbacks
):
    cast = filed
    steps = []
    real = export_jobs._set_progress
    monkeypatch.setattr(
        export_jobs, "_set_progress", lambda job, p: (steps.append(p), real(job, p))
    )
    response = _start(client, cast.orgdept, "appraisal-form", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == JobState.DONE
    assert job.progress == 100
    assert steps == [47, 90]  # one step per trainee (of two), then saving
    assert job.filename.startswith("2026届_学员鉴定表_")
    assert job.filename.endswith(".docx")
    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert download["Content-Type"] == CONTENT_TYPES["docx"]
    document = open_docx(b"".join(download.streaming_content))
    assert [table.cell(0, 1).text for table in document.tables] == ["张三", "李四"]


def test_the_editions_certificates_and_their_refusals(
    client, filed, django_capture_on_commit_callbacks
):
    cast = filed
    _start(client, cast.leader, "certificate", django_capture_on_commit_callbacks)
    failed = ExportJob.objects.get()
    assert failed.state == JobState.FAILED
    assert "还没有编号的结业证书" in failed.error_message
    finalize(cast)
    _start(client, cast.leader, "certificate", django_capture_on_commit_callbacks)
    job = ExportJob.objects.exclude(pk=failed.pk).get()
    assert job.state == JobState.DONE
    assert job.filename.endswith(".docx")
    # A trainee takes their own directly, never the edition's in the background.
    my_exports = _start(client, cast.trainee_1, "certificate", django_capture_on_commit_callbacks)
    assert my_exports.status_code == 302
    assert not ExportJob.objects.filter(user=cast.trainee_1).exists()
    page = client.get(reverse("my-exports")).content.decode()
    assert 'value="certificate"' not in page
