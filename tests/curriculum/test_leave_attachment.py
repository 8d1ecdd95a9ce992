"""A leave's attachment: PDF or image, judged by its bytes, with the importers' size limit, and
served only to those who may read the leave."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curriculum.models import LeaveRequest
from curriculum.services.leave import leave_request

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _ask(cast, year, upload):
    return leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="病假",
        by=cast.trainee_1,
        attachment=upload,
    )


def test_a_doctors_note_is_kept_and_served_to_who_may_read_the_leave(client, cast, year):
    leave = _ask(cast, year, SimpleUploadedFile("诊断证明.pdf", PDF))
    assert leave.attachment_name == "诊断证明.pdf"
    url = reverse("curriculum-leave-attachment", args=[leave.pk])
    client.force_login(cast.staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    client.force_login(cast.trainee_2)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_written(cast, year):
    with pytest.raises(ValidationError, match="只接受 PDF、JPG 或 PNG"):
        _ask(cast, year, SimpleUploadedFile("note.pdf", b"MZ\x90\x00 not a pdf"))
    assert not LeaveRequest.objects.exists()


def test_a_file_past_the_upload_limit_is_refused(cast, year, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="超过 1 MB"):
        _ask(cast, year, SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert not LeaveRequest.objects.exists()


def test_the_trainee_uploads_it_with_the_request_form(client, cast, year):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("curriculum-leave", args=[cast.camp.code]),
        {
            "training_day": year.day.pk,
            "half_day": "",
            "reason": "病假",
            "attachment": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        },
    )
    assert response.status_code == 302
    assert LeaveRequest.objects.get().attachment_name == "scan.png"
