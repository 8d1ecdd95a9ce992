"""Hypothesis strategies and helpers shared by the importer fuzz tests: nasty cell values,
files that are not workbooks, zip bombs and byte-level damage to a valid .xlsx.

Workbooks are built in code with openpyxl; what openpyxl refuses to write (a cell over 32,767
characters, a malformed sheet) is patched into the zip afterwards."""

import datetime
import io
import re
import zipfile
import zlib

from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CJK = re.compile(r"[\u3400-\u9fff]")
SHEET = "xl/worksheets/sheet1.xml"
HUGE = "HUGE-CELL-MARKER"  # replaced by 100k characters once the file is zipped
HUGE_TEXT = "字" * 100_000


def is_clear_chinese(messages) -> bool:
    messages = [str(message) for message in messages]
    return bool(messages) and all(message.strip() and CJK.search(message) for message in messages)


# Text openpyxl can write: any unicode but the control characters XML forbids, no surrogates.
unicode_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=0, max_size=30
).filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text))

FORMULAS = (
    "=1+1",
    '=HYPERLINK("http://example.com/x","点这里")',
    "@SUM(A1:A3)",
    "=SUM(A1:A3)",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "=1/0",
)

DATE_SHAPES = (
    43890,  # an Excel serial typed into a General cell
    43890.5,
    datetime.datetime(1990, 5, 1, 13, 30),
    datetime.date(1991, 7, 8),
    datetime.time(12, 0),
    "2026/3/1",
    "2026-3-1",
    "20260301",
    "二〇二六年",
    "1990年5月1日",
    "1990-02-30",
    "1990-05-01T00:00:00",
    "１９９０-０５-０１",
    "0000-00-00",
    "9999-12-31",
    "yesterday",
)

wrong_types = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, max_value=10**6, min_value=-(10**6)
    ),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
)

nasty_value = st.one_of(
    st.none(),
    st.just(""),
    st.just("   "),
    st.just(HUGE),
    st.sampled_from(FORMULAS),
    st.sampled_from(DATE_SHAPES),
    wrong_types,
    unicode_text,
)


