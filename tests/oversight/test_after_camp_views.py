"""The after-camp pages: the graduates across editions, the promotion rates, the graduate's
page with its forms, and the demo step."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from camp.demo import DemoContext
from oversight.after_camp_demo import build_after_camp
from oversight.models import Appraisal, PostChange
from oversight.services.after_camp import post_change_create, post_change_update
from tests.factories import UserFactory

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    old, new = finished_camp("2023"), finished_camp("2024")
    by = orgdept_user()
    one, two = graduate(old, "王一"), graduate(new, "李二")
    post_change_create(
        graduate=one,
        by=by,
        date=D(2024, 6, 1),
        post="织里镇镇长",
        rank="section_chief",
        promotion=True,
    )
    return old, new, one, two, by


def _queries(client, url, **query) -> int:
    client.get(url, query)  # the first request warms what every later one finds cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured)


def test_the_graduates_list_takes_the_same_queries_for_one_row_or_many(client, world):
    _old, new, *_rest, by = world
    client.force_login(by)
    url = reverse("aftercamp-graduates")
    few = _queries(client, url)
    for name in ("赵三", "钱四", "孙五"):
        graduate(new, name)
    assert _queries(client, url) == few
    # session, user; the menu's current edition (none running here, so also the latest one);
    # the page's count, its rows (person, edition, latest post, promoted in subqueries), and
    # the edition filter's choices
    assert few == 7


def test_the_list_filters_by_edition_promotion_and_name(client, world):
    old, _new, _one, _two, by = world
    client.force_login(by)
    url = reverse("aftercamp-graduates")

    def names(**query):
        rows = client.get(url, query).context["listing"].rows
        return sorted(g.person.name for g in rows)

    assert names() == ["李二", "王一"]
    assert names(camp=old.pk) == ["王一"]
    assert names(promoted="yes") == ["王一"]
    assert names(promoted="no") == ["李二"]
    assert names(q="le") == ["李二"]


def test_the_overview_shows_each_editions_rates_in_few_queries(client, world, monkeypatch):
    *_rest, by = world
    client.force_login(by)
    url = reverse("aftercamp-overview")
    count = _queries(client, url)
    finished_camp("2025")
    assert _queries(client, url) == count
    # session, user; the menu's current edition (none running, so also the latest one); the
    # editions; their rates in one query (after_camp_selectors.promotion_rates)
    assert count == 6
    page = client.get(url).content.decode()
    assert "100.0%（1/1）" in page


def test_a_leader_reads_the_graduates_page_with_the_camp_record_and_no_forms(client, world, cast):
    _old, _new, one, *_rest = world
    client.force_login(cast.leader)
    page = client.get(reverse("aftercamp-graduate", args=[one.pk])).content.decode()
    assert "织里镇镇长" in page
    assert "在训期间（培训档案）" in page
    assert "出勤" in page
    assert "记录任职变动" not in page


def test_orgdept_records_a_post_change_and_a_stale_edit_is_refused(client, world):
    _old, _new, _one, two, by = world
    client.force_login(by)
    new_url = reverse("aftercamp-record-new", args=[two.pk, "post"])
    fields = {
        "date": "2025-03-01",
        "post": "区发改局副局长",
        "rank": "deputy_division_chief",
        "promotion": "on",
    }
    assert client.post(new_url, fields).status_code == 302
    change = PostChange.objects.get(graduate=two)
    assert change.promotion
    refused = client.post(new_url, {**fields, "date": "2024-01-01"})
    assert refused.status_code == 400
    assert "日期不能早于本期结业日期" in refused.content.decode()
    other = UserFactory(username="orgdept_b", full_name="组织部乙", role="orgdept")
    post_change_update(
        post_change=change,
        by=other,
        version=1,
        date=D(2025, 3, 1),
        post="副局长",
        rank="deputy_division_chief",
        promotion=True,
    )
    edit_url = reverse("aftercamp-record-edit", args=["post", change.pk])
    stale = client.post(edit_url, {**fields, "version": 1, "post": "局长"})
    assert stale.status_code == 400
    assert "已被 组织部乙 于" in stale.content.decode()
    change.refresh_from_db()
    assert change.post == "副局长"


def test_the_demo_step_writes_records_for_finished_editions_only(world):
    old, _new, *_rest = world
    for index in range(30):
        graduate(old, f"往届{index:02d}")
    ctx = DemoContext(today=D(2026, 11, 30), password="x", rng=random.Random(7), log=lambda _: None)
    ctx.shared["orgdept"] = orgdept_user()
    build_after_camp(ctx)
    changes = PostChange.objects.filter(graduate__camp=old)
    assert changes.filter(promotion=True).count() >= 5
    assert all(old.graduation_date <= c.date <= ctx.today for c in changes)
    # One grade for each full year since graduation: 2024 and 2025 for edition 2023.
    assert set(Appraisal.objects.filter(graduate__camp=old).values_list("year", flat=True)) == {
        2024,
        2025,
    }
    assert Appraisal.objects.filter(graduate__camp=old).count() == 2 * 31
