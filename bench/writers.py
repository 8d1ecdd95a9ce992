"""Issue 19 §4: the province-wide sheet written by each workbook library, the same cells each.

Every writer gets the same rows (the export floor's one SQL query, `floors.export_floor_rows`)
and writes what the app's sheet has: a bold 14-point title in A1, a bold Chinese header in row
2, the data from row 3 with Decimals shown as "0.0" and everything else as it is, every text
through `camp.workbooks.safe_cell` (formula-looking text stays text), the header frozen (A3)
and repeated on every printed page, A4 landscape fitted to one page wide, the app's margins and
column widths. Only the library differs:

- `sheetwriter`: the app's own `SheetWriter` (openpyxl write-only with its reused cells);
- `openpyxl`: openpyxl write-only through its public API, one `WriteOnlyCell` per formatted
  value, as a developer would write it without the app's shortcut;
- `xlsxwriter`: XlsxWriter with `constant_memory` (rows streamed to a temporary file) and
  `strings_to_formulas`, `strings_to_numbers`, `strings_to_urls` off;
- `rustpy`: rustpy-xlsxwriter (Rust's rust_xlsxwriter), for reference: rows as dicts, its
  column formats, merged title over the first columns.

The floor of the export target is the faster of `openpyxl` and `xlsxwriter`.
tests/bench/test_writers.py opens each library's output and compares it cell for cell.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Iterable, Sequence
from typing import BinaryIO

NUMBER_FORMAT = "0.0"  # what SheetWriter gives a Decimal in a column without its own format
TITLE_SIZE = 14
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}
A4 = 9


# The province sheet's columns that hold Decimals (categories, the 26 items, total, assessed
# points, change, attendance rate); the others hold text or integers (ranks, row number).
DECIMAL_COLUMNS = frozenset((*range(4, 35), 37, 38))


def decimal_columns_marked(columns: Sequence) -> list:
    """The columns with "0.0" on those that hold Decimals: what SheetWriter gives a Decimal
    anyway, said per column for a library whose formats are per column (rustpy-xlsxwriter)."""
    return [
        dataclasses.replace(column, number_format=NUMBER_FORMAT)
        if index in DECIMAL_COLUMNS
        else column
        for index, column in enumerate(columns)
    ]


def _openpyxl_page_setup(ws) -> None:
    from openpyxl.worksheet.page import PageMargins

    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS)


def write_sheetwriter(sink: BinaryIO, title: str, columns: Sequence, rows: Iterable) -> int:
    from camp.workbooks import SheetWriter, new_workbook

    workbook = new_workbook()
    writer = SheetWriter(workbook, title, "学员", columns)
    writer.extend(rows)
    workbook.save(sink)
    return writer.rows_written


def write_openpyxl(sink: BinaryIO, title: str, columns: Sequence, rows: Iterable) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from camp.workbooks import safe_cell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("学员")
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    _openpyxl_page_setup(ws)
    cell = WriteOnlyCell(ws, value=safe_cell(title))
    cell.font = Font(bold=True, size=TITLE_SIZE)
    ws.append([cell])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=safe_cell(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for values in rows:
        row = []
        for value in values:
            if isinstance(value, decimal.Decimal):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = NUMBER_FORMAT
                row.append(cell)
            else:
                row.append(safe_cell(value))
        ws.append(row)
        count += 1
    workbook.save(sink)
    return count


def write_xlsxwriter(sink: BinaryIO, title: str, columns: Sequence, rows: Iterable) -> int:
    import xlsxwriter

    from camp.workbooks import safe_cell

    workbook = xlsxwriter.Workbook(
        sink,
        {
            "constant_memory": True,
            # Text is text: "=1+1", "0012" and "http://…" are written as typed (safe_cell has
            # already put a quote before a leading formula character).
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    ws = workbook.add_worksheet("学员")
    title_format = workbook.add_format({"bold": True, "font_size": TITLE_SIZE})
    header_format = workbook.add_format({"bold": True})
    number_format = workbook.add_format({"num_format": NUMBER_FORMAT})
    for index, column in enumerate(columns):
        ws.set_column(index, index, column.width)
    ws.freeze_panes(2, 0)
    ws.repeat_rows(1)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)
    write_string, write_number = ws.write_string, ws.write_number
    write_string(0, 0, safe_cell(title), title_format)
    for index, column in enumerate(columns):
        write_string(1, index, safe_cell(column.header), header_format)
    count = 0
    for row_index, values in enumerate(rows, start=2):
        for index, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, decimal.Decimal):
                write_number(row_index, index, value, number_format)
            elif isinstance(value, bool):
                ws.write_boolean(row_index, index, value)
            elif isinstance(value, int | float):
                write_number(row_index, index, value)
            else:
                write_string(row_index, index, safe_cell(value))
        count += 1
    workbook.close()
    return count


def write_rustpy(sink: BinaryIO, title: str, columns: Sequence, rows: Iterable) -> int:
    """For reference: its API takes records (dicts by header), so each row becomes one."""
    from rustpy_xlsxwriter import FastExcel, Format

    from camp.workbooks import safe_cell

    headers = [safe_cell(column.header) for column in columns]
    count = 0

    def records():
        nonlocal count
        for values in rows:
            count += 1
            yield {
                header: float(value) if isinstance(value, decimal.Decimal) else safe_cell(value)
                for header, value in zip(headers, values, strict=True)
            }

    number = Format().set_num_format(NUMBER_FORMAT)
    # Its column formats are per column: every column that holds Decimals gets "0.0" (text in
    # them, "未考核", keeps its text; integers there would show a decimal, as none do here).
    formats = [number if column.number_format == NUMBER_FORMAT else None for column in columns]
    (
        FastExcel(sink, columns=headers, sanitize_formulas=False)
        .format(bold_headers=True)
        .freeze(row=2)
        .sheet(
            "学员",
            records(),
            header_row=1,
            merge_ranges=[
                (0, 0, 0, 3, safe_cell(title), Format().set_bold().set_font_size(TITLE_SIZE))
            ],
            column_widths=[column.width for column in columns],
            column_formats=formats,
            page_setup={
                "landscape": True,
                "paper_size": A4,
                "repeat_rows": 1,
                "fit_to_pages": (1, 0),
                "margins": MARGINS,
            },
        )
        .save()
    )
    return count


WRITERS = {
    "sheetwriter": write_sheetwriter,
    "openpyxl": write_openpyxl,
    "xlsxwriter": write_xlsxwriter,
    "rustpy": write_rustpy,
}
