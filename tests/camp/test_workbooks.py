"""SheetWriter: what the cells hold and how they show, read back with openpyxl. Numbers show one
decimal, dates show as dates, free text is never a formula, empty stays empty; every row keeps
its own values although the writer refills the same styled cells row after row; and openpyxl's
own row path, should it stop calling the writer's, writes the same workbook."""

import datetime
import io
import zoneinfo
from decimal import Decimal
from unittest import mock

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from camp.workbooks import (
    FORMULA_TRIGGERS,
    Column,
    SheetWriter,
    current_period,
    mask_id_number,
    mask_phone,
    new_workbook,
    safe_cell,
    safe_sheet_title,
    safe_text,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

COLUMNS = [
    Column("文字", 10),
    Column("整数", 6),
    Column("分数", 8),
    Column("日期", 12),
    Column("时间", 16),
    Column("比例", 8, number_format="0.00%"),
    Column("月份", 10, number_format="yyyy-mm"),
]


def _saved(workbook):
    sink = io.BytesIO()
    workbook.save(sink)
    sink.seek(0)
    return load_workbook(sink)


def _write(rows, columns=COLUMNS, *, own_row_path=True):
    workbook = new_workbook()
    writer = SheetWriter(workbook, "测试标题", "测试", columns)
    if not own_row_path:
        # What openpyxl does when nothing replaces its row path.
        del writer.ws._values_to_row
    writer.extend(rows)
    return _saved(workbook)["测试"], writer


def _data_cells(sheet):
    return [list(row) for row in sheet.iter_rows(min_row=3)]


ROWS = [
    [
        "张三",
        7,
        Decimal("20.0"),
        datetime.date(2026, 3, 14),
        datetime.datetime(2026, 3, 14, 1, 30, tzinfo=datetime.UTC),
        0.25,
        datetime.date(2026, 3, 1),
    ],
    ["李四", 8, Decimal("18.5"), None, None, 0.5, None],
    ["=1+1", None, "未考核", datetime.date(2026, 4, 1), None, 1, datetime.date(2026, 4, 1)],
    ["王五", 9, Decimal("-1.5"), datetime.date(2026, 5, 9), None, None, None],
]


def test_numbers_show_one_decimal_and_dates_show_as_dates(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    sheet, _writer = _write(ROWS)
    first, second, third, fourth = _data_cells(sheet)

    assert first[0].value == "张三"
    assert first[1].value == 7
    assert first[1].number_format == "General"
    assert first[2].value == 20
    assert first[2].number_format == "0.0"  # shows 20.0
    assert first[3].value == datetime.datetime(2026, 3, 14)
    assert first[3].number_format == "yyyy-mm-dd"
    assert first[3].is_date
    # Local time, without a time zone (Excel has none): 01:30 UTC is 09:30 in Shanghai.
    assert first[4].value == datetime.datetime(2026, 3, 14, 9, 30)
    assert first[4].number_format == "yyyy-mm-dd hh:mm"
    assert first[4].is_date
    # A column's own format applies to its numbers and dates.
    assert first[5].value == 0.25
    assert first[5].number_format == "0.00%"
    assert first[6].value == datetime.datetime(2026, 3, 1)
    assert first[6].number_format == "yyyy-mm"

    assert second[2].value == 18.5
    assert second[2].number_format == "0.0"
    assert [cell.value for cell in second[3:5]] == [None, None]
    assert second[5].value == 0.5
    assert second[5].number_format == "0.00%"
    assert second[6].value is None

    assert third[0].value == "'=1+1"  # text, never a formula
    assert third[0].data_type == "s"
    assert third[1].value is None
    assert third[2].value == "未考核"
    assert third[2].number_format == "General"
    assert third[3].value == datetime.datetime(2026, 4, 1)
    assert third[3].number_format == "yyyy-mm-dd"

    assert fourth[2].value == -1.5
    assert fourth[2].number_format == "0.0"
    assert fourth[3].value == datetime.datetime(2026, 5, 9)
    assert [cell.value for cell in fourth[4:]] == [None, None, None]


def test_every_row_keeps_its_own_values_in_the_refilled_cells():
    columns = [Column("姓名"), Column("序号"), Column("分数"), Column("总分"), Column("日期")]
    rows = [
        [
            f"学员{n}",
            n,
            Decimal(n) / 10,
            Decimal(n) * 2,
            datetime.date(2026, 1, 1) + datetime.timedelta(n),
        ]
        for n in range(1, 301)
    ]
    rows[150][2] = None  # an empty cell between two numbers stays empty
    sheet, _writer = _write(rows, columns)

    read = [[cell.value for cell in row] for row in _data_cells(sheet)]
    assert len(read) == 300
    for n, (name, number, score, total, day) in enumerate(read, start=1):
        assert (name, number) == (f"学员{n}", n)
        assert score == (None if n == 151 else float(Decimal(n) / 10))
        assert total == n * 2
        assert day == datetime.datetime(2026, 1, 1) + datetime.timedelta(n)
    formats = {
        (cell.column, cell.number_format)
        for row in _data_cells(sheet)
        for cell in row
        if cell.value is not None
    }
    assert formats == {
        (1, "General"),
        (2, "General"),
        (3, "0.0"),
        (4, "0.0"),
        (5, "yyyy-mm-dd"),
    }


def test_a_date_in_a_column_formatted_for_numbers_shows_as_a_date_and_the_numbers_keep_theirs():
    rows = [[Decimal("1.5")], [datetime.date(2026, 1, 2)], [Decimal("2.5")]]
    sheet, _writer = _write(rows, [Column("混合", number_format="0.00")])
    cells = [row[0] for row in _data_cells(sheet)]
    assert [(cell.value, cell.number_format) for cell in cells] == [
        (1.5, "0.00"),
        (datetime.datetime(2026, 1, 2), "yyyy-mm-dd"),
        (2.5, "0.00"),
    ]


def test_a_time_of_day_keeps_openpyxls_format_and_the_values_after_it_stay_plain():
    rows = [
        [datetime.time(9, 30), 1, "甲"],
        [datetime.timedelta(hours=2), 2, "乙"],
        [None, 3, "丙"],
    ]
    sheet, _writer = _write(rows, [Column("时刻"), Column("序号"), Column("文字")])
    first, second, third = _data_cells(sheet)
    assert first[0].value == datetime.time(9, 30)
    assert first[0].is_date
    assert second[0].value == datetime.timedelta(hours=2)
    for row in (first, second, third):
        assert [cell.number_format for cell in row[1:]] == ["General", "General"]
    assert [row[1].value for row in (first, second, third)] == [1, 2, 3]


def test_the_title_and_header_rows_stay_bold_above_the_data():
    token = current_period.set("2026年3月")
    try:
        sheet, writer = _write(ROWS)
    finally:
        current_period.reset(token)
    title, header = list(sheet.iter_rows(max_row=2))
    assert title[0].value == "测试标题（2026年3月）"
    assert title[0].font.bold
    assert title[0].font.size == 14
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + len(ROWS) == 2 + writer.rows_written


def test_openpyxls_own_row_path_writes_the_same_workbook(settings):
    """The writer replaces openpyxl's row path for speed only: the cells, values and formats
    are those openpyxl writes from the same cells."""
    settings.TIME_ZONE = "Asia/Shanghai"

    def described(sheet):
        return [
            [(cell.value, cell.number_format, cell.data_type) for cell in row]
            for row in sheet.iter_rows()
        ]

    fast, _writer = _write(ROWS)
    theirs, _writer = _write(ROWS, own_row_path=False)
    assert described(fast) == described(theirs)


def test_rows_go_through_the_writers_row_path():
    """openpyxl 3.1 builds each row's cells in WriteOnlyWorksheet._values_to_row; if an upgrade
    stops calling it, the workbook stays right (above) but slow: this says so."""
    assert hasattr(WriteOnlyWorksheet, "_values_to_row")
    with mock.patch.object(
        SheetWriter, "_values_to_row", autospec=True, side_effect=SheetWriter._values_to_row
    ) as row_path:
        _write(ROWS)
    assert row_path.call_count == 2 + len(ROWS)  # title, header, data


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_text_starting_a_formula_is_written_as_text(trigger):
    assert safe_text(trigger + "SUM(A1)") == "'" + trigger + "SUM(A1)"
    sheet, _writer = _write([[trigger + "SUM(A1)"]], [Column("文字")])
    cell = _data_cells(sheet)[0][0]
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed; the quote in front is what matters.
    assert cell.value.startswith("'")
    assert cell.value[2:] == "SUM(A1)"


def test_masks_keep_the_ends_only():
    assert mask_id_number("330102199001011234") == "3301**********1234"
    assert mask_id_number("1234") == "****"
    assert mask_id_number(None) == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("1234567") == "*******"
    assert mask_phone("") == ""


def test_it_refuses_a_workbook_that_keeps_its_cells():
    """A normal workbook keeps the cell objects it is given: the reused cells would leave every
    row holding the last row's values, so only write-only workbooks are accepted."""
    from openpyxl import Workbook

    with pytest.raises(ValueError, match="write-only"):
        SheetWriter(Workbook(), "标题", "表", [Column("分数", 10)])


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_header_and_title_cells_are_never_formulas(trigger):
    """A column's header is often a name someone typed (an assessment item's), like data."""
    workbook = new_workbook()
    writer = SheetWriter(
        workbook, trigger + "HYPERLINK(A1)", trigger + "表:[1]/*?", [Column(trigger + "SUM(A1)")]
    )
    writer.append(["正常"])
    sheet = _saved(workbook).worksheets[0]
    title, header = sheet["A1"], sheet["A2"]
    for cell in (title, header):
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
    assert sheet.title == "表1"


def test_a_value_of_any_other_type_is_written_as_defused_text():
    class Typed:
        def __str__(self):
            return "=CMD()"

    sheet, _writer = _write([[Typed()]], [Column("文字")])
    assert _data_cells(sheet)[0][0].value == "'=CMD()"
    assert safe_cell(Decimal("1.5")) == Decimal("1.5")
    assert safe_cell(datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 1)


def test_a_sheet_title_keeps_within_excels_rules():
    assert safe_sheet_title("'=第一组'") == "第一组"
    assert safe_sheet_title("x" * 40) == "x" * 31
    assert safe_sheet_title("[]") == "Sheet"
