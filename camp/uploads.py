"""Reading an uploaded .xlsx safely, for every importer (the candidate list, the fast-entry
grid): at most UPLOAD_MAX_BYTES read, a zip bomb refused before openpyxl unpacks it, at most
so many rows read (blank ones too: `bounded_lines`), formulas
read as the text typed and never evaluated, and any damage openpyxl meets reported as "not an
.xlsx" instead of a server error.

Each importer words its own messages and raises its own exception: `reject` turns a message
into that exception.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# What openpyxl raises on a damaged or hand-made file, when opening it or later, while it reads
# the sheet lazily: bad zip data, malformed XML (SyntaxError covers ElementTree and lxml), a
# shared string or style index out of range, a value that is not what its type says.
UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    SyntaxError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    OverflowError,
    RuntimeError,  # an encrypted member, or an unknown compression method
)

Reject = Callable[[str], Exception]


def upload_content(file, *, reject: Reject, too_big: str, empty: str) -> bytes:
    """The bytes of `file` (a path or a binary file object). `too_big` may name the limit in
    megabytes as %(mb)d."""
    limit = settings.UPLOAD_MAX_BYTES
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            content = handle.read(limit + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        content = file.read(limit + 1)
    if len(content) > limit:
        raise reject(too_big % {"mb": limit // (1024 * 1024)})
    if not content:
        raise reject(empty)
    return content


def upload_workbook(
    content: bytes, *, reject: Reject, max_unpacked_bytes: int, not_xlsx: str, too_large: str
):
    """The workbook, read-only and with formulas as text; `not_xlsx` for anything that is not
    a readable .xlsx, `too_large` when it would unpack past `max_unpacked_bytes`."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise reject(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise reject(not_xlsx) from error
    if unpacked > max_unpacked_bytes:
        raise reject(too_large)
    try:
        # data_only=False: a formula is read as its text and never evaluated.
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except UNREADABLE as error:
        raise reject(not_xlsx) from error


def bounded_lines(lines: Iterable, *, limit: int, reject: Reject, too_many: str) -> Iterator:
    """The sheet's rows as read, blank or not, refusing the file past `limit` of them.

    A limit on the rows kept misses the blank ones, and blank rows cost as much to parse: a
    4.5 MB file of 900,000 empty-looking rows held a web process for seconds. So the bound
    counts every row read."""
    for count, values in enumerate(lines, start=1):
        if count > limit:
            raise reject(too_many)
        yield values


def sniff_file_type(content: bytes) -> str | None:
    """What the bytes are, whatever the file is called: pdf, docx, jpeg, png or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None
