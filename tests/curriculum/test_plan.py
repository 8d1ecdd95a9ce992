"""The curriculum plan: the article's default targets, planned and done per classroom, kinds."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import ActivityKind, CurriculumTarget, ResearchTopic
from curriculum.plan_selectors import curriculum_plan, monthly_activities
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


def _badge(body: str, classroom: str) -> str:
    match = re.search(rf'data-progress="{classroom}">([^<]*)<', body)
    assert match, f"no progress badge for {classroom}"
    return match.group(1)


def test_a_classrooms_badge_says_what_its_rows_say(client, cast, year):
    # Four research sessions, all held; nine topics planned, two of them reported.
    for day in year.days[:4]:
        SessionFactory(training_day=day, classroom="research", activity_kind=_kind("调研"))
    for number in range(3):
        research_topic_create(camp=cast.camp, title=f"课题{number}")
    ResearchTopic.objects.filter(title__in=["课题0", "课题1"]).update(report="reports/r.pdf")
    client.force_login(cast.staff)
    body = client.get(reverse("curriculum-plan", args=[cast.camp.code])).content.decode()
    assert _badge(body, "research") == "已完成2/9个"
    assert "已完成4场" not in body
    assert "本课堂全部课程与活动：已排4场，已开展4场" in body


def _kind(name):
    return ActivityKind.objects.get(name=name)


def _round_table(cast, date, group):
    return SessionFactory(
        training_day=None,
        camp=cast.camp,
        date=date,
        classroom="mentoring",
        activity_kind=_kind("圆桌会"),
        group=group,
        attendance_required=False,
    )


def test_each_groups_round_table_per_month_is_done_planned_or_missing(client, cast, year):
    _round_table(cast, datetime.date(2026, 1, 14), cast.group_1)  # held
    _round_table(cast, datetime.date(2026, 3, 18), cast.group_1)  # ahead of 10 March
    _round_table(cast, datetime.date(2026, 4, 15), None)  # the whole class: both groups
    _round_table(cast, datetime.date(2026, 2, 11), cast.group_2)
    monthly = monthly_activities(cast.camp, datetime.date(2026, 3, 10))
    rows = {row["label"]: [cell["status"] for cell in row["cells"]] for row in monthly["rows"]}
    assert rows["第1组圆桌会"][:5] == ["done", "missing", "planned", "planned", "missing"]
    assert rows["第2组圆桌会"][:5] == ["missing", "done", "missing", "planned", "missing"]
    # February holds one training day: the 28th moved to 7 March.
    assert rows["集中培训日（每月2次）"][:4] == ["done", "missing", "planned", "planned"]
    missing = {(m["group"].number, m["month"].month) for m in monthly["missing_round_tables"]}
    assert (1, 2) in missing
    assert (2, 1) in missing
    assert (1, 1) not in missing
    client.force_login(cast.staff)
    body = client.get(reverse("curriculum-plan", args=[cast.camp.code])).content.decode()
    assert "第1组2026年2月" in body
    assert 'data-status="missing"' in body
