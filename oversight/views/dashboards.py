"""Dashboards with charts: the camp at a glance for staff, orgdept and leaders, a counselor's
group, and a trainee's own trend against the class average.

Each is a home panel (camp.panels) and the class one also a page of its own. Charts are drawn
by Chart.js (vendored) from `json_script` data through static/js/charts.js; every chart has
its numbers in a table beside it.
"""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext as _

from assessment.models import Category
from camp.access import allowed, get_camp_for
from camp.navigation import current_camp_for
from camp.panels import PANELS, panels_for, register_panel
from camp.roles import Role
from trainees.access import counseled_groups_in, trainee_for_user

from ..access import OVERSIGHT_READERS, can_read_oversight
from ..dashboard_selectors import camp_dashboard, trainee_trend


def _number(value):
    return None if value is None else float(value)


def _charts(data: dict, prefix: str) -> dict:
    """Chart.js specs (plain numbers) for static/js/charts.js."""
    charts = {
        "attendance": {
            "type": "line",
            "labels": [f"{row['month']:%Y-%m}" for row in data["attendance"]],
            "datasets": [
                {
                    "label": _("出勤率（%）"),
                    "data": [_number(row["rate"]) for row in data["attendance"]],
                }
            ],
            "max": 100,
        }
    }
    if data.get("month"):
        charts["distribution"] = {
            "type": "bar",
            "labels": [row["label"] for row in data["distribution"]],
            "datasets": [
                {"label": _("人数"), "data": [row["count"] for row in data["distribution"]]}
            ],
        }
        charts["categories"] = {
            "type": "bar",
            "labels": [row["label"] for row in data["categories"]],
            "datasets": [
                {
                    "label": str(label),
                    "data": [_number(row[key]) for row in data["categories"]],
                }
                for key, label in Category.choices
            ],
        }
    return {f"{prefix}-{name}": spec for name, spec in charts.items()}


def class_panel(request, camp):
    data = camp_dashboard(camp)
    return {
        "camp": camp,
        "data": data,
        "prefix": "class",
        "charts": _charts(data, "class"),
        "scope": _("全班"),
    }


def group_panel(request, camp):
    group_ids = set(counseled_groups_in(request.user, camp).values_list("pk", flat=True))
    if not group_ids:
        return None
    data = camp_dashboard(camp, group_ids=group_ids)
    return {
        "camp": camp,
        "data": data,
        "prefix": "group",
        "charts": _charts(data, "group"),
        "scope": _("本组"),
    }


def trend_panel(request, camp):
    trainee = trainee_for_user(request.user, camp)
    if trainee is None:
        return None
    trend = trainee_trend(trainee)
    chart = {
        "type": "line",
        "labels": [f"{row['month']:%Y-%m}" for row in trend],
        "datasets": [
            {"label": _("我的总分"), "data": [_number(row["total"]) for row in trend]},
            {"label": _("全班平均"), "data": [_number(row["average"]) for row in trend]},
        ],
    }
    return {"trend": trend, "charts": {"trend-mine": chart}}


@allowed(can_read_oversight)
def dashboard_current(request):
    """The dashboard of the camp the user works in: a home page for staff, orgdept and leaders
    (see ROLE_HOMES)."""
    camp = current_camp_for(request.user)
    if camp is None:
        return redirect("camp-list")
    return redirect("camp-dashboard", camp.code)


@allowed(can_read_oversight)
def dashboard(request, code):
    """The class dashboard as a page (and every other panel the role has)."""
    camp = get_camp_for(request.user, code)
    panels = [
        render_to_string(template, context, request=request)
        for template, context in panels_for(request, camp)
    ]
    return render(request, "oversight/dashboard.html", {"camp": camp, "panels": panels})


def register() -> None:
    register_panel(
        roles=set(OVERSIGHT_READERS),  # the home panels of those who read the dashboard
        order=5,
        template="oversight/panels/class_dashboard.html",
        context=class_panel,
    )
    register_panel(
        roles={Role.COUNSELOR},
        order=5,
        template="oversight/panels/class_dashboard.html",
        context=group_panel,
    )
    # Issue 4 may already give trainees a trend panel: then that one is the trend.
    has_trend = any(Role.TRAINEE in panel.roles and "trend" in panel.template for panel in PANELS)
    if not has_trend:
        register_panel(
            roles={Role.TRAINEE},
            order=5,
            template="oversight/panels/my_trend.html",
            context=trend_panel,
        )


urlpatterns = [
    path("dashboard/", dashboard_current, name="dashboard-current"),
    path("camps/<str:code>/dashboard/", dashboard, name="camp-dashboard"),
]
