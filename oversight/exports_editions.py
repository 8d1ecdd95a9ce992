"""Workbook kind `editions` (届次对比): every edition side by side, as the editions page shows
them (oversight.editions_selectors). It spans the editions (`needs_camp=False`):
`python manage.py export_report editions -o FILE.xlsx`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Category
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    new_workbook,
    register,
)

from .access import can_compare_editions
from .editions_selectors import EditionFigures, edition_figures

PERCENT = "0.0"


def overview_columns() -> list[tuple[str, object]]:
    """(header, how to read it from an EditionFigures), the overview's columns in order; the
    page's overview table shows the same."""
    categories = [
        (
            _("%(category)s平均") % {"category": label},
            lambda f, key=key: f.category_averages.get(key),
        )
        for key, label in Category.choices
    ]
    return [
        (_("届次"), lambda f: f.camp.name),
        (_("状态"), lambda f: f.camp.get_status_display()),
        (_("数据截至"), lambda f: f.as_of),
        (_("计划人数"), lambda f: f.capacity),
        (_("录取人数"), lambda f: f.admitted),
        (_("退出人数"), lambda f: f.withdrawn),
        (_("在训人数"), lambda f: f.members),
        (_("乡镇(街道)党政正职经历（人）"), lambda f: f.township_chiefs.count),
        (_("乡镇(街道)党政正职经历（%）"), lambda f: f.township_chiefs.percent),
        (_("出勤率（累计，%）"), lambda f: f.attendance_rate),
        (_("总分平均"), lambda f: f.total_average),
        (_("总分中位数"), lambda f: f.total_median),
        *categories,
        (_("结业人数"), lambda f: f.graduates),
        (_("不予结业"), lambda f: f.not_graduated),
        (_("优秀学员"), lambda f: f.outstanding),
        (_("结业率（%）"), lambda f: f.graduation_rate),
        *promotion_columns(),
    ]


def promotion_columns() -> list[tuple[str, object]]:
    """Each N-year promotion rate, then up to which day it counts: a period still running
    says so (截至…), so a young edition's low rate is not read as a final one."""
    columns = []
    for index, years in enumerate((1, 2, 3)):
        columns += [
            (
                _("%(years)s年内提拔率（%%）") % {"years": years},
                lambda f, i=index: f.promotion_rates[i].rate if f.promotion_rates else None,
            ),
            (
                _("%(years)s年内提拔率统计至") % {"years": years},
                lambda f, i=index: _rate_period(f.promotion_rates[i]) if f.promotion_rates else "",
            ),
        ]
    return columns


def _rate_period(rate) -> str:
    if not rate.graduates:
        return ""
    if rate.so_far:
        return _("截至%(day)s（未满%(years)s年）") % {
            "day": rate.cut_off.isoformat(),
            "years": rate.years,
        }
    return _("已满%(years)s年（至%(day)s）") % {
        "day": rate.cut_off.isoformat(),
        "years": rate.years,
    }


def composition_rows(figures: list[EditionFigures]) -> list[tuple[str, list]]:
    """(dimension, [(category label, [Share per edition])]) for the composition tables."""
    dimensions = [
        (_("干部类别"), "cadre_types"),
        (_("职级"), "ranks"),
        (_("出生年份"), "age_bands"),
        (_("工作领域"), "sectors"),
        (_("总分分布"), "distribution"),
    ]
    result = []
    for title, attribute in dimensions:
        per_edition = [getattr(one, attribute) for one in figures]
        labels = [share.label for share in per_edition[0]] if per_edition else []
        rows = [
            (label, [shares[index] for shares in per_edition]) for index, label in enumerate(labels)
        ]
        result.append((title, rows))
    return result


@register(
    "editions",
    label=gettext_lazy("届次对比"),
    allowed=can_compare_editions,
    needs_camp=False,
)
def build_editions(request: ExportRequest):
    """Every edition side by side: the overview, then each composition with counts and
    shares per edition."""
    figures = edition_figures()
    if not figures:
        raise NoDataError(_("还没有任何届次。"))
    workbook = new_workbook()
    columns = overview_columns()
    overview = SheetWriter(
        workbook,
        _("南太湖新锐特训营届次对比"),
        _("概况"),
        [
            Column(header, 16 if index == 0 else 11, PERCENT if "%" in header else None)
            for index, (header, _read) in enumerate(columns)
        ],
    )
    for one in figures:
        overview.append([read(one) for _header, read in columns])
    headers = [Column(_("类别"), 14)]
    for one in figures:
        headers += [
            Column(_("%(edition)s（人）") % {"edition": one.camp.code}, 9),
            Column(_("%(edition)s（%%）") % {"edition": one.camp.code}, 9, PERCENT),
        ]
    for title, rows in composition_rows(figures):
        sheet = SheetWriter(workbook, _("届次对比：%(what)s") % {"what": title}, title, headers)
        for label, shares in rows:
            sheet.append([label, *[v for share in shares for v in (share.count, share.percent)]])
    return workbook, export_filename(None, _("届次对比"))
