"""camp/documents.py: the base of every Word document kind."""

import io

from docx import Document
from docx.oxml.ns import qn

from camp.documents import add_table, add_title, document_text, new_document, plain_text


def _reopened(document):
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return Document(buffer)


def test_a_new_document_is_a4_portrait_with_chinese_fonts():
    document = _reopened(new_document(title="学员鉴定表"))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert document.core_properties.title == "学员鉴定表"


def test_text_is_written_literally_and_survives_a_round_trip():
    document = new_document()
    add_title(document, "=SUM(A1) 学员鉴定表")
    add_table(document, [["姓名", "张三\n第二行"], ["备注", None]], widths_cm=[3, 12], header=True)
    text = document_text(_reopened(document))
    assert "=SUM(A1) 学员鉴定表" in text
    assert "张三\n第二行" in text
    assert round(document.tables[0].columns[1].cells[0].width.cm, 1) == 12.0


def test_characters_xml_cannot_hold_are_dropped():
    assert plain_text("a\x00b\x1fc") == "abc"
    assert plain_text(None) == ""
