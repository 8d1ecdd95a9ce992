"""The annual report to the 市委 (年度培训情况报告) for one edition: what the document and its
print page say, as sections of paragraphs, tables and charts.

The Word document (exports_annual_report.py) and the HTML page (views/annual_report.py) render
the same `AnnualReport`, so they never say different things. Figures come from two selectors:
the edition's own (`editions_selectors.edition_figures`, shared with the editions comparison)
and the report's (`annual_report_selectors.report_sections`). Charts are drawn on the server by
camp.charts, with the font the app ships.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Category
from camp.models import Camp

from .annual_report_blocks import AnnualReport, Chart, Section, Table, figure, long_date, percent
from .annual_report_selectors import ReportSections, report_sections
from .editions_selectors import EditionFigures, Share, edition_figures

ISSUER = "中共湖州市委党校"
NUMERALS = "一二三四五六七八九十"


def _chart(kind: str, *args, **kwargs) -> bytes:
    """Draw with camp.charts, imported here and not at the top: it loads matplotlib and the
    font, which every process would otherwise pay for at start-up (this module is imported
    when the document kind registers), though few ever draw."""
    from camp import charts

    return getattr(charts, kind)(*args, **kwargs)


def _shares_table(title: str, shares: list[Share]) -> Table:
    return Table(
        header=[title, _("人数"), _("占比")],
        rows=[[str(share.label), str(share.count), percent(share.percent)] for share in shares],
        widths_cm=[7.0, 4.0, 4.0],
    )


def _composition(edition: EditionFigures) -> Section:
    section = Section(_("学员规模与构成"))
    section.paragraphs.append(
        _(
            "本期共录取学员%(admitted)d人，其中中途退出%(withdrawn)d人，"
            "截至%(day)s在训%(members)d人。"
        )
        % {
            "admitted": edition.admitted,
            "withdrawn": edition.withdrawn,
            "day": long_date(edition.as_of),
            "members": edition.members,
        }
    )
    chiefs = edition.township_chiefs
    section.blocks += [
        _shares_table(_("干部类型"), edition.cadre_types),
        _shares_table(_("职级"), [share for share in edition.ranks if share.count]),
        _shares_table(_("出生年份"), edition.age_bands),
        _shares_table(_("工作经历领域"), edition.sectors),
    ]
    if chiefs is not None:
        section.paragraphs.append(
            _("具有乡镇(街道)党政正职经历的%(count)d人，占%(percent)s。")
            % {"count": chiefs.count, "percent": percent(chiefs.percent)}
        )
    section.blocks.append(
        Chart(
            _("学员年龄结构（按出生年份）"),
            _chart(
                "bar_chart",
                [share.label for share in edition.age_bands],
                [share.count for share in edition.age_bands],
                title=_("学员年龄结构（按出生年份）"),
                ylabel=_("人数"),
            ),
        )
    )
    section.blocks.append(
        Chart(
            _("学员工作经历领域"),
            _chart(
                "bar_chart",
                [share.label for share in edition.sectors],
                [share.count for share in edition.sectors],
                title=_("学员工作经历领域"),
                horizontal=True,
            ),
        )
    )
    return section


def _rate_axis(rates) -> tuple[int, int] | None:
    """From 5 points below the lowest rate to 100: the months' differences show, and the
    axis does not pretend a 96 is half of a 98."""
    present = [rate for rate in rates if rate is not None]
    return (max(0, int(min(present)) - 5), 100) if present else None


def _attendance(edition: EditionFigures, sections: ReportSections) -> Section:
    section = Section(_("考勤情况"))
    section.paragraphs.append(
        _("截至%(day)s，全班累计出勤率为%(rate)s。")
        % {"day": long_date(edition.as_of), "rate": percent(edition.attendance_rate)}
    )
    if sections.attendance_by_month:
        labels = [f"{month:%Y-%m}" for month, _rate in sections.attendance_by_month]
        rates = [rate for _month, rate in sections.attendance_by_month]
        section.blocks.append(
            Table(
                header=[_("月份"), _("当月出勤率")],
                rows=[[label, percent(rate)] for label, rate in zip(labels, rates, strict=True)],
                widths_cm=[7.0, 8.0],
            )
        )
        section.blocks.append(
            Chart(
                _("各月出勤率（%）"),
                _chart(
                    "line_chart",
                    labels,
                    [(_("出勤率（%）"), rates)],
                    title=_("各月出勤率（%）"),
                    y_limits=_rate_axis(rates),
                ),
            )
        )
    return section


def _scores(edition: EditionFigures) -> Section:
    section = Section(_("考核成绩"))
    averages = edition.category_averages
    section.paragraphs.append(
        _(
            "按三百分量化考核，截至%(day)s全班平均总分%(total)s分（中位数%(median)s分），"
            "其中理论教育%(theory)s分、党性锻炼%(party_spirit)s分、能力提升%(capability)s分。"
        )
        % {
            "day": long_date(edition.as_of),
            "total": figure(edition.total_average),
            "median": figure(edition.total_median),
            "theory": figure(averages.get(Category.THEORY)),
            "party_spirit": figure(averages.get(Category.PARTY_SPIRIT)),
            "capability": figure(averages.get(Category.CAPABILITY)),
        }
    )
    section.blocks.append(_shares_table(_("总分分数段"), edition.distribution))
    section.blocks.append(
        Chart(
            _("总分分布"),
            _chart(
                "bar_chart",
                [share.label for share in edition.distribution],
                [share.count for share in edition.distribution],
                title=_("总分分布"),
                xlabel=_("分数段"),
                ylabel=_("人数"),
            ),
        )
    )
    section.blocks.append(
        Table(
            header=[_("考核类别"), _("平均分")],
            rows=[[str(label), figure(averages.get(key))] for key, label in Category.choices]
            + [[_("总分"), figure(edition.total_average)]],
            widths_cm=[7.0, 8.0],
        )
    )
    return section


def _groups(sections: ReportSections) -> Section:
    section = Section(_("各学习小组比较"))
    section.paragraphs.append(
        _("以下按%(day)s各学员所在小组统计（小组调整按生效日期计），平均分为在册学员的平均。")
        % {"day": long_date(sections.day)}
    )
    categories = list(Category.choices)
    section.blocks.append(
        Table(
            header=[
                _("小组"),
                _("政治辅导员"),
                _("人数"),
                *[str(label) for _key, label in categories],
                _("平均总分"),
                _("累计出勤率"),
                _("优秀学员"),
            ],
            rows=[
                [
                    row.label,
                    row.counselor,
                    str(row.members),
                    *[figure(row.averages.get(key)) for key, _label in categories],
                    figure(row.average_total),
                    percent(row.attendance_rate),
                    str(row.outstanding),
                ]
                for row in sections.groups
            ],
        )
    )
    labels = [sections.group_labels.get(row.group_id, row.label) for row in sections.groups]
    section.blocks.append(
        Chart(
            _("各小组类别平均分"),
            _chart(
                "grouped_bar_chart",
                labels,
                [
                    (str(label), [row.averages.get(key) for row in sections.groups])
                    for key, label in categories
                ],
                title=_("各小组类别平均分"),
                ylabel=_("分"),
            ),
        )
    )
    section.blocks.append(
        Chart(
            _("各小组平均总分"),
            _chart(
                "bar_chart",
                labels,
                [row.average_total for row in sections.groups],
                title=_("各小组平均总分"),
                ylabel=_("分"),
            ),
        )
    )
    return section


def _graduation(edition: EditionFigures, sections: ReportSections) -> Section:
    section = Section(_("结业与优秀学员"))
    if not (edition.graduates or edition.not_graduated):
        if sections.graduation_drafts:
            section.paragraphs.append(
                _("本期结业鉴定尚未定稿（已填写%(drafts)d人）。")
                % {"drafts": sections.graduation_drafts}
            )
        else:
            section.paragraphs.append(_("本期尚未进行结业鉴定。"))
        return section
    section.paragraphs.append(
        _(
            "本期准予结业%(graduates)d人，结业率%(rate)s；不予结业%(declined)d人；"
            "评选优秀学员%(outstanding)d人，占结业学员的%(outstanding_rate)s。"
        )
        % {
            "graduates": edition.graduates,
            "rate": percent(edition.graduation_rate),
            "declined": edition.not_graduated,
            "outstanding": edition.outstanding,
            "outstanding_rate": percent(edition.outstanding_rate),
        }
    )
    if sections.graduation_drafts:
        section.paragraphs.append(
            _("另有%(drafts)d人的结业鉴定尚未定稿，未计入以上数字。")
            % {"drafts": sections.graduation_drafts}
        )
    if sections.outstanding:
        section.blocks.append(
            Table(
                header=[
                    _("序号"),
                    _("姓名"),
                    _("小组"),
                    _("工作单位及职务"),
                    _("总分"),
                    _("班级排名"),
                ],
                rows=[
                    [
                        str(number),
                        row.name,
                        row.group,
                        f"{row.unit}{row.position}",
                        figure(row.total),
                        figure(row.class_rank),
                    ]
                    for number, row in enumerate(sections.outstanding, start=1)
                ],
                widths_cm=[1.3, 2.2, 1.8, 6.2, 1.8, 2.2],
            )
        )
    return section


def _projects_and_research(sections: ReportSections) -> Section:
    section = Section(_("首席项目与调研成果"))
    if sections.projects_of_outstanding:
        section.paragraphs.append(_("优秀学员负责的首席项目："))
    else:
        section.paragraphs.append(
            _("尚未评选优秀学员，以下为截至%(day)s总分前列学员负责的首席项目：")
            % {"day": long_date(sections.day)}
        )
    if sections.projects:
        section.blocks.append(
            Table(
                header=[_("负责人"), _("小组"), _("项目名称"), _("目标"), _("月度进展")],
                rows=[
                    [row.name, row.group, row.title, row.goal, str(row.progress_notes)]
                    for row in sections.projects
                ],
                widths_cm=[2.0, 1.8, 4.0, 6.0, 1.8],
            )
        )
    else:
        section.paragraphs.append(_("暂无首席项目。"))
    submitted = sum(1 for row in sections.research if row.report_uploaded_on)
    section.paragraphs.append(
        _("本期共设调研课题%(topics)d个，已提交调研报告%(submitted)d篇。")
        % {"topics": len(sections.research), "submitted": submitted}
    )
    if sections.research:
        section.blocks.append(
            Table(
                header=[
                    _("课题名称"),
                    _("组长"),
                    _("成员"),
                    _("指导老师"),
                    _("节点完成"),
                    _("调研报告"),
                ],
                rows=[
                    [
                        row.title,
                        row.leader,
                        str(row.members),
                        row.adviser,
                        f"{row.milestones_done}/{row.milestones}",
                        (
                            long_date(row.report_uploaded_on)
                            if row.report_uploaded_on
                            else _("未提交")
                        ),
                    ]
                    for row in sections.research
                ],
                widths_cm=[4.6, 1.8, 1.4, 2.0, 1.8, 4.0],
            )
        )
    return section


def annual_report(camp: Camp, today: datetime.date | None = None) -> AnnualReport:
    """The report for one edition, as of its graduation date (as of today while it runs)."""
    sections = report_sections(camp, today)
    # The edition as the editions comparison reads it, as of the same day.
    (edition,) = edition_figures([camp], on=sections.day)
    parts = [
        _composition(edition),
        _attendance(edition, sections),
        _scores(edition),
        _groups(sections),
        _graduation(edition, sections),
        _projects_and_research(sections),
    ]
    for index, part in enumerate(parts):
        part.heading = f"{NUMERALS[index]}、{part.heading}"
    if sections.graduated:
        opening = _("%(camp)s于%(start)s开班，%(end)s结业。现将本期培训情况报告如下。") % {
            "camp": camp.name,
            "start": long_date(camp.start_date),
            "end": long_date(sections.day),
        }
    else:
        opening = _(
            "%(camp)s于%(start)s开班，目前仍在培训中。现将截至%(day)s的培训情况报告如下。"
        ) % {"camp": camp.name, "start": long_date(camp.start_date), "day": long_date(sections.day)}
    return AnnualReport(
        camp=camp,
        day=sections.day,
        graduated=sections.graduated,
        title=_("关于%(camp)s培训情况的报告") % {"camp": camp.name},
        addressee=_("市委："),
        opening=opening,
        sections=parts,
        issuer=ISSUER,
        issued_on=timezone.localdate(),
    )
