"""Chief projects with monthly notes and counselor comments; task forces with members and log."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import ChiefProject, ProgressNote, TaskForceLogEntry
from curriculum.plan_selectors import curriculum_plan
from curriculum.services.practice import (
    chief_project_save,
    progress_note_add,
    task_force_create,
    task_force_log_add,
)


def test_a_trainee_writes_their_project_and_monthly_notes_and_the_counselor_comments(
    client, cast, clock
):
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-chief-project", args=[cast.trainee_in_group_1.pk])
    response = client.post(
        url, {"title": "织里童装产业园", "goal": "年底投产", "milestones": "6月开工"}
    )
    assert response.status_code == 302
    project = ChiefProject.objects.get()
    client.post(
        reverse("curriculum-progress-note", args=[cast.trainee_in_group_1.pk]),
        {"month": "2026-03-05", "text": "完成土地报批"},
    )
    note = ProgressNote.objects.get()
    assert note.month == datetime.date(2026, 3, 1)
    comment_url = reverse("curriculum-progress-comment", args=[note.pk])
    client.force_login(cast.counselor_2)  # another group's counselor
    assert client.post(comment_url, {"comment": "不错"}).status_code in (403, 404)
    client.force_login(cast.trainee_2)
    assert client.post(url, {"title": "改", "goal": "改"}).status_code == 404
    client.force_login(cast.counselor_1)
    assert client.post(comment_url, {"comment": "进展扎实"}).status_code == 302
    note.refresh_from_db()
    assert note.counselor_comment == "进展扎实"
    assert note.commented_by == cast.counselor_1
    project.refresh_from_db()
    assert project.title == "织里童装产业园"


def test_one_note_per_month_and_none_ahead(cast, clock):
    project = chief_project_save(
        trainee=cast.trainee_in_group_1, title="项目", goal="目标", milestones="", by=cast.trainee_1
    )
    progress_note_add(project=project, month=datetime.date(2026, 3, 9), text="进展")
    with pytest.raises(ValidationError, match="已填写"):
        progress_note_add(project=project, month=datetime.date(2026, 3, 20), text="又一条")
    with pytest.raises(ValidationError, match="以后月份"):
        progress_note_add(project=project, month=datetime.date(2026, 4, 2), text="未来")


@pytest.fixture
def force(cast):
    return task_force_create(
        camp=cast.camp,
        name="莫干山镇突击队",
        place="德清县莫干山镇",
        task="民宿经济提质",
        members=[cast.trainee_in_group_1],
    )


def test_only_members_see_their_classmates_in_a_task_force(client, cast, force):
    url = reverse("curriculum-task-force", args=[force.pk])
    client.force_login(cast.trainee_2)
    body = client.get(url).content.decode()
    assert "德清县莫干山镇" in body
    assert "张三" not in body
    assert "队员名单仅本队队员、政治辅导员、党校管理员、组织部和领导可以查看" in body
    client.force_login(cast.trainee_1)
    assert "张三" in client.get(url).content.decode()


def test_members_and_staff_write_the_log_others_may_not(client, cast, force, clock):
    url = reverse("curriculum-task-force", args=[force.pk])
    client.force_login(cast.trainee_2)
    assert client.post(url, {"date": "2026-03-09", "text": "冒名"}).status_code == 403
    client.force_login(cast.trainee_1)
    assert client.post(url, {"date": "2026-03-09", "text": "走访民宿"}).status_code == 302
    entry = TaskForceLogEntry.objects.get()
    assert entry.by == cast.trainee_1
    with pytest.raises(ValidationError, match="不能晚于今天"):
        task_force_log_add(
            task_force=force, date=datetime.date(2026, 5, 1), text="x", by=cast.staff
        )


def test_a_task_force_counts_once_in_the_plan_however_long_its_log(cast, force, clock):
    for day in (1, 2, 3):
        task_force_log_add(
            task_force=force, date=datetime.date(2026, 3, day), text="记录", by=cast.staff
        )
    task_force_create(camp=cast.camp, name="第二队", place="练市镇", task="项目")
    plan = curriculum_plan(cast.camp)
    (row,) = [r for c in plan["classrooms"] for r in c["targets"] if r["target"].label == "突击队"]
    assert row["planned"] == 2
    assert row["done"] == 1


def test_task_force_members_must_belong_to_the_camp(cast):
    from camp.services.camps import camp_create
    from tests.factories import TraineeFactory

    other_camp = camp_create(code="2027", name="2027届", year=2027)
    stranger = TraineeFactory(camp=other_camp)
    with pytest.raises(ValidationError, match="本届学员"):
        task_force_create(camp=cast.camp, name="x", place="y", task="z", members=[stranger])


@pytest.mark.parametrize("member", ["99999999999999999999", "abc", "-1"])
def test_a_task_force_with_a_malformed_member_is_refused_in_chinese(client, cast, member):
    client.force_login(cast.staff)
    response = client.post(
        reverse("curriculum-task-forces", args=[cast.camp.code]),
        {"name": "南太湖突击队", "place": "长兴县", "task": "招商", "members": [member]},
    )
    assert response.status_code == 200
    assert "不是一个有效的值" in response.content.decode()
    assert not cast.camp.task_forces.exists()


def test_the_monthly_note_asks_for_a_month_with_a_month_picker(client, cast, clock):
    """It once offered a full date picker and asked for "该月任意一天"."""
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-chief-project", args=[cast.trainee_in_group_1.pk])
    client.post(url, {"title": "织里童装产业园", "goal": "年底投产", "milestones": "6月开工"})
    body = client.get(url).content.decode()
    assert re.search(r'<input type="month" name="month" value="2026-03"', body)
    assert "该月任意一天" not in body
    client.post(
        reverse("curriculum-progress-note", args=[cast.trainee_in_group_1.pk]),
        {"month": "2026-03", "text": "完成土地报批"},
    )
    assert ProgressNote.objects.get().month == datetime.date(2026, 3, 1)
