"""Dashboards with charts: the class at a glance (staff, orgdept, leaders), a counselor's
group, and a trainee's own trend against the class average with nobody else's figures.
One charting approach: vendored Chart.js driven by static/js/charts.js from json_script data,
and every chart has its numbers in a table."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db.models import Avg
from django.urls import reverse

from assessment.models import MonthlySummaryRow
from oversight.dashboard_selectors import camp_dashboard, trainee_trend

from .oversight_world import OversightWorld, build_world

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2026, 4, 1)


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def _json(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


def test_the_class_dashboard_figures_match_the_database(world):
    cast = world.cast
    data = camp_dashboard(cast.camp, today=datetime.date(2026, 3, 1))
    assert data["headcount"] == {"active": 2, "withdrawn": 0, "capacity": 150}
    assert data["month"] == APRIL
    assert [(row["month"], row["rate"]) for row in data["attendance"]] == [
        (datetime.date(2026, 3, 1), Decimal("50.0"))  # one present, one absent
    ]
    assert sum(band["count"] for band in data["distribution"]) == 2
    assert next(b for b in data["distribution"] if b["label"] == "90–120")["count"] == 2
    by_label = {row["label"]: row for row in data["categories"]}
    group_1 = MonthlySummaryRow.objects.filter(month=APRIL, group=cast.group_1).aggregate(
        a=Avg("theory")
    )
    assert by_label["第1组"]["theory"] == Decimal(group_1["a"]).quantize(Decimal("0.1"))
    assert set(by_label) == {"第1组", "第2组", "全班"}
    assert [r.trainee for r in data["movers"]["top"]] == [cast.trainee_in_group_1]
    assert [r.trainee for r in data["movers"]["bottom"]] == [cast.trainee_in_group_2]
    assert data["next_day"].date == datetime.date(2026, 3, 14)


def test_the_dashboard_page_draws_every_chart_from_json_with_a_table(client, world):
    client.force_login(world.cast.orgdept)
    html = client.get(reverse("camp-dashboard", args=["2026"])).content.decode()
    for name in ("attendance", "distribution", "categories"):
        assert f'data-chart="class-{name}"' in html
        spec = _json(html, f"class-{name}")
        assert spec["labels"]
    assert _json(html, "class-categories")["datasets"][0]["label"] == "理论教育"
    assert html.count('data-testid="distribution-row"') == 10
    assert html.count('data-testid="category-row"') == 3
    assert 'data-testid="mover-up"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "js/charts.js" in html
    # No inline script (the CSP forbids it): every <script> has a src or holds JSON.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html


def test_every_chart_has_one_static_driver(settings):
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    assert (root / "static/vendor/chartjs/chart.umd.min.js").exists()
    driver = (root / "static/js/charts.js").read_text()
    assert "json" in driver.lower()
    assert "new window.Chart" in driver


@pytest.mark.parametrize("persona", ["staff", "orgdept", "leader"])
def test_overseers_see_the_class_dashboard(client, world, persona):
    client.force_login(getattr(world.cast, persona))
    response = client.get(reverse("camp-dashboard", args=["2026"]))
    assert response.status_code == 200
    assert 'data-testid="panel-dashboard"' in response.content.decode()


@pytest.mark.parametrize("persona", ["counselor_1", "trainee_1"])
def test_others_are_refused_the_class_dashboard(client, world, persona):
    client.force_login(getattr(world.cast, persona))
    assert client.get(reverse("camp-dashboard", args=["2026"])).status_code == 403


def test_the_anonymous_are_sent_to_log_in(client, world):
    response = client.get(reverse("camp-dashboard", args=["2026"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_counselor_sees_the_same_for_their_group_only(client, world):
    client.force_login(world.cast.counselor_1)
    html = client.get(reverse("counselor-home")).content.decode()
    assert 'data-testid="panel-dashboard"' in html
    assert "本组概览" in html
    assert re.search(r'data-testid="headcount">\s*1\s*<', html)
    labels = _json(html, "group-categories")["labels"]
    assert labels == ["第1组", "全班"]
    assert "李四" not in html  # group 2's trainee, a mover in the class view


def test_a_trainee_sees_their_trend_against_the_class_average_only(client, world):
    cast = world.cast
    trend = trainee_trend(cast.trainee_in_group_1)
    assert [(r["month"], r["total"], r["average"]) for r in trend] == [
        (datetime.date(2026, 3, 1), Decimal("100.0"), Decimal("102.5")),
        (APRIL, Decimal("110.0"), Decimal("107.0")),
    ]
    client.force_login(cast.trainee_1)
    html = client.get(reverse("trainee-home")).content.decode()
    spec = _json(html, "trend-mine")
    assert spec["datasets"][0]["data"] == [100.0, 110.0]
    assert spec["datasets"][1]["data"] == [102.5, 107.0]
    assert html.count('data-testid="trend-row"') == 2
    # Nobody else's figures: trainee 2's name and totals (105.0, 104.0) are not on the page.
    assert "李四" not in html
    assert "105.0" not in html
    assert "104.0" not in html
    assert 'data-testid="panel-dashboard"' not in html


def test_the_class_panel_is_pinned(rf, world, django_assert_num_queries):
    """The panel alone, so that other apps' panels on the same page do not move the pin."""
    from django.template.loader import render_to_string

    from oversight.views.dashboards import class_panel
    from tests.factories import TrainingDayFactory

    TrainingDayFactory(camp=world.cast.camp, slot_date=datetime.date(2026, 12, 12))
    request = rf.get("/")
    request.user = world.cast.staff
    # headcount, attendance by month, latest month, next training day + its sessions,
    # distribution, categories (the month's ranked rows, one query for groups and the class),
    # movers up + down
    with django_assert_num_queries(9):
        render_to_string(
            "oversight/panels/class_dashboard.html", class_panel(request, world.cast.camp)
        )


def test_the_current_dashboard_leads_to_the_working_camp(client, world):
    client.force_login(world.cast.leader)
    response = client.get(reverse("dashboard-current"))
    assert response["Location"] == reverse("camp-dashboard", args=["2026"])
