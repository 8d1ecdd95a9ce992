"""Issue 19 §4: every workbook library writes the same cells (bench/writers.py).

Each library's output is opened with openpyxl and compared with the app's own SheetWriter's,
cell for cell: values, number formats, the title and header style, the frozen header and the
print set-up. Formula-looking text stays text in every one."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bench.writers import NUMBER_FORMAT, WRITERS, decimal_columns_marked
from camp.workbooks import Column

TITLE = "2026年12月全省月度小结"
COLUMNS = [
    Column("届次", 8),
    Column("序号", 6),
    Column("姓名", 10),
    Column("小组", 12),
    *(Column(f"项目{n}", 10) for n in range(31)),
    Column("班级排名", 8),
    Column("小组排名", 8),
    Column("较上月变化", 10),
    Column("累计出勤率（%）", 10),
]
ROWS = [
    [
        "B001",
        1,
        "王伟",
        "第1组",
        *(Decimal(f"{n}.5") for n in range(31)),
        1,
        1,
        Decimal("-1.5"),
        Decimal("97.9"),
    ],
    ["B001", 2, '=HYPERLINK("x")', "+第2组", *(["未考核"] * 31), None, None, None, Decimal("0.0")],
    ["B002", 1, "@李娜", "-1", *(Decimal("12") for _ in range(31)), 3, 2, Decimal("2.0"), None],
]


def _written(library: str):
    sink = io.BytesIO()
    count = WRITERS[library](sink, TITLE, decimal_columns_marked(COLUMNS), iter(ROWS))
    assert count == len(ROWS)
    return load_workbook(io.BytesIO(sink.getvalue())).worksheets[0]


def _cells(ws) -> list[list[tuple]]:
    """Every data cell as (value, number format, type); numbers as Decimal of their text, as a
    reader sees them (XlsxWriter and the Rust writer store 1 as 1, openpyxl too)."""
    result = []
    for row in ws.iter_rows(min_row=3, max_col=len(COLUMNS)):
        cells = []
        for cell in row:
            value = cell.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = Decimal(str(float(value)))
            fmt = cell.number_format if cell.value is not None else None
            cells.append((value, fmt, cell.data_type if cell.value is not None else None))
        result.append(cells)
    return result


@pytest.fixture(scope="module")
def app_sheet():
    return _written("sheetwriter")


@pytest.mark.parametrize("library", ["openpyxl", "xlsxwriter", "rustpy"])
def test_each_library_writes_the_apps_cells(app_sheet, library):
    ws = _written(library)
    cells, app_cells = _cells(ws), _cells(app_sheet)
    if library == "rustpy":
        # Its formats are per column, so the text of a number column ("未考核") carries "0.0"
        # too, which shows nothing different: compare the numbers' formats only.
        cells, app_cells = (
            [[c if c[2] == "n" else (c[0], None, c[2]) for c in row] for row in sheet]
            for sheet in (cells, app_cells)
        )
    assert cells == app_cells
    # Decimals show one decimal; text (including "未考核") stays text.
    assert ws.cell(3, 5).number_format == NUMBER_FORMAT
    assert ws.cell(4, 5).value == "未考核"


@pytest.mark.parametrize("library", ["openpyxl", "xlsxwriter", "rustpy"])
def test_formula_looking_text_stays_text(library):
    ws = _written(library)
    # safe_cell put a quote in front; no library turned it into a formula.
    assert ws.cell(4, 3).value == '\'=HYPERLINK("x")'
    assert ws.cell(4, 3).data_type == "s"
    assert ws.cell(4, 4).value == "'+第2组"
    assert ws.cell(5, 3).value == "'@李娜"
    assert ws.cell(5, 4).value == "'-1"
    assert not any(
        cell.data_type == "f" for row in ws.iter_rows() for cell in row if cell.value is not None
    )


@pytest.mark.parametrize("library", ["openpyxl", "xlsxwriter"])
def test_title_header_freeze_and_print_set_up_are_the_apps(app_sheet, library):
    ws = _written(library)
    assert ws["A1"].value == app_sheet["A1"].value == TITLE
    assert (ws["A1"].font.b, ws["A1"].font.sz) == (app_sheet["A1"].font.b, app_sheet["A1"].font.sz)
    header = [cell.value for cell in ws[2]]
    assert header == [cell.value for cell in app_sheet[2]] == [c.header for c in COLUMNS]
    assert all(cell.font.b for cell in ws[2])
    assert ws.freeze_panes == app_sheet.freeze_panes == "A3"
    assert ws.print_title_rows == app_sheet.print_title_rows
    setup, app_setup = ws.page_setup, app_sheet.page_setup
    # XlsxWriter leaves out a fitToWidth of 1, the file format's default: the same page.
    assert (
        setup.orientation,
        int(setup.paperSize),
        setup.fitToWidth or 1,
        setup.fitToHeight,
    ) == (app_setup.orientation, int(app_setup.paperSize), app_setup.fitToWidth or 1, 0)
    assert (ws.page_margins.left, ws.page_margins.top) == (
        app_sheet.page_margins.left,
        app_sheet.page_margins.top,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["C"].width == pytest.approx(
        app_sheet.column_dimensions["C"].width, abs=0.8
    )


def test_the_rust_writer_keeps_the_header_frozen_and_printed():
    ws = _written("rustpy")
    assert ws["A1"].value == TITLE
    assert [cell.value for cell in ws[2]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
