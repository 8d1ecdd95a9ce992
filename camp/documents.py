"""Word documents (.docx) as the party school files them: A4 portrait, 仿宋 body text and 黑体
headings at official sizes, tables with full borders.

A document kind registers with `camp.workbooks.register(..., media="docx")` and builds its
document with `new_document()`. Word runs no formulas, so text is written literally (the
workbooks' formula guard does not apply); only characters XML cannot hold are dropped.

Sizes follow the usual practice for filed forms: 三号 (16 pt) for a title, 四号 (14 pt) for a
heading, 小四 (12 pt) for body text and table cells.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(16)  # 三号
HEADING_SIZE = Pt(14)  # 四号
BODY_SIZE = Pt(12)  # 小四
DISPLAY_SIZE = Pt(26)  # 一号: the one word of a certificate (结业证书)

# XML 1.0 cannot hold these: text pasted from elsewhere sometimes carries them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain_text(value: object) -> str:
    """Any value as text a .docx can hold ("" for None)."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value))


def _set_fonts(run_or_style, east_asian: str, size=None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    # python-docx sets only the Latin font; Chinese text reads w:eastAsia.
    r_pr = run_or_style.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def new_document(*, title: str = ""):
    """An empty A4 portrait document with the school's fonts; `title` is its core title."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _set_fonts(document.styles["Normal"], BODY_FONT, BODY_SIZE)
    document.core_properties.title = plain_text(title)
    document.core_properties.author = "中共湖州市委党校"
    return document


def add_title(document, text: str, *, size=TITLE_SIZE):
    """A centered bold title in 黑体."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(paragraph.add_run(plain_text(text)), HEADING_FONT, size, bold=True)
    return paragraph


def add_heading(document, text: str):
    """A section heading in 黑体 四号 (not Word's built-in heading styles, which are Latin)."""
    paragraph = document.add_paragraph()
    _set_fonts(paragraph.add_run(plain_text(text)), HEADING_FONT, HEADING_SIZE, bold=True)
    return paragraph


def add_paragraph(document, text: str = "", *, align: str | None = None, indent: bool = False):
    """Body text; `indent` gives the two-character first-line indent of Chinese prose."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(24)
    if align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_fonts(paragraph.add_run(plain_text(text)), BODY_FONT, BODY_SIZE)
    return paragraph


def add_table(document, rows, *, widths_cm=None, header: bool = False):
    """A bordered table of text; `rows` is a list of lists of values. With `header`, the first
    row is bold and repeats on every page."""
    rows = [list(row) for row in rows]
    columns = max((len(row) for row in rows), default=0)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The cells, listed once: python-docx's `table.cell(r, c)` lists every cell of the table
    # on each call, which made a table of a hundred rows take seconds. A new table has no
    # merged cells, so the list is row-major.
    cells = table._cells
    for row_index, row in enumerate(rows):
        for column_index in range(columns):
            value = row[column_index] if column_index < len(row) else ""
            set_cell_text(
                cells[row_index * columns + column_index],
                value,
                bold=header and row_index == 0,
            )
    if header and rows:
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    if widths_cm:
        for index, cell in enumerate(cells):
            width = widths_cm[index % columns] if index % columns < len(widths_cm) else None
            if width is not None:
                cell.width = Cm(width)
    return table


def set_cell_text(cell, value: object, *, bold: bool = False) -> None:
    """Replace a table cell's text; line breaks in `value` become paragraphs."""
    lines = plain_text(value).split("\n")
    cell.text = ""
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        _set_fonts(paragraph.add_run(line), BODY_FONT, BODY_SIZE, bold=bold)


def merge_across(table, row_index: int, first: int, last: int, value: object = None, **kwargs):
    """Merge a row's cells `first`..`last` (a form's wide field) and, with `value`, write it."""
    cell = table.cell(row_index, first).merge(table.cell(row_index, last))
    if value is not None:
        set_cell_text(cell, value, **kwargs)
    return cell


def set_min_height(table, row_index: int, height_cm: float) -> None:
    """Give a form's row room to write by hand (or for a long text): at least this tall."""
    row = table.rows[row_index]
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def chinese_date(day) -> str:
    """A date as filed papers write it: 2026年12月31日 ("" for None)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def add_image(document, png: bytes, *, width_cm: float = 15.6, caption: str = ""):
    """A picture (PNG bytes, e.g. a chart from camp.charts) centered at `width_cm`, which the
    default suits to the A4 text width; `caption` goes below it, centered."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        add_paragraph(document, caption, align="center")
    return paragraph


def add_page_break(document) -> None:
    document.add_page_break()


def document_text(document) -> str:
    """All text of a document, paragraphs and table cells, for tests and search."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
