"""Workbook kind `shortlist` (a round of 综合比选 with its evidence and decisions): orgdept and
staff only. Registered with camp.workbooks through assessment/exports.py."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_class_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    new_workbook,
    register,
)

from .models import ShortlistRound
from .selectors import shortlist_evidence


def _join(items) -> str:
    return "；".join(items)


@register(
    "shortlist", label=gettext_lazy("综合比选"), allowed=can_export_class_workbooks, needs={"round"}
)
def build_shortlist(request: ExportRequest):
    """A round's shortlist with its evidence columns and the decisions (orgdept and staff)."""
    camp = request.camp
    if request.round_id is None:
        raise NoDataError(_("请指定比选轮次（命令行用 --round 编号）。"))
    shortlist_round = ShortlistRound.objects.filter(camp=camp, pk=request.round_id).first()
    if shortlist_round is None:
        raise NoDataError(
            _("%(camp)s 没有编号为 %(id)s 的比选轮次。")
            % {"camp": camp.name, "id": request.round_id}
        )
    evidence = shortlist_evidence(shortlist_round, with_interviews=True)
    if not evidence:
        raise NoDataError(_("该比选轮次还没有人选。"))
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 综合比选：%(title)s（%(date)s）")
        % {"camp": camp.name, "title": shortlist_round.title, "date": shortlist_round.date},
        _("综合比选"),
        [
            Column(_("序号"), 6),
            Column(_("姓名"), 10),
            Column(_("小组"), 8),
            Column(_("工作单位"), 20),
            Column(_("数据截至"), 12),
            Column(_("班级排名"), 8),
            Column(_("总分"), 8),
            Column(_("理论教育"), 8),
            Column(_("党性锻炼"), 8),
            Column(_("能力提升"), 8),
            Column(_("累计出勤率（%）"), 10),
            Column(_("擂台比拼得分"), 10),
            Column(_("擂台比拼"), 24),
            Column(_("讲评点评"), 40),
            Column(_("领导点评"), 40),
            Column(_("分类面谈"), 40),
            Column(_("调研课题"), 24),
            Column(_("首席项目"), 24),
            Column(_("比选意见"), 10),
            Column(_("理由"), 40),
            Column(_("决定人"), 10),
        ],
    )
    for number, item in enumerate(evidence, start=1):
        trainee = item.trainee
        figures = item.figures
        entry = item.entry
        sheet.append(
            [
                number,
                trainee.person.name,
                trainee.group.number if trainee.group else None,
                trainee.person.unit,
                shortlist_round.date if figures else None,
                figures.class_rank if figures else None,
                figures.total if figures else None,
                figures.theory if figures else None,
                figures.party_spirit if figures else None,
                figures.capability if figures else None,
                figures.attendance_rate if figures else None,
                item.contest_points,
                _join(
                    f"{p['title']} {p['result'] or '—'}（第{p['rank']}名）"
                    if p["rank"]
                    else f"{p['title']} {p['result'] or '—'}"
                    for p in (figures.contests if figures else [])
                ),
                _join(r.remark for r in item.remarks),
                _join(c.text for c in item.comments),
                _join(f"{i.category.name}：{i.notes}" for i in item.interviews),
                _join(m.topic.title for m in item.research),
                item.chief_project.title if item.chief_project else "",
                entry.get_decision_display() if entry.decision else _("未决定"),
                entry.reason,
                str(entry.decided_by) if entry.decided_by else "",
            ]
        )
    return workbook, export_filename(
        camp, _("综合比选_%(title)s") % {"title": shortlist_round.title}
    )
