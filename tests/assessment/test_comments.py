"""Leader comments: who writes, and who reads comments on the camp, a group or a trainee."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.access import visible_leader_comments
from assessment.models import LeaderComment
from assessment.services.comments import leader_comment_create, leader_comment_update

DAY = datetime.date(2026, 6, 27)


@pytest.fixture
def comments(cast):
    def make(target, text, **kw):
        return leader_comment_create(
            camp=cast.camp,
            author=cast.leader,
            date=DAY,
            occasion="年中汇报会",
            text=text,
            target=target,
            **kw,
        )

    return {
        "camp": make("camp", "全班点评"),
        "group_1": make("group", "一组点评", group=cast.group_1),
        "group_2": make("group", "二组点评", group=cast.group_2),
        "trainee_1": make("trainee", "张三点评", trainee=cast.trainee_in_group_1),
        "trainee_2": make("trainee", "李四点评", trainee=cast.trainee_in_group_2),
    }


def _visible(cast, persona):
    texts = visible_leader_comments(getattr(cast, persona), cast.camp).values_list(
        "text", flat=True
    )
    return set(texts)


def test_each_persona_reads_what_the_access_table_says(cast, comments):
    everything = {"全班点评", "一组点评", "二组点评", "张三点评", "李四点评"}
    assert _visible(cast, "staff") == everything
    assert _visible(cast, "orgdept") == everything
    assert _visible(cast, "leader") == everything
    assert _visible(cast, "counselor_1") == {"一组点评", "张三点评"}
    assert _visible(cast, "trainee_1") == {"全班点评", "张三点评"}
    assert _visible(cast, "trainee_2") == {"全班点评", "李四点评"}


def test_the_list_page_shows_a_trainee_only_their_comments(client, cast, comments):
    client.force_login(cast.trainee_1)
    page = client.get(reverse("assessment-comments", args=["2026"])).content.decode()
    assert "张三点评" in page
    assert "全班点评" in page
    assert "李四点评" not in page
    assert "一组点评" not in page


def test_only_leaders_and_orgdept_write(client, cast):
    url = reverse("assessment-comment-new", args=["2026"])
    data = {"date": "2026-06-27", "occasion": "汇报会", "target": "camp", "text": "很好"}
    for user in (cast.staff, cast.counselor_1, cast.trainee_1):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    assert not LeaderComment.objects.exists()
    client.force_login(cast.orgdept)
    assert client.post(url, data).status_code == 302
    assert LeaderComment.objects.get().author == cast.orgdept


def test_a_comment_on_a_group_needs_the_group(client, cast):
    client.force_login(cast.leader)
    response = client.post(
        reverse("assessment-comment-new", args=["2026"]),
        {"date": "2026-06-27", "occasion": "汇报会", "target": "group", "text": "很好"},
    )
    assert response.status_code == 200
    assert "点评小组时请选择小组" in response.content.decode()
    assert not LeaderComment.objects.exists()


def test_only_the_author_edits(client, cast, comments):
    comment = comments["camp"]
    client.force_login(cast.orgdept)
    assert client.get(reverse("assessment-comment-edit", args=[comment.pk])).status_code == 403
    with pytest.raises(ValidationError):
        leader_comment_update(comment=comment, by=cast.orgdept, date=DAY, occasion="x", text="改写")
    client.force_login(cast.trainee_2)
    url = reverse("assessment-comment-edit", args=[comments["trainee_1"].pk])
    assert client.get(url).status_code == 403  # role first: trainees never edit


def test_a_staff_member_cannot_comment(cast):
    with pytest.raises(ValidationError, match="只有领导和组织部可以发表点评"):
        leader_comment_create(
            camp=cast.camp, author=cast.staff, date=DAY, occasion="x", text="y", target="camp"
        )
    assert not LeaderComment.objects.exists()
