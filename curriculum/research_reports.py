"""A research report's file: which kinds are accepted (PDF, Word, Excel) and what its content
must look like to agree with its extension. A pure rule on the uploaded bytes; the research
topics' writes are services/research.py's."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What each allowed extension's content must look like. Office files are zip packages; the
# part inside tells a Word document from a workbook.
ALLOWED_REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def report_kind(upload) -> str:
    """The file's real kind ("pdf", "docx" or "xlsx"), read from its content, which must agree
    with its extension. Anything else is refused with what to do."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_REPORT_TYPES:
        raise ValidationError(_("只接受 PDF、Word（.docx）或 Excel（.xlsx）文件。"))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if ext == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(_("文件内容不是 PDF，请另存为 PDF 后重新上传。"))
        return ext
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("文件内容与扩展名不符，请用 Office/WPS 另存为 .%(ext)s 后重新上传。") % {"ext": ext}
        )
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as error:
        raise ValidationError(_("文件已损坏，无法打开，请重新导出后上传。")) from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or OFFICE_MAIN_PART[ext] not in names:
        raise ValidationError(
            _("文件内容与扩展名不符，请用 Office/WPS 另存为 .%(ext)s 后重新上传。") % {"ext": ext}
        )
    return ext
