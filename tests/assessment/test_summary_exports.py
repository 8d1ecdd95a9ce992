"""The `monthly` and `ranking` workbooks: headers, values (never formulas), sheets, and a
month without a summary refused in Chinese."""

import datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from assessment.models import AssessmentItem
from assessment.services.summaries import monthly_class_text_save, monthly_summary_compute
from camp.workbooks import ExportRequest, NoDataError, build_export

from .conftest import raw_entry

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def march(cast):
    raw_entry(cast.trainee_in_group_1, 3, "8", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 1, "2", datetime.date(2026, 3, 14))
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    monthly_class_text_save(camp=cast.camp, month=MARCH, text="=本月总体良好", by=cast.staff)


def _load(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def test_the_monthly_workbook(cast, march):
    workbook, filename = build_export(
        "monthly", ExportRequest(camp=cast.camp, user=cast.staff, month=MARCH)
    )
    book = _load(workbook)
    assert book.sheetnames == ["学员", "小组平均", "小结正文"]
    rows = list(book["学员"].iter_rows(values_only=True))
    header = rows[1]
    assert header[3:6] == ("理论教育", "党性锻炼", "能力提升")
    assert header[6] == "集中培训出勤"
    assert header[6 + 25] == "岗位实绩反馈"
    assert header[-6:] == (
        "总分",
        "已考核分值",
        "班级排名",
        "小组排名",
        "较上月变化",
        "累计出勤率（%）",
    )
    lines = {row[1]: row for row in rows[2:]}
    mine = lines[cast.trainee_in_group_1.person.name]
    assert mine[6 + 2] == 8  # item 3, a value
    assert mine[6 + 3] == "未考核"  # item 4: not yet assessed, never 0
    item_values = [v for v in mine[6:32] if isinstance(v, int | float)]
    assert Decimal(str(mine[-6])) == sum(Decimal(str(v)) for v in item_values)
    theirs = lines[cast.trainee_in_group_2.person.name]
    assert theirs[6] == 18
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
    groups = list(book["小组平均"].iter_rows(values_only=True))
    assert len(groups) == 2 + 2 + 1  # title, header, two groups, the class
    text = list(book["小结正文"].iter_rows(values_only=True))
    assert text[2][0] == "'=本月总体良好"  # text, never a formula
    assert "3月小结" in filename


def test_the_monthly_workbook_labels_groups_and_shows_scores_with_one_decimal(cast, march):
    from assessment.models import MonthlySummaryRow

    # A trainee without a group at the month's end keeps an empty group cell.
    MonthlySummaryRow.objects.filter(trainee=cast.trainee_in_group_2).update(group=None)
    workbook, _ = build_export(
        "monthly", ExportRequest(camp=cast.camp, user=cast.staff, month=MARCH)
    )
    book = _load(workbook)
    sheet = book["学员"]
    header = [cell.value for cell in sheet[2]]
    lines = {row[1].value: row for row in sheet.iter_rows(min_row=3)}
    mine = lines[cast.trainee_in_group_1.person.name]
    assert mine[2].value == "第1组·党的建设"
    assert lines[cast.trainee_in_group_2.person.name][2].value is None
    item_3, item_4 = mine[6 + 2], mine[6 + 3]
    assert item_3.value == 8
    assert item_3.number_format == "0.0"  # shows 8.0
    assert item_4.value == "未考核"
    assert item_4.number_format == "General"
    for name in ("理论教育", "党性锻炼", "总分", "已考核分值"):
        cell = mine[header.index(name)]
        assert isinstance(cell.value, int | float), name
        assert cell.number_format == "0.0", name
    for name in ("序号", "班级排名", "小组排名"):
        cell = mine[header.index(name)]
        assert isinstance(cell.value, int), name
        assert cell.number_format == "General", name

    groups = list(book["小组平均"].iter_rows(min_row=3))
    assert [row[0].value for row in groups] == ["第1组·党的建设", "第2组·经济发展", "全班"]
    assert groups[0][2].number_format == "0.0"  # the average total
    assert groups[0][1].number_format == "General"  # the head count


def test_the_ranking_workbook(cast, march):
    workbook, _ = build_export(
        "ranking", ExportRequest(camp=cast.camp, user=cast.staff, month=MARCH)
    )
    book = _load(workbook)
    assert book.sheetnames == ["班级排名", "小组排名"]
    klass = list(book["班级排名"].iter_rows(values_only=True))[2:]
    assert [row[0] for row in klass] == [1, 2]
    assert (
        klass[0][2] == cast.trainee_in_group_1.person.name
    )  # the grade counts; the other was deducted
    assert [row[1] for row in klass] == ["第1组·党的建设", "第2组·经济发展"]
    groups = list(book["小组排名"].iter_rows(values_only=True))[2:]
    assert {row[1] for row in groups} == {1}
    assert [row[0] for row in groups] == ["第1组·党的建设", "第2组·经济发展"]


def test_a_month_without_a_summary_is_refused(cast):
    for kind in ("monthly", "ranking"):
        with pytest.raises(NoDataError, match="尚未计算月度小结"):
            build_export(kind, ExportRequest(camp=cast.camp, user=cast.staff, month=MARCH))


def test_the_command_exits_non_zero_without_a_summary(cast, tmp_path):
    with pytest.raises(CommandError, match="尚未计算月度小结"):
        call_command(
            "export_report",
            "monthly",
            camp="2026",
            month="2026-04",
            output=str(tmp_path / "x.xlsx"),
        )


def test_an_item_named_like_a_formula_is_text_in_the_monthly_header(cast, march):
    AssessmentItem.objects.filter(scheme__camp=cast.camp, number=3).update(
        name='=HYPERLINK("http://evil.example","点我")'
    )
    workbook, _filename = build_export(
        "monthly", ExportRequest(camp=cast.camp, user=cast.staff, month=MARCH)
    )
    header = [cell.value for cell in _load(workbook)["学员"][2]]
    assert header[6 + 2] == '\'=HYPERLINK("http://evil.example","点我")'
    assert not any(str(value).startswith("=") for value in header if value)
