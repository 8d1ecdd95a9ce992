"""Research topics: the report upload is size-limited and type-checked by content, stored through
the storage API and downloaded only through the permission-checked view."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curriculum.models import ResearchTopic
from curriculum.services.research import (
    research_member_add,
    research_milestone_add,
    research_report_upload,
    research_topic_create,
)

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def topic(cast) -> ResearchTopic:
    topic = research_topic_create(camp=cast.camp, title="城市生命线工程建设运营")
    research_member_add(topic=topic, trainee=cast.trainee_in_group_1, leader=True)
    return topic


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", PDF),
        ("报告.docx", _office("word/document.xml")),
        ("数据.xlsx", _office("xl/workbook.xml")),
    ],
)
def test_a_real_pdf_docx_or_xlsx_is_stored(cast, topic, name, content):
    research_report_upload(topic=topic, upload=SimpleUploadedFile(name, content), by=cast.staff)
    topic.refresh_from_db()
    assert topic.report_name == name
    assert topic.report.name.startswith(f"research/{cast.camp.pk}/")
    with topic.report.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "只接受"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "不是 PDF"),
        ("fake.docx", PDF, "扩展名不符"),
        ("sheet.docx", _office("xl/workbook.xml"), "扩展名不符"),
        ("broken.xlsx", b"PK\x03\x04garbage", "已损坏"),
        ("empty.pdf", b"", "空的"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(cast, topic, name, content, message):
    with pytest.raises(ValidationError, match=message):
        research_report_upload(topic=topic, upload=SimpleUploadedFile(name, content), by=cast.staff)
    topic.refresh_from_db()
    assert not topic.report


def test_a_file_over_the_limit_is_refused(cast, topic, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = PDF + b"0" * 1024
    with pytest.raises(ValidationError, match="文件过大"):
        research_report_upload(topic=topic, upload=SimpleUploadedFile("a.pdf", big), by=cast.staff)
    topic.refresh_from_db()
    assert not topic.report


def test_a_new_report_replaces_the_old_file(cast, topic):
    research_report_upload(topic=topic, upload=SimpleUploadedFile("a.pdf", PDF), by=cast.staff)
    topic.refresh_from_db()
    first = topic.report.name
    research_report_upload(
        topic=topic,
        upload=SimpleUploadedFile("b.docx", _office("word/document.xml")),
        by=cast.staff,
    )
    topic.refresh_from_db()
    assert topic.report.name != first
    assert not topic.report.storage.exists(first)


DOWNLOAD = {
    "anonymous": 302,
    "staff": 200,
    "counselor_1": 200,
    "counselor_2": 200,
    "trainee_1": 200,  # a member of the team
    "trainee_2": 404,  # not in the team
    "orgdept": 200,
    "leader": 200,
}


@pytest.mark.parametrize(("persona", "status"), DOWNLOAD.items())
def test_the_report_downloads_only_through_the_checked_view(client, cast, topic, persona, status):
    research_report_upload(topic=topic, upload=SimpleUploadedFile("a.pdf", PDF), by=cast.staff)
    user = cast.everyone()[persona]
    if user:
        client.force_login(user)
    response = client.get(reverse("curriculum-research-download", args=[topic.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]


def test_the_team_leader_uploads_through_the_page_and_others_may_not(client, cast, topic):
    url = reverse("curriculum-research-report", args=[topic.pk])
    client.force_login(cast.trainee_2)
    assert client.post(url, {"report": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    client.force_login(cast.trainee_1)
    response = client.post(url, {"report": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.report_uploaded_by == cast.trainee_1


def test_trainees_see_classmates_names_only_in_their_own_team(client, cast, topic):
    url = reverse("curriculum-research-topic", args=[topic.pk])
    client.force_login(cast.trainee_2)
    body = client.get(url).content.decode()
    assert "张三" not in body
    assert "成员名单仅本课题组成员、政治辅导员、党校管理员、组织部和领导可以查看" in body
    client.force_login(cast.trainee_1)
    assert "张三" in client.get(url).content.decode()


@pytest.mark.parametrize("done", ["abc", "99999", ""])
def test_marking_an_unknown_milestone_done_says_so_and_changes_nothing(client, cast, topic, done):
    milestone = research_milestone_add(topic=topic, title="开题", due_on=datetime.date(2026, 4, 1))
    client.force_login(cast.staff)
    response = client.post(
        reverse("curriculum-research-milestone", args=[topic.pk]), {"done": done}, follow=True
    )
    assert "该节点不存在，请刷新页面后重试。" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_staff_mark_a_milestone_of_the_topic_done(client, cast, topic, clock):
    milestone = research_milestone_add(topic=topic, title="开题", due_on=datetime.date(2026, 4, 1))
    other = research_topic_create(camp=cast.camp, title="乡村产业项目高质量招引")
    client.force_login(cast.staff)
    # Another topic's milestone cannot be reached through this topic's page.
    client.post(reverse("curriculum-research-milestone", args=[other.pk]), {"done": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_on is None
    client.post(reverse("curriculum-research-milestone", args=[topic.pk]), {"done": milestone.pk})
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2026, 3, 10)
