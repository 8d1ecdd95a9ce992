"""The curriculum plan: the article's default targets, planned and done per classroom, kinds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import ActivityKind, CurriculumTarget
from curriculum.selectors import curriculum_plan
from curriculum.services.plan import activity_kind_create, curriculum_target_set_count
from curriculum.services.research import research_topic_create
from tests.factories import SessionFactory


def test_a_new_camp_gets_the_articles_default_counts(cast):
    counts = dict(CurriculumTarget.objects.filter(camp=cast.camp).values_list("label", "count"))
    assert counts == {
        "青春心向党专题党课": 10,
        "青能量公开课": 10,
        "能力模块专题辅导": 3,
        "部门主要负责人授课": 6,
        "调研课题": 9,
        "突击队": 6,
    }


def test_the_article_kinds_are_seeded_per_classroom(db):
    kinds = dict(ActivityKind.objects.filter(builtin=True).values_list("name", "classroom"))
    assert len(kinds) == 13
    assert kinds["专题党课"] == "conviction"
    assert kinds["异地现场教学"] == "empowerment"
    assert kinds["圆桌会"] == "mentoring"
    assert kinds["调研"] == "research"
    assert kinds["经验分享交流会"] == "practice"


def test_planned_and_done_are_counted_against_the_targets(cast, year, clock):
    # year: one party lecture and one department lecture on 14 March; add a later lecture.
    SessionFactory(training_day=year.days[10], topic="后续党课")
    research_topic_create(camp=cast.camp, title="课题一")
    clock.at(datetime.datetime(2026, 3, 20, 9, 0))
    plan = curriculum_plan(cast.camp)
    rows = {r["target"].label: r for c in plan["classrooms"] for r in c["targets"]}
    assert (rows["青春心向党专题党课"]["planned"], rows["青春心向党专题党课"]["done"]) == (2, 1)
    assert (rows["部门主要负责人授课"]["planned"], rows["部门主要负责人授课"]["done"]) == (1, 1)
    assert (rows["调研课题"]["planned"], rows["调研课题"]["done"]) == (1, 0)
    conviction = next(c for c in plan["classrooms"] if c["classroom"] == "conviction")
    assert (conviction["planned"], conviction["done"]) == (2, 1)
    assert plan["instructor_mix"] == [("学界", 1), ("政界", 1), ("业界", 0)]


def test_staff_set_counts_and_add_kinds_with_clear_refusals(cast):
    target = CurriculumTarget.objects.get(camp=cast.camp, label="突击队")
    curriculum_target_set_count(target=target, count=7)
    target.refresh_from_db()
    assert target.count == 7
    with pytest.raises(ValidationError):
        curriculum_target_set_count(target=target, count=-1)
    kind = activity_kind_create(name="微党课", classroom="conviction")
    assert not kind.builtin
    with pytest.raises(ValidationError, match="已有名为"):
        activity_kind_create(name="微党课", classroom="mentoring")


def test_the_plan_page_shows_targets_and_staff_add_a_kind(client, cast, year):
    client.force_login(cast.staff)
    body = client.get(reverse("curriculum-plan", args=[cast.camp.code])).content.decode()
    assert "青春心向党专题党课" in body
    assert "凝心铸魂课堂" in body
    response = client.post(
        reverse("curriculum-kind-new", args=[cast.camp.code]),
        {"name": "微党课", "classroom": "conviction"},
    )
    assert response.status_code == 302
    assert ActivityKind.objects.filter(name="微党课").exists()
    client.force_login(cast.leader)
    client.post(
        reverse("curriculum-kind-new", args=[cast.camp.code]),
        {"name": "领导课", "classroom": "conviction"},
    )
    assert not ActivityKind.objects.filter(name="领导课").exists()
