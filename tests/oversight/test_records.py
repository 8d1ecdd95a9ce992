"""The training record's page (培训档案, oversight/views/records.py): who may see it, and the
confidential talks shown only to staff and the trainee's counselor."""

import datetime

import pytest
from django.urls import reverse

from assessment.services.comments import leader_comment_create
from assessment.services.reviews import weekly_review_save
from curriculum.models import Talk


def _status(client, cast, persona, url):
    client.logout()
    user = cast.everyone()[persona]
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def test_a_trainees_record_by_every_persona(client, cast):
    url = reverse("assessment-training-record", args=[cast.trainee_in_group_1.pk])
    expected = {
        "anonymous": 302,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 200,
        "trainee_2": 404,  # another trainee's record: not even a hint it exists
        "orgdept": 200,
        "leader": 200,
    }
    assert {p: _status(client, cast, p, url) for p in expected} == expected


@pytest.fixture
def record_data(cast):
    trainee = cast.trainee_in_group_1
    Talk.objects.create(
        trainee=trainee,
        group=cast.group_1,
        counselor=cast.counselor_of_group_1,
        held_on=datetime.date(2026, 3, 5),
        topics="工作压力",
        summary="谈心内容保密",
    )
    weekly_review_save(
        group=cast.group_1,
        week_start=datetime.date(2026, 3, 2),
        highlights="亮点",
        problems="",
        remarks={trainee.pk: "本周发言深刻"},
        by=cast.counselor_1,
    )
    leader_comment_create(
        camp=cast.camp,
        author=cast.leader,
        date=datetime.date(2026, 3, 28),
        occasion="成长汇报会",
        text="对张三的点评",
        target="trainee",
        trainee=trainee,
    )
    return trainee


@pytest.mark.parametrize(
    ("persona", "sees_talks"),
    [
        ("staff", True),
        ("counselor_1", True),
        ("orgdept", False),
        ("leader", False),
        ("trainee_1", False),
    ],
)
def test_the_training_record_shows_talks_only_to_staff_and_the_counselor(
    client, cast, record_data, persona, sees_talks
):
    client.force_login(getattr(cast, persona))
    page = client.get(reverse("assessment-training-record", args=[record_data.pk])).content.decode()
    assert ("谈心内容保密" in page) is sees_talks
    assert "本周发言深刻" in page
    assert "对张三的点评" in page
    assert "出勤" in page
