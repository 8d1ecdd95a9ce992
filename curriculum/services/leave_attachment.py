"""A leave's attachment (a doctor's note): PDF or image, with the importers' size limit
(camp/uploads.py), judged by its bytes, not its name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from camp.uploads import sniff_file_type, upload_content

ACCEPTED = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _reject(message: str) -> ValidationError:
    return ValidationError(message)


def leave_attachment_check(upload) -> tuple[bytes, str]:
    """The bytes and a safe file name, or a ValidationError in Chinese; nothing is written."""
    content = upload_content(
        upload,
        reject=_reject,
        too_big=_("证明材料超过 %(mb)d MB，请压缩后再上传。"),
        empty=_("证明材料是空文件，请重新选择。"),
    )
    kind = sniff_file_type(content)
    if kind not in ACCEPTED:
        raise ValidationError(_("证明材料只接受 PDF、JPG 或 PNG 文件。"))
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(ACCEPTED[kind]):
        name = f"证明材料{ACCEPTED[kind][0]}"
    return content, name


def leave_attachment_store(leave, content: bytes, name: str) -> None:
    leave.attachment.save(name, ContentFile(content), save=False)
    leave.attachment_name = name
    leave.save(update_fields=["attachment", "attachment_name"])


def attachment_content_type(name: str) -> str:
    lower = name.lower()
    for kind, extensions in ACCEPTED.items():
        if lower.endswith(extensions):
            return CONTENT_TYPES[kind]
    return "application/octet-stream"
