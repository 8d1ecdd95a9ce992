"""Every upload, tried through its page: a file over the size limit and a file of the wrong type
each get a Chinese message and write nothing (issue 6, "Upload limits").

The cases already pinned elsewhere are not repeated here: the grid upload's wrong type
(tests/assessment/test_grid_views.py) and the submission's disguised file
(tests/assessment/test_submissions_views.py). The services' own limits are tested beside them.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import AssessmentItem, ScoreEntry, Submission
from curriculum.models import ResearchTopic
from curriculum.services.research import research_member_add, research_topic_create
from trainees.models import Candidate, Person

LIMIT = 1024 * 1024  # the tests lower UPLOAD_MAX_BYTES to 1 MB so an oversize file stays small
DAY = datetime.date(2026, 3, 14)
PDF = b"%PDF-1.4\n%%EOF\n"
CSV = "姓名,性别\n张三,男\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00evil"


def oversize(name: str, head: bytes) -> SimpleUploadedFile:
    """A file whose first bytes are right for its kind and which is one byte over the limit."""
    return SimpleUploadedFile(name, head + b"\0" * (LIMIT + 1 - len(head)))


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = LIMIT


def item(cast, number: int) -> AssessmentItem:
    return AssessmentItem.objects.get(scheme__camp=cast.camp, number=number)


def candidate_import(cast):
    url = reverse("candidate-import", args=[cast.camp.code])
    return cast.staff, url, "file", {}


def grid_upload(cast):
    url = reverse("assessment-grid-upload", args=[cast.camp.code, cast.group_1.pk, 2, DAY])
    return cast.staff, url, "file", {"reason": "3月14日课堂纪律"}


def research_report(cast):
    topic = research_topic_create(camp=cast.camp, title="城市生命线工程建设运营")
    research_member_add(topic=topic, trainee=cast.trainee_in_group_1, leader=True)
    url = reverse("curriculum-research-report", args=[topic.pk])
    return cast.trainee_1, url, "report", {}


def submission(cast):
    url = reverse("assessment-my-submissions", args=[cast.camp.code])
    return cast.trainee_1, url, "upload", {"item": item(cast, 4).pk, "period": "2026-03-20"}


def written() -> tuple:
    """Everything an upload could write, with its history."""
    return (
        Person.objects.count(),
        Person.history.count(),
        Candidate.objects.count(),
        Candidate.history.count(),
        ScoreEntry.objects.count(),
        ScoreEntry.history.count(),
        ResearchTopic.objects.exclude(report="").count(),
        ResearchTopic.history.exclude(report="").count(),
        Submission.objects.count(),
        Submission.history.count(),
    )


def post(client, cast, page, upload):
    user, url, field, extra = page(cast)
    client.force_login(user)
    before = written()
    # Some pages answer with the form again, the research page redirects with a message.
    response = client.post(url, {**extra, field: upload}, follow=True)
    assert response.status_code in (200, 400), response.status_code
    assert written() == before
    return response.content.decode()


@pytest.mark.parametrize(
    ("page", "upload"),
    [
        (candidate_import, lambda: oversize("名单.xlsx", b"PK\x03\x04")),
        (grid_upload, lambda: oversize("录入表.xlsx", b"PK\x03\x04")),
        (research_report, lambda: oversize("报告.pdf", PDF)),
        (submission, lambda: oversize("心得.pdf", PDF)),
    ],
    ids=["candidate-import", "grid-upload", "research-report", "submission"],
)
def test_a_file_over_the_limit_is_refused_in_chinese_and_writes_nothing(
    client, cast, small_limit, page, upload
):
    body = post(client, cast, page, upload())
    assert re.search(r"文件(超过|过大)", body)


@pytest.mark.parametrize(
    ("page", "upload", "message"),
    [
        (candidate_import, lambda: SimpleUploadedFile("名单.csv", CSV), "不是 Excel .xlsx 格式"),
        (candidate_import, lambda: SimpleUploadedFile("名单.xlsx", CSV), "不是 Excel .xlsx 格式"),
        (research_report, lambda: SimpleUploadedFile("报告.exe", EXE), "只接受 PDF"),
        (research_report, lambda: SimpleUploadedFile("报告.pdf", EXE), "文件内容不是 PDF"),
        (research_report, lambda: SimpleUploadedFile("报告.docx", PDF), "文件内容与扩展名不符"),
        (submission, lambda: SimpleUploadedFile("心得.exe", EXE), "只接受 PDF"),
    ],
    ids=[
        "candidate-import-csv",
        "candidate-import-csv-named-xlsx",
        "research-report-exe",
        "research-report-exe-named-pdf",
        "research-report-pdf-named-docx",
        "submission-exe",
    ],
)
def test_a_file_of_the_wrong_type_is_refused_in_chinese_and_writes_nothing(
    client, cast, page, upload, message
):
    body = post(client, cast, page, upload())
    assert message in body
