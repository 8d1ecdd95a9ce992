"""Trainees hand in work; graders see what waits and grade it on the item in one place."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.entry_messages import StaleEntryError
from assessment.models import ScoreEntry, Source, Submission
from assessment.selectors import grading_inbox
from assessment.services.submissions import submission_create, submission_grade
from assessment.standing_selectors import scores_as_of
from camp.uploads import sniff_file_type

from .conftest import item_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MARCH = datetime.date(2026, 3, 1)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def submit(cast, number=4, *, text="本月学习心得……", upload=None, period=MARCH, by=None):
    return submission_create(
        trainee=cast.trainee_in_group_1,
        item=item_of(cast.camp, number),
        by=by or cast.trainee_1,
        text=text,
        upload=upload,
        period=period,
    )


def test_a_trainee_hands_in_text_for_a_monthly_item(cast):
    submission = submit(cast, period=datetime.date(2026, 3, 17))
    assert submission.period == MARCH
    assert submission.deadline.date() == datetime.date(2026, 4, 5)  # month end + 5 grace days
    assert submission.is_late  # it is November 2026 now


def test_work_before_the_deadline_is_not_late(cast):
    submission = submit(cast, period=datetime.date(2026, 11, 1))
    assert not submission.is_late


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("心得.pdf", PDF),
        ("心得.docx", docx_bytes()),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    ],
)
def test_it_accepts_pdf_word_and_images_checked_by_content(cast, name, content):
    submission = submit(cast, text="", upload=SimpleUploadedFile(name, content))
    assert submission.original_filename == name
    assert submission.file.read() == content


def test_it_refuses_a_file_whose_content_is_not_an_accepted_type(cast):
    with pytest.raises(ValidationError) as error:
        submit(cast, text="", upload=SimpleUploadedFile("心得.pdf", b"MZ\x90\x00 not a pdf"))
    assert "只接受 PDF" in " ".join(error.value.messages)


def test_it_refuses_a_name_that_lies_about_the_content(cast):
    with pytest.raises(ValidationError) as error:
        submit(cast, text="", upload=SimpleUploadedFile("心得.docx", PDF))
    assert "后缀与内容不符" in " ".join(error.value.messages)


def test_it_refuses_a_file_over_the_size_limit(cast, settings):
    settings.SUBMISSION_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        submit(cast, text="", upload=SimpleUploadedFile("大.pdf", PDF + b"0" * 200))
    assert "文件超过" in " ".join(error.value.messages)


def test_it_refuses_an_empty_submission_and_one_for_someone_else(cast):
    with pytest.raises(ValidationError):
        submit(cast, text="  ")
    with pytest.raises(PermissionDenied):
        submit(cast, by=cast.trainee_2)


def test_it_refuses_items_that_take_no_submissions(cast):
    with pytest.raises(ValidationError, match="该项目不需要在系统中提交材料"):
        submit(cast, number=2)
    assert not Submission.objects.exists()


def test_the_grader_sees_what_waits_and_grades_it_on_the_item(cast):
    submission = submit(cast)
    assert list(grading_inbox(cast.staff, cast.camp)) == [submission]
    assert list(grading_inbox(cast.counselor_1, cast.camp)) == []  # 学习心得 is staff's

    graded = submission_grade(
        submission=submission, points="17.5", comment="联系实际较好", by=cast.staff
    )

    entry = graded.score_entry
    assert (entry.item.number, entry.points, entry.source) == (
        4,
        Decimal("17.5"),
        Source.SUBMISSION,
    )
    assert entry.date == MARCH
    assert graded.grader_comment == "联系实际较好"
    assert list(grading_inbox(cast.staff, cast.camp)) == []
    score = scores_as_of(camp=cast.camp, as_of=datetime.date(2026, 3, 31))
    assert score[cast.trainee_in_group_1.pk].items[4].score == Decimal("17.5")


def test_a_regrade_edits_the_same_entry_and_a_stale_one_is_refused(cast):
    submission = submit(cast)
    graded = submission_grade(submission=submission, points="15", comment="", by=cast.staff)
    version = graded.score_entry.version
    submission_grade(
        submission=submission, points="16", comment="复评", by=cast.staff, entry_version=version
    )
    assert ScoreEntry.objects.get().points == Decimal("16.0")
    with pytest.raises(StaleEntryError):
        submission_grade(
            submission=submission, points="18", comment="", by=cast.staff, entry_version=version
        )
    assert ScoreEntry.objects.count() == 1


def test_a_grade_above_the_maximum_is_refused(cast):
    submission = submit(cast)
    with pytest.raises(ValidationError):
        submission_grade(submission=submission, points="25", comment="", by=cast.staff)
    assert not ScoreEntry.objects.exists()


def test_study_notes_are_graded_by_the_groups_counselor_only(cast):
    submission = submit(cast, number=3)
    assert list(grading_inbox(cast.counselor_1, cast.camp)) == [submission]
    assert list(grading_inbox(cast.counselor_2, cast.camp)) == []
    with pytest.raises(PermissionDenied):
        submission_grade(submission=submission, points="8", comment="", by=cast.counselor_2)
    with pytest.raises(PermissionDenied):
        submission_grade(submission=submission, points="8", comment="", by=cast.staff)
    submission_grade(submission=submission, points="8", comment="认真", by=cast.counselor_1)


def test_a_once_only_item_takes_one_submission_and_a_regrade_edits_its_one_grade(cast):
    first = submit(cast, number=9, period=None)
    submission_grade(submission=first, points="15", comment="", by=cast.counselor_1)
    with pytest.raises(ValidationError) as error:
        submit(cast, number=9, period=None, text="修改稿")
    assert "已提交并已评分，不能再次提交" in " ".join(error.value.messages)

    submission_grade(
        submission=first, points="18", comment="", by=cast.counselor_1, entry_version=1
    )
    assert list(ScoreEntry.objects.values_list("points", flat=True)) == [Decimal("18.0")]
    assert Submission.objects.count() == 1


def test_a_second_hand_in_for_the_month_replaces_the_ungraded_first(cast):
    first = submit(cast, text="初稿")
    second = submit(cast, text="定稿", period=datetime.date(2026, 3, 20))

    assert second.pk == first.pk
    assert Submission.objects.get().text == "定稿"
    assert [r.text for r in first.history.order_by("history_date")] == ["初稿", "定稿"]


def test_grading_a_submission_edits_the_months_grade_from_the_grid_instead_of_adding_one(cast):
    from assessment.services.entries import score_entry_create

    grid_grade = score_entry_create(
        trainee=cast.trainee_in_group_1,
        item=item_of(cast.camp, 4),
        points="12",
        date=MARCH,
        by=cast.staff,
        reason="快速录入",
    )
    submission = submit(cast)
    submission_grade(submission=submission, points="16", comment="", by=cast.staff)

    entry = ScoreEntry.objects.get()
    assert entry.pk == grid_grade.pk
    assert (entry.points, entry.source) == (Decimal("16.0"), Source.SUBMISSION)
    assert [r.points for r in entry.history.order_by("history_date")] == [
        Decimal("12.0"),
        Decimal("16.0"),
    ]


def test_sniffing_knows_the_accepted_types():
    assert sniff_file_type(PDF) == "pdf"
    assert sniff_file_type(docx_bytes()) == "docx"
    assert sniff_file_type(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff_file_type(b"PK\x03\x04broken") is None
    assert sniff_file_type(b"hello") is None
