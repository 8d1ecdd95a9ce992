"""Comprehensive comparison (综合比选): the evidence next to each trainee in one view, in a fixed
number of queries; decisions with reasons, audited; who may see and decide, for every persona."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from camp.services.camps import camp_create
from camp.workbooks import ExportRequest, build_export
from oversight.models import ShortlistEntry, ShortlistRound
from oversight.services.shortlist import (
    shortlist_add_trainees,
    shortlist_decide,
    shortlist_round_create,
)
from tests.assessment.conftest import raw_entry
from tests.factories import TraineeFactory
from tests.personas import log_in_as

from .oversight_world import OversightWorld, build_world, summary_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def test_the_shortlist_shows_each_trainees_evidence(client, world):
    cast = world.cast
    page = log_in_as(client, cast.orgdept).get(
        reverse("shortlist-detail", args=[world.shortlist_round.pk])
    )
    html = page.content.decode()
    assert html.count('data-testid="evidence"') == 2
    # The round's own figures, as of its date, not the latest monthly summary's.
    assert "截至比选日期 2026-06-01" in html
    assert "班级排名 2 · 总分 76.5" in html
    assert "演讲擂台：13.5" in html
    assert "100.0%" in html  # attendance from the curriculum
    assert "表现突出，带头发言" in html  # a weekly-review remark
    assert "@视野开阔，务实肯干" in html  # a leader comment
    assert reverse("interview-detail", args=[world.interview.pk]) in html
    assert "共同富裕调研" in html
    assert "数字乡村项目" in html
    assert "推荐使用" in html
    # Talk records are never evidence.
    assert "谈话秘密内容" not in html
    assert "家庭困难" not in html


def test_leaders_read_the_shortlist_without_the_interviews(client, world):
    page = log_in_as(client, world.cast.leader).get(
        reverse("shortlist-detail", args=[world.shortlist_round.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "推荐使用" in html
    assert reverse("interview-detail", args=[world.interview.pk]) not in html
    assert "分类面谈记录保密" in html
    assert "导出Excel" not in html  # the shortlist workbook is for orgdept and staff


def test_the_evidence_takes_the_same_queries_for_two_or_ten_trainees(client, world):
    cast = world.cast
    url = reverse("shortlist-detail", args=[world.shortlist_round.pk])
    log_in_as(client, cast.orgdept)
    client.get(url)  # stamps the session, which the next visits do not write again
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    extra = [TraineeFactory(camp=cast.camp, group=cast.group_2) for _ in range(8)]
    for n, trainee in enumerate(extra):
        summary_row(trainee, datetime.date(2026, 4, 1), 90 + n, 3 + n)
    shortlist_add_trainees(shortlist_round=world.shortlist_round, trainees=extra, by=cast.orgdept)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert response.content.decode().count('data-testid="evidence"') == 10
    assert len(ten) == len(two)


def test_the_evidence_page_is_pinned(client, world, django_assert_num_queries):
    log_in_as(client, world.cast.orgdept)
    # session, user, menu camp, round (with who took its figures); entries (trainee, person,
    # group, chief project, decider) + remarks + comments + research + interviews; the round's
    # figures; their log (the round's history); the add form's candidates; the session save (3);
    # the menu's to-do count on a cold cache (2: a newly published month, rounds in progress)
    with django_assert_num_queries(17):
        client.get(reverse("shortlist-detail", args=[world.shortlist_round.pk]))


def test_orgdept_records_a_decision_with_its_reason_and_it_is_audited(client, world):
    cast = world.cast
    url = reverse("shortlist-decide", args=[world.entry_2.pk])
    log_in_as(client, cast.orgdept)
    refused = client.post(url, {"decision": "reserve", "reason": "  "})
    assert refused.status_code == 200
    assert "必填" in refused.content.decode()
    world.entry_2.refresh_from_db()
    assert world.entry_2.decision == ""
    client.post(url, {"decision": "reserve", "reason": "尚需历练"})
    client.post(url, {"decision": "recommended", "reason": "年底表现突出"})
    entry = ShortlistEntry.objects.get(pk=world.entry_2.pk)
    assert (entry.decision, entry.reason, entry.decided_by) == (
        "recommended",
        "年底表现突出",
        cast.orgdept,
    )
    history = list(entry.history.order_by("history_date"))
    assert [h.decision for h in history[-2:]] == ["reserve", "recommended"]
    assert {h.history_user for h in history[-2:]} == {cast.orgdept}
    page = client.get(url).content.decode()
    assert "尚需历练" in page  # the earlier decision stays readable


@pytest.mark.parametrize("persona", ["staff", "leader", "counselor_1", "trainee_1"])
def test_only_orgdept_decides(client, world, persona):
    user = getattr(world.cast, persona)
    response = log_in_as(client, user).post(
        reverse("shortlist-decide", args=[world.entry_2.pk]),
        {"decision": "recommended", "reason": "x"},
    )
    assert response.status_code == 403
    world.entry_2.refresh_from_db()
    assert world.entry_2.decision == ""


# Shortlists and their decisions: orgdept writes, staff and leaders read, counselors and
# trainees are refused every page.
READERS = {"staff", "orgdept", "leader"}


def test_shortlist_decisions_are_hidden_from_counselors_and_trainees(client, world):
    cast = world.cast
    urls = [
        reverse("shortlist-list", args=["2026"]),
        reverse("shortlist-detail", args=[world.shortlist_round.pk]),
        reverse("shortlist-decide", args=[world.entry_1.pk]),
    ]
    for persona, user in cast.everyone().items():
        log_in_as(client, user)
        for url in urls:
            response = client.get(url)
            if persona in READERS:
                assert response.status_code == 200, (persona, url)
            elif persona == "anonymous":
                assert response.status_code == 302
            else:
                assert response.status_code in (403, 404), (persona, url)
                assert "综合表现优秀" not in response.content.decode()


def test_a_round_is_created_and_trainees_added_once(client, cast):
    log_in_as(client, cast.orgdept)
    response = client.post(
        reverse("shortlist-list", args=["2026"]), {"title": "年中比选", "date": "2026-07-01"}
    )
    shortlist_round = ShortlistRound.objects.get()
    assert response["Location"] == reverse("shortlist-detail", args=[shortlist_round.pk])
    add = reverse("shortlist-add", args=[shortlist_round.pk])
    client.post(add, {"trainees": [cast.trainee_in_group_1.pk, cast.trainee_in_group_2.pk]})
    assert shortlist_round.entries.count() == 2
    added = shortlist_add_trainees(
        shortlist_round=shortlist_round, trainees=[cast.trainee_in_group_1], by=cast.orgdept
    )
    assert added == []
    assert shortlist_round.entries.count() == 2
    assert shortlist_round.entries.first().history.get().history_user == cast.orgdept


def test_a_trainee_of_another_camp_cannot_join_the_round(cast):
    other = camp_create(code="2027", name="2027届", year=2027)
    stranger = TraineeFactory(camp=other)
    shortlist_round = shortlist_round_create(
        camp=cast.camp, by=cast.orgdept, title="比选", date=datetime.date(2026, 7, 1)
    )
    with pytest.raises(ValidationError, match="只能比选本期学员"):
        shortlist_add_trainees(
            shortlist_round=shortlist_round, trainees=[stranger], by=cast.orgdept
        )
    assert not shortlist_round.entries.exists()


def test_an_unknown_decision_is_refused(world):
    with pytest.raises(ValidationError, match="请选择比选意见"):
        shortlist_decide(entry=world.entry_2, by=world.cast.orgdept, decision="maybe", reason="x")


def _figures_text(client, world) -> str:
    html = client.get(reverse("shortlist-detail", args=[world.shortlist_round.pk])).content
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_a_past_rounds_figures_do_not_move_when_a_later_month_is_computed(client, world):
    cast = world.cast
    log_in_as(client, cast.orgdept)
    before = _figures_text(client, world)
    assert "班级排名 2 · 总分 76.5" in before
    # Months later: December is computed, and a bonus is recorded after the round's date.
    summary_row(cast.trainee_in_group_1, datetime.date(2026, 12, 1), 250, 1)
    raw_entry(cast.trainee_in_group_1, 25, "5.0", day=datetime.date(2026, 9, 1))
    after = _figures_text(client, world)
    assert "班级排名 2 · 总分 76.5" in after
    assert "250" not in after
    workbook, _name = build_export(
        "shortlist",
        ExportRequest(camp=cast.camp, user=cast.orgdept, round_id=world.shortlist_round.pk),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = list(load_workbook(buffer)["综合比选"].iter_rows(min_row=3, values_only=True))
    zhang = next(row for row in rows if row[1] == "张三")
    assert zhang[4:7] == (datetime.datetime(2026, 6, 1), 2, 76.5)


def test_refreshing_the_figures_is_deliberate_and_logged(client, world):
    cast = world.cast
    # A correction dated before the round: the figures wait for the department to refresh.
    raw_entry(cast.trainee_in_group_1, 25, "5.0", day=datetime.date(2026, 5, 20))
    url = reverse("shortlist-refresh", args=[world.shortlist_round.pk])
    log_in_as(client, cast.orgdept)
    assert "总分 76.5" in _figures_text(client, world)
    client.post(url, {"reason": "  "})
    assert "总分 76.5" in _figures_text(client, world)
    for persona in ("staff", "leader"):
        assert (
            log_in_as(client, getattr(cast, persona)).post(url, {"reason": "x"}).status_code == 403
        )
    log_in_as(client, cast.orgdept)
    client.post(url, {"reason": "成绩更正后重新取数"})
    page = _figures_text(client, world)
    assert "总分 81.5" in page
    assert "成绩更正后重新取数" in page  # the log names why
    last = world.shortlist_round.history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason) == (cast.orgdept, "成绩更正后重新取数")
    assert world.shortlist_round.history.count() == 3  # created, first figures, refresh


def test_contest_points_appear_on_every_card_and_in_the_record(client, world):
    """Trainee 2 scored on item 20 through their group's contest: the card and the training
    record workbook show it, as the scores count it."""
    cast = world.cast
    log_in_as(client, cast.orgdept)
    page = _figures_text(client, world)
    assert "擂台比拼 13.5 分 演讲擂台：13.5（第1名）" in page
    assert "擂台比拼 12.0 分 小组擂台（第2组·经济发展）：12.0（第1名）" in page
    workbook, _name = build_export(
        "record", ExportRequest(camp=cast.camp, user=cast.staff, trainee=cast.trainee_in_group_2)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    contests = list(load_workbook(buffer)["擂台比拼"].iter_rows(min_row=3, values_only=True))
    assert [(row[1], row[2]) for row in contests] == [("小组擂台", 12.0)]


def test_the_cards_leave_count_is_the_sessions_on_leave_held_by_the_rounds_date(cast):
    """请假 on the card counts the sessions an approved leave covered that were held by the
    round's date (leave coverage), not leave requests: a leave for a day still to come
    counts nothing yet."""
    from curriculum.services.calendar import training_days_plan
    from curriculum.services.leave import leave_request
    from tests.factories import SessionFactory

    training_days_plan(camp=cast.camp, by=cast.staff)
    held = cast.camp.training_days.get(date=datetime.date(2026, 3, 14))
    to_come = cast.camp.training_days.get(date=datetime.date(2026, 3, 28))
    for day in (held, to_come):
        SessionFactory(training_day=day)
        SessionFactory(
            training_day=day,
            half_day="afternoon",
            start_time=datetime.time(14),
            end_time=datetime.time(16),
        )
    trainee = cast.trainee_in_group_1
    for day in (held, to_come):  # whole days: two sessions each
        leave_request(
            trainee=trainee,
            training_day=day,
            half_day="",
            reason="事假",
            by=cast.staff,
            approve=True,
        )

    shortlist_round = shortlist_round_create(
        camp=cast.camp, by=cast.orgdept, title="三月比选", date=datetime.date(2026, 3, 20)
    )

    figures = shortlist_round.figures.get(trainee=trainee)
    assert figures.on_leave == 2
    assert shortlist_round.figures.get(trainee=cast.trainee_in_group_2).on_leave == 0
