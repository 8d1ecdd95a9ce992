"""Import files waiting for a confirmation (the candidate list, the after-camp record): an import
that changes what is already known is shown first and written only once someone confirms
exactly that preview (`preview_digest`, `preview_confirm`), so the file waits in between, named
by its SHA-256. It holds personal data: it is deleted once imported, and a daily task deletes
any left unconfirmed (`pending_imports_expire`)."""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

FOLDER = "imports/pending"
SHA256 = re.compile(r"[0-9a-f]{64}")
# A day is long enough to check a preview and short enough not to keep files nobody needs.
KEEP_FOR = datetime.timedelta(days=1)


def _path(sha256: str) -> str:
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256")  # never a path taken from a request as it stands
    return f"{FOLDER}/{sha256}.xlsx"


def pending_import_save(*, sha256: str, file) -> None:
    path = _path(sha256)
    if not default_storage.exists(path):
        file.seek(0)
        default_storage.save(path, ContentFile(file.read()))


def pending_import_open(*, sha256: str):
    """The waiting file, open for reading, or None once it is gone (imported or expired)."""
    path = _path(sha256)
    if not default_storage.exists(path):
        return None
    return default_storage.open(path, "rb")


def pending_import_delete(*, sha256: str) -> None:
    default_storage.delete(_path(sha256))


def pending_imports_expire(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files that waited longer than KEEP_FOR; returns how many (a dry run only
    counts them: the retention job's preview)."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    if not default_storage.exists(FOLDER):
        return 0
    _folders, names = default_storage.listdir(FOLDER)
    expired = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            if not dry_run:
                default_storage.delete(path)
            expired += 1
    return expired


def preview_digest(*shown) -> str:
    """Names exactly what a preview showed (the file's hash and each change), so that a
    confirmation applies to that and nothing else."""
    return hashlib.sha256(repr(list(shown)).encode()).hexdigest()


def preview_confirm(
    *, changes: int, digest: str, reason: str, confirmed: str | None, need_reason: str
) -> str:
    """The rule of an import that changes what is already known: it needs a reason
    (`need_reason` says so, naming how many `changes`), and `confirmed`, the digest of the
    preview someone approved, must still be the preview's now. Returns the reason, trimmed."""
    reason = (reason or "").strip()
    if changes and not reason:
        raise ValidationError(need_reason % {"n": changes})
    if confirmed is not None and confirmed != digest:
        raise ValidationError(_("预览之后名单或系统中的数据已有变化，请重新上传并核对。"))
    return reason
