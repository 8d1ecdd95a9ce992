"""Workbooks of the monthly summary: `monthly` (every trainee's line, group averages, the class
text) and `ranking` (class and group rankings). Both read only the published rows, streamed."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_group_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    labels_by_pk,
    new_workbook,
    register,
)
from trainees.selectors import camp_groups

from .access import export_group_scope
from .models import (
    Category,
    ClassMonthlySummary,
    GroupMonthlySummary,
    MonthlyClassText,
    MonthlySummaryRow,
)
from .selectors import scheme_items

NOT_ASSESSED = "未考核"


def _summary_or_fail(request: ExportRequest) -> ClassMonthlySummary:
    camp, month = request.camp, request.month
    if month is None:
        raise NoDataError(_("请指定月份（YYYY-MM）。"))
    summary = ClassMonthlySummary.objects.filter(camp=camp, month=month).first()
    if summary is None:
        raise NoDataError(
            _("%(camp)s %(month)s 尚未计算月度小结，请先在“每月小结”中计算该月。")
            % {"camp": camp.name, "month": f"{month:%Y-%m}"}
        )
    return summary


def _group_scope(request: ExportRequest) -> set[int] | None:
    """The groups whose rows this request may carry: a counselor's own, the group asked for
    (`--group`), or every group (None)."""
    scope = export_group_scope(request.user)
    if request.group is not None:
        scope = {request.group.pk} if scope is None else scope & {request.group.pk}
    return scope


def _rows(camp, month, groups: set[int] | None = None):
    """The month's rows in class order, each with its `trainee_name` (not the trainee and the
    person as objects: the sheet shows the name only); the group is labelled once
    per workbook (`labels_by_pk`)."""
    rows = MonthlySummaryRow.objects.filter(camp=camp, month=month)
    if groups is not None:
        rows = rows.filter(group_id__in=groups)
    return rows.annotate(trainee_name=F("trainee__person__name")).order_by(
        F("class_rank").asc(nulls_last=True), "group__number", "trainee__person__name"
    )


def _month_label(month) -> str:
    return f"{month.year}年{month.month}月"


@register(
    "monthly", label=gettext_lazy("月度小结"), allowed=can_export_group_workbooks, needs_month=True
)
def build_monthly(request: ExportRequest):
    camp, month = request.camp, request.month
    summary = _summary_or_fail(request)
    items = list(scheme_items(camp))
    workbook = new_workbook()
    title = _("%(camp)s %(month)s小结") % {"camp": camp.name, "month": _month_label(month)}
    columns = [Column(_("序号"), 6), Column(_("姓名"), 10), Column(_("小组"), 12)]
    columns += [Column(str(label), 10) for _value, label in Category.choices]
    columns += [Column(item.name, 10) for item in items]
    columns += [
        Column(_("总分"), 8),
        Column(_("已考核分值"), 10),
        Column(_("班级排名"), 8),
        Column(_("小组排名"), 8),
        Column(_("较上月变化"), 10),
        Column(_("累计出勤率（%）"), 10),
    ]
    sheet = SheetWriter(workbook, title, _("学员"), columns)
    groups_in_scope = _group_scope(request)
    group_labels = labels_by_pk(camp_groups(camp))
    for number, row in enumerate(
        _rows(camp, month, groups_in_scope).iterator(chunk_size=500), start=1
    ):
        scores = row.item_scores or {}
        values = [number, row.trainee_name, group_labels.get(row.group_id, "")]
        values += [row.theory, row.party_spirit, row.capability]
        for item in items:
            score = scores.get(str(item.number))
            values.append(NOT_ASSESSED if score is None else Decimal(score))
        values += [
            row.total,
            row.assessed_points,
            row.class_rank,
            row.group_rank,
            row.change,
            row.attendance_rate,
        ]
        sheet.append(values)

    groups = SheetWriter(
        workbook,
        title,
        _("小组平均"),
        [
            Column(_("小组"), 14),
            Column(_("人数"), 6),
            Column(_("平均总分"), 10),
            Column(_("理论教育"), 10),
            Column(_("党性锻炼"), 10),
            Column(_("能力提升"), 10),
            Column(_("平均已考核分值"), 12),
            Column(_("当月出勤率（%）"), 12),
        ],
    )
    group_rows = GroupMonthlySummary.objects.filter(camp=camp, month=month)
    if groups_in_scope is not None:
        group_rows = group_rows.filter(group_id__in=groups_in_scope)
    for group in group_rows.order_by("group__number"):
        groups.append(
            [
                group_labels[group.group_id],
                group.trainee_count,
                group.average_total,
                group.average_theory,
                group.average_party_spirit,
                group.average_capability,
                group.average_assessed_points,
                group.attendance_rate,
            ]
        )
    groups.append(
        [
            _("全班"),
            summary.trainee_count,
            summary.average_total,
            None,
            None,
            None,
            summary.average_assessed_points,
            summary.attendance_rate,
        ]
    )

    text = MonthlyClassText.objects.filter(camp=camp, month=month).first()
    words = SheetWriter(workbook, title, _("小结正文"), [Column(_("月度小结正文"), 120)])
    words.append([text.text if text else _("（尚未填写小结正文）")])
    return workbook, export_filename(camp, f"{_month_label(month)}小结")


@register(
    "ranking", label=gettext_lazy("成绩排名"), allowed=can_export_group_workbooks, needs_month=True
)
def build_ranking(request: ExportRequest):
    camp, month = request.camp, request.month
    _summary_or_fail(request)
    workbook = new_workbook()
    title = _("%(camp)s %(month)s成绩排名") % {"camp": camp.name, "month": _month_label(month)}
    common = [
        Column(_("姓名"), 10),
        Column(_("总分"), 8),
        Column(_("已考核分值"), 10),
        Column(_("较上月变化"), 10),
    ]
    klass = SheetWriter(
        workbook, title, _("班级排名"), [Column(_("班级排名"), 8), Column(_("小组"), 14), *common]
    )
    groups_in_scope = _group_scope(request)
    group_labels = labels_by_pk(camp_groups(camp))
    for row in _rows(camp, month, groups_in_scope).iterator(chunk_size=500):
        klass.append(
            [
                row.class_rank,
                group_labels.get(row.group_id, ""),
                row.trainee_name,
                row.total,
                row.assessed_points,
                row.change,
            ]
        )
    by_group = SheetWriter(
        workbook, title, _("小组排名"), [Column(_("小组"), 14), Column(_("小组排名"), 8), *common]
    )
    rows = MonthlySummaryRow.objects.filter(camp=camp, month=month, group__isnull=False)
    if groups_in_scope is not None:
        rows = rows.filter(group_id__in=groups_in_scope)
    rows = rows.annotate(trainee_name=F("trainee__person__name")).order_by(
        "group__number", F("group_rank").asc(nulls_last=True), "trainee__person__name"
    )
    for row in rows.iterator(chunk_size=500):
        by_group.append(
            [
                group_labels[row.group_id],
                row.group_rank,
                row.trainee_name,
                row.total,
                row.assessed_points,
                row.change,
            ]
        )
    return workbook, export_filename(camp, f"{_month_label(month)}成绩排名")
