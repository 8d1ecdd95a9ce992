"""Talks are confidential: the group's current counselor and staff read them, nobody else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from curriculum.access import visible_talks
from curriculum.models import Talk
from curriculum.selectors import trainees_without_talk
from curriculum.services.talks import talk_record
from tests.factories import CounselorFactory, UserFactory
from trainees.services.counselors import group_counselor_replace


@pytest.fixture
def talk(cast, clock) -> Talk:
    return talk_record(
        trainee=cast.trainee_in_group_1,
        by=cast.counselor_1,
        held_on=datetime.date(2026, 3, 5),
        topics="工作压力",
        summary="机密内容：家庭困难",
    )


# Who may read a talk of group 1 (its detail page), persona by persona.
READERS = {
    "anonymous": 302,
    "staff": 200,
    "counselor_1": 200,
    "counselor_2": 404,
    "trainee_1": 403,  # the role never sees talks, not even about themself
    "trainee_2": 403,
    "orgdept": 403,
    "leader": 403,
}


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_talk_detail_is_confidential_for_every_persona(client, cast, talk, persona, status):
    user = cast.everyone()[persona]
    if user:
        client.force_login(user)
    response = client.get(reverse("curriculum-talk", args=[talk.pk]))
    assert response.status_code == status
    if status != 200:
        assert "机密内容" not in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_talk_list_is_confidential_for_every_persona(client, cast, talk, persona, status):
    user = cast.everyone()[persona]
    if user:
        client.force_login(user)
    response = client.get(reverse("curriculum-talks", args=[cast.camp.code]))
    expected = 200 if persona == "counselor_2" else status  # their own (empty) list
    assert response.status_code == expected
    body = response.content.decode()
    if persona in ("staff", "counselor_1"):
        assert "工作压力" in body
        assert (
            "仅本组现任政治辅导员和党校管理员可以查看；学员、其他辅导员、组织部和领导看不到" in body
        )
    else:
        assert "工作压力" not in body


def test_a_successor_inherits_the_groups_talks_and_the_predecessor_loses_them(cast, talk):
    successor = CounselorFactory(user=UserFactory(username="c-new", role="counselor"))
    group_counselor_replace(
        group=cast.group_1,
        counselor=successor,
        on=datetime.date(2026, 3, 20),
        by=cast.staff,
        reason="工作调动",
    )
    assert list(visible_talks(successor.user, cast.camp)) == [talk]
    assert list(visible_talks(cast.counselor_1, cast.camp)) == []


def test_only_the_groups_counselor_records_a_talk(cast, clock):
    with pytest.raises(PermissionDenied):
        talk_record(
            trainee=cast.trainee_in_group_1,
            by=cast.counselor_2,
            held_on=datetime.date(2026, 3, 5),
            topics="x",
            summary="y",
        )
    with pytest.raises(PermissionDenied):
        talk_record(
            trainee=cast.trainee_in_group_1,
            by=cast.staff,
            held_on=datetime.date(2026, 3, 5),
            topics="x",
            summary="y",
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        talk_record(
            trainee=cast.trainee_in_group_1,
            by=cast.counselor_1,
            held_on=datetime.date(2026, 4, 5),
            topics="x",
            summary="y",
        )
    assert not Talk.objects.exists()


def test_a_counselor_sees_who_has_had_no_talk_this_month(cast, talk):
    from tests.factories import TraineeFactory

    other = TraineeFactory(camp=cast.camp, group=cast.group_1)
    missing = list(trainees_without_talk(cast.group_1, datetime.date(2026, 3, 20)))
    assert missing == [other]
    april = list(trainees_without_talk(cast.group_1, datetime.date(2026, 4, 1)))
    assert set(april) == {other, cast.trainee_in_group_1}


def test_the_counselor_records_a_talk_through_the_page(client, cast, clock):
    client.force_login(cast.counselor_1)
    url = reverse("curriculum-talks", args=[cast.camp.code])
    page = client.get(url)
    assert "尚未谈话" in page.content.decode()
    assert "张三" in page.content.decode()
    response = client.post(
        url,
        {
            "trainee": cast.trainee_in_group_1.pk,
            "held_on": "2026-03-09",
            "topics": "成长规划",
            "summary": "谈了成长规划",
        },
    )
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert talk.group == cast.group_1
    assert talk.counselor == cast.counselor_of_group_1
    # Another group's trainee is not offered and cannot be posted.
    response = client.post(
        url,
        {
            "trainee": cast.trainee_in_group_2.pk,
            "held_on": "2026-03-09",
            "topics": "x",
            "summary": "y",
        },
    )
    assert response.status_code == 200
    assert Talk.objects.count() == 1
