"""Reading an uploaded .xlsx: every refusal goes through the importer's own `reject`, with its
own words, and nothing unreadable reaches openpyxl unguarded."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from camp.uploads import upload_content, upload_workbook


class Refused(Exception):
    pass


WORDS = {"not_xlsx": "不是xlsx", "too_large": "解压过大"}


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_opens_with_formulas_as_typed():
    workbook = upload_workbook(_xlsx(), reject=Refused, max_unpacked_bytes=10**7, **WORDS)
    assert list(workbook.active.iter_rows(values_only=True)) == [("姓名", "=1+1")]


@pytest.mark.parametrize("content", [b"plain text", b"PK\x03\x04broken zip"])
def test_what_is_not_an_xlsx_is_refused_in_the_importers_words(content):
    with pytest.raises(Refused, match="不是xlsx"):
        upload_workbook(content, reject=Refused, max_unpacked_bytes=10**7, **WORDS)


def test_a_zip_that_would_unpack_too_large_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"0" * 100_000)
    with pytest.raises(Refused, match="解压过大"):
        upload_workbook(buffer.getvalue(), reject=Refused, max_unpacked_bytes=50_000, **WORDS)


def test_content_is_read_from_a_path_or_a_file_within_the_limit(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    words = {"reject": Refused, "too_big": "超过%(mb)d MB", "empty": "空文件"}
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"x" * 10)
    assert upload_content(path, **words) == b"x" * 10
    assert upload_content(io.BytesIO(b"y" * 10), **words) == b"y" * 10
    with pytest.raises(Refused, match="超过1 MB"):
        upload_content(io.BytesIO(b"z" * (1024 * 1024 + 1)), **words)
    with pytest.raises(Refused, match="空文件"):
        upload_content(io.BytesIO(b""), **words)