def rezip(content: bytes, edit) -> bytes:
    """The same zip with each member's bytes passed through `edit(name, data)`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = edit(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return out.getvalue()


def with_huge_cells(content: bytes) -> bytes:
    return rezip(content, lambda _name, data: data.replace(HUGE.encode(), HUGE_TEXT.encode()))


def zip_bomb(content: bytes, inflated: int) -> bytes:
    """`content` with its first sheet replaced by `inflated` bytes of highly compressible XML.
    The zip is small; the central directory declares the true, huge size."""
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(head)
                chunk = b"<row/>" * (1 << 17)
                written = len(head) + len(tail)
                while written < inflated:
                    sheet.write(chunk)
                    written += len(chunk)
                sheet.write(tail)
    return out.getvalue()


def lying_zip_bomb(content: bytes, inflated: int, declared: int = 1000) -> bytes:
    """A sheet whose deflate stream inflates to `inflated` bytes while the zip declares only
    `declared`: a check of the declared sizes alone passes it."""
    data = b"<row/>" * (inflated // 6)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(data) + compressor.flush()
    bomb = rezip(content, lambda name, data: b"S" * declared if name == SHEET else data)
    # Swap the stored placeholder stream for the bomb's, then patch both size fields.
    archive = zipfile.ZipFile(io.BytesIO(bomb))
    info = archive.getinfo(SHEET)
    raw = bytearray(bomb)
    local = info.header_offset
    name_len = int.from_bytes(raw[local + 26 : local + 28], "little")
    extra_len = int.from_bytes(raw[local + 28 : local + 30], "little")
    start = local + 30 + name_len + extra_len
    end = start + info.compress_size
    rebuilt = raw[:start] + stream + raw[end:]
    return _patch_sizes(bytes(rebuilt), SHEET, len(stream) - info.compress_size, len(stream))


def _patch_sizes(content: bytes, name: str, shift: int, compressed: int) -> bytes:
    """Fix the compressed size of `name` and the offsets after it (local header, central
    directory and end record), leaving the declared uncompressed size as it was."""
    raw = bytearray(content)
    archive_end = raw.rfind(b"PK\x05\x06")
    # The end record still holds the central directory's offset from before the swap.
    central = int.from_bytes(raw[archive_end + 16 : archive_end + 20], "little") + shift
    count = int.from_bytes(raw[archive_end + 10 : archive_end + 12], "little")
    position = central
    target_offset = None
    for _ in range(count):
        assert raw[position : position + 4] == b"PK\x01\x02"
        name_len = int.from_bytes(raw[position + 28 : position + 30], "little")
        extra_len = int.from_bytes(raw[position + 30 : position + 32], "little")
        comment_len = int.from_bytes(raw[position + 32 : position + 34], "little")
        entry_name = raw[position + 46 : position + 46 + name_len].decode()
        offset = int.from_bytes(raw[position + 42 : position + 46], "little")
        if entry_name == name:
            target_offset = offset
            raw[position + 20 : position + 24] = compressed.to_bytes(4, "little")
        position += 46 + name_len + extra_len + comment_len
    assert target_offset is not None
    raw[target_offset + 18 : target_offset + 22] = compressed.to_bytes(4, "little")
    # Members stored after the sheet moved by `shift`.
    position = central
    for _ in range(count):
        name_len = int.from_bytes(raw[position + 28 : position + 30], "little")
        extra_len = int.from_bytes(raw[position + 30 : position + 32], "little")
        comment_len = int.from_bytes(raw[position + 32 : position + 34], "little")
        offset = int.from_bytes(raw[position + 42 : position + 46], "little")
        if offset > target_offset:
            raw[position + 42 : position + 46] = (offset + shift).to_bytes(4, "little")
        position += 46 + name_len + extra_len + comment_len
    raw[archive_end + 16 : archive_end + 20] = central.to_bytes(4, "little")
    return bytes(raw)


def dimension_bomb(content: bytes) -> bytes:
    """A sheet that claims to span A1:XFD1048576 and has one cell in its last row: a few KB,
    but a billion cells to a reader that trusts the claim."""

    def edit(name, data):
        if name != SHEET:
            return data
        text = data.decode()
        text = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', text)
        cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return text.replace("</sheetData>", cell + "</sheetData>").encode()

    return rezip(content, edit)


# Raw sheet XML a hand-made or damaged file may hold; openpyxl never writes these.
RAW_CELLS = (
    '<c r="{ref}" t="n"><v>abc</v></c>',
    '<c r="{ref}" t="s"><v>999999</v></c>',
    '<c r="{ref}" t="b"><v>7</v></c>',
    '<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
    '<c r="{ref}" t="d"><v>not a date</v></c>',
    '<c r="{ref}" t="str"><f>1+1</f><v>2</v></c>',
    '<c r="{ref}"><f>SUM(A1:A3)</f></c>',
    '<c r="{ref}" s="9999"><v>1</v></c>',
    '<c r="{ref}"><v>1e400</v></c>',
    '<c r="{ref}" t="inlineStr"><is><t>&#x1F600;&amp;&lt;</t></is></c>',
    '<c r="ZZZZZ{row}" t="inlineStr"><is><t>x</t></is></c>',
    '<c r="{ref}"><v>',  # truncated: malformed XML
)


def raw_cell(content: bytes, marker: str, template: str, row: int, ref: str) -> bytes:
    """Swap the cell holding `marker` for the raw XML `template`."""

    def edit(name, data):
        if name != SHEET:
            return data
        pattern = re.compile(
            r'<c r="[A-Z]+\d+"[^>]*><is><t>' + re.escape(marker) + r"</t></is></c>"
        )
        return pattern.sub(template.format(ref=ref, row=row), data.decode(), count=1).encode()

    return rezip(content, edit)


def flip_bytes(content: bytes, positions: list[int]) -> bytes:
    raw = bytearray(content)
    for position in positions:
        raw[position % len(raw)] ^= 0xFF
    return bytes(raw)


def not_xlsx(valid: bytes):
    """Files under an .xlsx name that are not a workbook."""
    csv = "姓名,性别,出生日期\n张三,男,1990-05-01\n".encode()

    def zip_of(members: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return out.getvalue()

    return st.one_of(
        st.binary(min_size=1, max_size=2000),
        st.just(csv),
        st.just(csv.decode().encode("gbk")),
        st.just(b"\xef\xbb\xbf" + csv),
        st.just(b"<html><body>\xe5\x90\x8d\xe5\x8d\x95</body></html>"),
        st.just(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),  # an old .xls header
        # Not bounded by len(valid): a saved workbook's length varies with its timestamp.
        st.integers(min_value=1, max_value=1 << 16).map(lambda n: valid[: n % len(valid) or 1]),
        st.just(zip_of({"readme.txt": b"hello"})),
        st.just(zip_of({"[Content_Types].xml": b"<Types/>"})),
        st.just(zip_of({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<x"})),
        st.just(rezip(valid, lambda name, data: None if name == "xl/workbook.xml" else data)),
        st.just(rezip(valid, lambda name, data: None if name == SHEET else data)),
        st.just(rezip(valid, lambda name, data: data[: len(data) // 2] if name == SHEET else data)),
        st.just(rezip(valid, lambda name, data: b"\0garbage" if name.endswith(".xml") else data)),
    )
