"""Submission screens, tried by every persona: hand in, inbox, grade, read the grade."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Submission
from assessment.services.submissions import submission_create
from tests.personas import LOGIN, try_everyone

from .conftest import item_of

PDF = b"%PDF-1.4\n%%EOF\n"


def submitted(cast, trainee=None, number=4, upload=None, month=3):
    trainee = trainee or cast.trainee_in_group_1
    return submission_create(
        trainee=trainee,
        item=item_of(cast.camp, number),
        by=trainee.person.user,
        text="三月学习心得",
        upload=upload,
        period=datetime.date(2026, month, 1),
    )


def test_my_submissions_is_the_trainees_page(client, cast):
    url = reverse("assessment-my-submissions", args=[cast.camp.code])
    assert try_everyone(client, cast, url) == {
        "anonymous": LOGIN,
        "staff": 403,
        "counselor_1": 403,
        "counselor_2": 403,
        "trainee_1": 200,
        "trainee_2": 200,
        "orgdept": 403,
        "leader": 403,
    }


def test_the_inbox_is_for_graders(client, cast):
    url = reverse("assessment-inbox", args=[cast.camp.code])
    assert try_everyone(client, cast, url) == {
        "anonymous": LOGIN,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 200,
        "trainee_1": 403,
        "trainee_2": 403,
        "orgdept": 403,
        "leader": 403,
    }


def test_a_submission_is_read_by_its_trainee_their_counselor_staff_and_orgdept(client, cast):
    submission = submitted(cast, upload=SimpleUploadedFile("心得.pdf", PDF))
    expected = {
        "anonymous": LOGIN,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 200,
        "trainee_2": 404,
        "orgdept": 200,
        "leader": 403,
    }
    for name in ("assessment-submission", "assessment-submission-file"):
        assert try_everyone(client, cast, reverse(name, args=[submission.pk])) == expected


def test_a_trainee_hands_in_a_file_and_late_work_is_marked(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("assessment-my-submissions", args=[cast.camp.code]),
        {
            "item": item_of(cast.camp, 4).pk,
            "period": "2026-03-20",
            "text": "",
            "upload": SimpleUploadedFile("心得.pdf", PDF),
        },
        follow=True,
    )
    assert "逾期提交" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.is_late
    assert submission.trainee == cast.trainee_in_group_1


def test_a_disguised_file_is_refused_on_the_page(client, cast):
    client.force_login(cast.trainee_1)
    response = client.post(
        reverse("assessment-my-submissions", args=[cast.camp.code]),
        {
            "item": item_of(cast.camp, 4).pk,
            "period": "2026-03-20",
            "upload": SimpleUploadedFile("心得.pdf", b"MZ\x90\x00evil"),
        },
    )
    assert "只接受 PDF" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_grader_grades_in_one_place_and_the_trainee_reads_grade_and_comment(client, cast):
    submission = submitted(cast)
    client.force_login(cast.staff)
    inbox = client.get(reverse("assessment-inbox", args=[cast.camp.code])).content.decode()
    assert "张三" in inbox
    response = client.post(
        reverse("assessment-submission", args=[submission.pk]),
        {"points": "17.5", "comment": "联系岗位实际，体会深刻"},
    )
    assert response.status_code == 302

    client.force_login(cast.trainee_1)
    page = client.get(reverse("assessment-submission", args=[submission.pk])).content.decode()
    assert "17.5" in page
    assert "联系岗位实际，体会深刻" in page
    assert "保存评分" not in page
    mine = client.get(reverse("assessment-my-submissions", args=[cast.camp.code]))
    assert "17.5" in mine.content.decode()


def test_a_trainee_or_reader_cannot_post_a_grade(client, cast):
    submission = submitted(cast)
    for user in (cast.trainee_1, cast.orgdept, cast.counselor_1):
        client.force_login(user)
        response = client.post(
            reverse("assessment-submission", args=[submission.pk]), {"points": "20", "comment": ""}
        )
        assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.score_entry is None


def test_the_inbox_takes_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    for month in range(3, 7):  # one submission a month each
        submitted(cast, month=month)
        submitted(cast, trainee=cast.trainee_in_group_2, month=month)
    client.force_login(cast.staff)
    url = reverse("assessment-inbox", args=[cast.camp.code])
    client.get(url)
    # session, user, camp, the scheme's items (who records what) for each list, the waiting
    # list (+trainee, person, group, item, entry); the graded list is paged: its count, and
    # no page query, since none is graded yet (a count of 0 leaves nothing to fetch); the
    # filters' group and item choices (+2); the header's current camp (the session, stamped
    # by the first visit, is not written again within the minute)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("三月学习心得") == 0
    # 8 waiting submissions, and the item once more among the filter's choices
    assert len(response.context["waiting"]) == 8
    assert response.content.decode().count("学习心得") == 8 + 1


def test_a_monthly_hand_in_names_its_month_with_a_month_picker(client, cast):
    """The month once had a full date picker and asked for "任选该月一天"."""
    client.force_login(cast.trainee_1)
    url = reverse("assessment-my-submissions", args=[cast.camp.code])
    body = client.get(url).content.decode()
    assert 'type="month" name="period"' in body
    assert "任选该月一天" not in body
    client.post(
        url,
        {
            "item": item_of(cast.camp, 4).pk,
            "period": "2026-03",
            "upload": SimpleUploadedFile("心得.pdf", PDF),
        },
    )
    assert Submission.objects.get().period == datetime.date(2026, 3, 1)
