"""Candidate files waiting for a confirmation: an import that changes people already known is
shown first and written only once someone confirms it, so the file waits in between, named by
its SHA-256. It holds personal data: it is deleted once imported, and a daily task deletes any
left unconfirmed (`pending_imports_expire`)."""

from __future__ import annotations

import datetime
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

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
