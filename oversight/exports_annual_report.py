"""Document kind `annual-report`: the annual report to the 市委 for one edition, as a Word
document (A4, camp.documents), its tables and charts as the print page shows them
(oversight/annual_report.py). Staff, orgdept and leaders may have it.

    python manage.py export_report annual-report --camp 2025 -o report.docx
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.documents import (
    add_heading,
    add_image,
    add_paragraph,
    add_table,
    add_title,
    new_document,
)
from camp.workbooks import ExportRequest, export_filename, register

from .access import can_read_annual_report
from .annual_report import annual_report
from .annual_report_blocks import AnnualReport, Chart, long_date


def annual_report_document(report: AnnualReport):
    """The report as a Word document: title, addressee, opening, the numbered sections with
    their tables and charts, and the issuer and date at the end, right-aligned."""
    document = new_document(title=report.title)
    add_title(document, report.title)
    add_paragraph(document, report.addressee)
    add_paragraph(document, report.opening, indent=True)
    for section in report.sections:
        add_heading(document, section.heading)
        for text in section.paragraphs:
            add_paragraph(document, text, indent=True)
        for block in section.blocks:
            if isinstance(block, Chart):
                add_image(document, block.png, caption=block.title)
            else:
                add_table(
                    document, [block.header, *block.rows], widths_cm=block.widths_cm, header=True
                )
                add_paragraph(document)  # a table never runs into what follows
    add_paragraph(document)
    add_paragraph(document, report.issuer, align="right")
    add_paragraph(document, long_date(report.issued_on), align="right")
    return document


@register(
    "annual-report",
    label=gettext_lazy("年度培训情况报告"),
    allowed=can_read_annual_report,
    media="docx",
    needs_camp=True,
)
def build_annual_report(request: ExportRequest):
    report = annual_report(request.camp)
    return annual_report_document(report), export_filename(
        request.camp, _("年度培训情况报告"), media="docx"
    )
