"""The editions side by side (届次对比): one page for staff, orgdept and leaders comparing every
edition (oversight.editions_selectors), as charts (Chart.js through static/js/charts.js) and
tables with the same numbers, and the `editions` workbook to download."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from assessment.models import Category
from camp.access import allowed
from camp.workbooks import ExportRequest, NoDataError, build_export, registry

from ..access import can_compare_editions
from ..editions_selectors import edition_figures
from ..exports_editions import composition_rows, overview_columns


def _number(value):
    return None if value is None else float(value)


def _charts(figures) -> dict:
    """Chart.js specs (plain numbers): the editions along the axis, or one dataset per
    edition over a composition's categories."""
    editions = [one.camp.code for one in figures]

    def per_edition(attribute: str, value=lambda share: share.percent) -> dict:
        shares = [getattr(one, attribute) for one in figures]
        return {
            "type": "bar",
            "labels": [str(share.label) for share in shares[0]] if shares else [],
            "datasets": [
                {"label": code, "data": [_number(value(share)) for share in edition]}
                for code, edition in zip(editions, shares, strict=True)
            ],
        }

    charts = {
        "editions-size": {
            "type": "bar",
            "labels": editions,
            "datasets": [
                {"label": _("录取人数"), "data": [one.admitted for one in figures]},
                {"label": _("在训人数"), "data": [one.members for one in figures]},
                {"label": _("结业人数"), "data": [one.graduates for one in figures]},
            ],
        },
        "editions-rates": {
            "type": "bar",
            "labels": editions,
            "datasets": [
                {
                    "label": _("出勤率（累计，%）"),
                    "data": [_number(one.attendance_rate) for one in figures],
                },
                {
                    "label": _("结业率（%）"),
                    "data": [_number(one.graduation_rate) for one in figures],
                },
            ],
            "max": 100,
        },
        "editions-categories": {
            "type": "bar",
            "labels": editions,
            "datasets": [
                {
                    "label": str(label),
                    "data": [_number(one.category_averages.get(key)) for one in figures],
                }
                for key, label in Category.choices
            ],
        },
    }
    for attribute in ("cadre_types", "ranks", "age_bands", "sectors"):
        charts[f"editions-{attribute}"] = per_edition(attribute)
    charts["editions-distribution"] = per_edition("distribution", lambda share: share.count)
    return charts


@allowed(can_compare_editions)
def editions(request):
    figures = edition_figures()
    columns = overview_columns()
    # Transposed (a figure per row, an edition per column): four editions fit a phone's width.
    overview = [(header, [read(one) for one in figures]) for header, read in columns]
    sections = zip(
        composition_rows(figures),
        ("cadre_types", "ranks", "age_bands", "sectors", "distribution"),
        strict=True,
    )
    return render(
        request,
        "oversight/editions.html",
        {
            "figures": figures,
            "overview": overview,
            "sections": [
                {"title": title, "rows": rows, "chart": f"editions-{attribute}"}
                for (title, rows), attribute in sections
            ],
            "charts": _charts(figures),
        },
    )


@allowed(can_compare_editions)
def editions_workbook(request):
    """The `editions` workbook (the kind's own access helper is asked again by build_export)."""
    try:
        workbook, filename = build_export("editions", ExportRequest(camp=None, user=request.user))
    except NoDataError as error:
        messages.warning(request, str(error))
        return redirect("editions")
    response = HttpResponse(content_type=registry["editions"].content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    workbook.save(response)
    return response


urlpatterns = [
    path("editions/", editions, name="editions"),
    path("editions/workbook/", editions_workbook, name="editions-workbook"),
]
