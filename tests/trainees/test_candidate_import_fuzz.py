"""The candidate import under random and damaged files (issue 6, "Bad input").

For every generated file the import either writes exactly what the file says, or refuses it
with a Chinese message and writes nothing; it never raises anything else. The expected content
is read back from the generated file with openpyxl in normal mode (not the importer's
read-only path), so the oracle does not share the importer's code."""

import datetime
import io
import re
import time
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.factories import CampFactory
from tests.xlsx_fuzz import (
    FORMULAS,
    HUGE,
    RAW_CELLS,
    dimension_bomb,
    flip_bytes,
    is_clear_chinese,
    lying_zip_bomb,
    nasty_value,
    not_xlsx,
    raw_cell,
    with_huge_cells,
    zip_bomb,
)
from trainees.candidate_file import COLUMNS, MAX_UNPACKED_BYTES
from trainees.models import Candidate, Person
from trainees.services.candidate_import import ImportRejected, candidates_import

from .candidate_files import id_number, row

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT_COLUMNS = ("姓名", "工作单位", "现任职务", "工作经历领域", "专业特长")


@pytest.fixture
def camp():
    return CampFactory()


@contextmanager
def rolled_back():
    """Each example starts from the same database: its writes are undone when it ends."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Candidate.objects.count(),
        Person.history.count(),
        Candidate.history.count(),
    )


def attempt(camp, content: bytes):
    """The import's result, or None after checking the refusal is Chinese and wrote nothing."""
    before = counts()
    try:
        return candidates_import(camp=camp, file=io.BytesIO(content), by=None)
    except ImportRejected as error:
        refusal = error
    assert is_clear_chinese(refusal.errors), refusal.errors
    assert counts() == before
    return None


def valid_rows(count: int) -> list[dict]:
    rows = []
    for index in range(count):
        birth = datetime.date(1988 + index, 1 + index, 10 + index)
        rows.append(
            row(
                姓名=f"候选人{index}",
                出生日期=birth if index % 2 else birth.isoformat(),
                身份证号=id_number(birth, index + 1) if index % 3 == 0 else None,
            )
        )
    return rows


def build(header: list, lines: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_huge_cells(buffer.getvalue())


def header_variant(kind: str) -> list:
    header = list(COLUMNS)
    if kind == "extra":
        header.append("备注")
    elif kind == "missing":
        header.remove("职级")
    elif kind == "renamed":
        header[header.index("职级")] = "级别"
    elif kind == "reversed":
        header.reverse()
    elif kind == "spaced":
        header = [f" {name[0]} {name[1:]}".replace("(", "（").replace(")", "）") for name in header]
    return header


@st.composite
def mutated_files(draw):
    """A valid file, then: nasty values in random cells, blank rows, and a changed header."""
    rows = valid_rows(draw(st.integers(min_value=1, max_value=4)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        target = draw(st.sampled_from(rows))
        target[draw(st.sampled_from(COLUMNS))] = draw(nasty_value)
    header_kind = draw(st.sampled_from(["same"] * 4 + ["extra", "missing", "renamed", "reversed"]))
    header_kind = (
        draw(st.sampled_from([header_kind, "spaced"])) if header_kind == "same" else header_kind
    )
    header = header_variant(header_kind)
    order = list(COLUMNS) if header_kind != "reversed" else list(reversed(COLUMNS))
    lines = [[values.get(column) for column in order] for values in rows]
    if header_kind == "extra":
        lines = [[*line, draw(nasty_value)] for line in lines]
    blank = st.sampled_from([[], [None, None], ["", None, ""]])
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        lines.insert(draw(st.integers(min_value=0, max_value=len(lines))), draw(blank))
    lines.extend(draw(st.lists(blank, max_size=3)))
    return header_kind, build(header, lines)


def expected_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def expected_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value).strip()), value
    return datetime.date.fromisoformat(str(value).strip())


def file_rows(content: bytes) -> list[dict]:
    """The data rows as openpyxl reads them back in normal mode, blank rows left out."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    names = [re.sub(r"\s+", "", str(v)).replace("（", "(").replace("）", ")") for v in lines[0]]
    found = []
    for line in lines[1:]:
        values = dict(zip(names, line, strict=False))
        if any(value not in (None, "") for value in values.values()):
            found.append(values)
    return found


def assert_imported_exactly(camp, content: bytes, result) -> None:
    rows = file_rows(content)
    assert (result.created, result.updated) == (len(rows), 0)
    assert Candidate.objects.filter(camp=camp).count() == len(rows)
    assert Person.history.count() == len(rows)
    for values in rows:
        person = Person.objects.get(
            name=expected_text(values["姓名"]),
            unit=expected_text(values["工作单位"]),
            birth_date=expected_date(values["出生日期"]),
        )
        for column, field in (("现任职务", "position"), ("专业特长", "specialty")):
            assert getattr(person, field) == expected_text(values[column])
        assert person.phone == expected_text(values["联系电话"])


@FUZZ
@given(case=mutated_files())
def test_a_mutated_file_is_imported_exactly_or_refused_with_nothing_written(camp, case):
    header_kind, content = case
    with rolled_back():
        result = attempt(camp, content)
        event("imported" if result is not None else "refused")
        if header_kind in ("extra", "missing", "renamed"):
            assert result is None  # a changed column is never guessed at
        if result is not None:
            assert_imported_exactly(camp, content, result)


@pytest.mark.parametrize("header_kind", ["reversed", "spaced"])
def test_columns_in_another_order_or_with_spaces_in_their_names_are_imported(camp, header_kind):
    """Columns are found by name: the fuzzer accepts a refusal, so this says they must import."""
    header = header_variant(header_kind)
    names = [name.replace(" ", "").replace("（", "(").replace("）", ")") for name in header]
    rows = valid_rows(2)
    content = build(header, [[values.get(name) for name in names] for values in rows])
    result = attempt(camp, content)
    assert result is not None
    assert_imported_exactly(camp, content, result)


@settings(FUZZ, max_examples=10)
@given(formula=st.sampled_from(FORMULAS), column=st.sampled_from(TEXT_COLUMNS[2:]))
def test_a_formula_is_stored_as_its_literal_text(camp, formula, column):
    with rolled_back():
        content = build(list(COLUMNS), [[row(**{column: formula}).get(c) for c in COLUMNS]])
        result = attempt(camp, content)
        assert result is not None
        person = Person.objects.get()
        stored = {"现任职务": person.position, "工作经历领域": person.work_field}
        stored["专业特长"] = person.specialty
        assert stored[column] == formula


@settings(FUZZ, max_examples=20)
@given(data=st.data())
def test_a_file_that_is_not_a_workbook_is_refused_with_nothing_written(camp, data):
    valid = build(list(COLUMNS), [[row().get(c) for c in COLUMNS]])
    with rolled_back():
        assert attempt(camp, data.draw(not_xlsx(valid))) is None


@settings(FUZZ, max_examples=20)
@given(positions=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4))
def test_a_damaged_file_is_imported_or_refused_never_crashes(camp, positions):
    valid = build(list(COLUMNS), [[values.get(c) for c in COLUMNS] for values in valid_rows(3)])
    with rolled_back():
        attempt(camp, flip_bytes(valid, positions))


@pytest.mark.parametrize("template", RAW_CELLS)
@pytest.mark.parametrize("column", ["姓名", "出生日期", "身份证号", "录用年份"])
def test_a_hand_made_cell_is_imported_or_refused_never_crashes(camp, template, column):
    marker = "RAW-CELL-MARKER"
    values = row(**{column: marker})
    content = build(list(COLUMNS), [[values.get(c) for c in COLUMNS]])
    letter = "ABCDEFGHIJKLM"[COLUMNS.index(column)]
    result = attempt(camp, raw_cell(content, marker, template, 2, f"{letter}2"))
    if result is not None:
        assert Person.objects.get().name not in ("", marker)


def test_a_huge_cell_is_refused_by_row_and_column(camp):
    values = row(专业特长=HUGE)
    content = build(list(COLUMNS), [[values.get(c) for c in COLUMNS]])
    assert len(load_workbook(io.BytesIO(content)).worksheets[0]["L2"].value) == 100_000
    with pytest.raises(ImportRejected) as error:
        candidates_import(camp=camp, file=io.BytesIO(content), by=None)
    assert [(e.row, e.column) for e in error.value.errors] == [(2, "专业特长")]
    assert counts() == (0, 0, 0, 0)


def valid_file() -> bytes:
    return build(list(COLUMNS), [[row().get(c) for c in COLUMNS]])


def test_a_zip_bomb_is_refused_quickly_without_inflating_it(camp):
    bomb = zip_bomb(valid_file(), inflated=3 * MAX_UNPACKED_BYTES)
    assert len(bomb) < 1024 * 1024  # small on the wire
    started = time.monotonic()
    assert attempt(camp, bomb) is None
    # 150 MB would take minutes to inflate and parse; a loaded CI machine still answers in seconds.
    assert time.monotonic() - started < 10


def test_a_zip_bomb_that_lies_about_its_size_is_refused(camp):
    # The zip declares 1,000 bytes; Python's zipfile stops there and finds the CRC wrong.
    bomb = lying_zip_bomb(valid_file(), inflated=2 * MAX_UNPACKED_BYTES)
    started = time.monotonic()
    assert attempt(camp, bomb) is None
    assert time.monotonic() - started < 10


def test_a_sheet_claiming_a_billion_cells_is_read_quickly(camp):
    """Regression: a 5 KB file with <dimension ref="A1:XFD1048576"/> made the import pad every
    row to 16,384 columns, over a million rows (minutes of CPU). Now rows are read as wide as
    the header, and no more of them than the import's bound on rows read (its last cell sits a
    million blank rows down), so it is refused in Chinese, quickly."""
    started = time.monotonic()
    assert attempt(camp, dimension_bomb(valid_file())) is None
    assert time.monotonic() - started < 8


def test_a_sheet_with_malformed_xml_is_refused_as_not_xlsx(camp):
    """Regression: openpyxl reads the sheet lazily, so XML damage surfaced as a ParseError
    from the row loop, past the checks made when the file was opened."""
    values = row(姓名="RAW-CELL-MARKER")
    content = build(list(COLUMNS), [[values.get(c) for c in COLUMNS]])
    damaged = raw_cell(content, "RAW-CELL-MARKER", '<c r="{ref}"><v>', 2, "A2")
    with pytest.raises(ImportRejected) as error:
        candidates_import(camp=camp, file=io.BytesIO(damaged), by=None)
    assert ".xlsx" in error.value.errors[0].message
    assert counts() == (0, 0, 0, 0)
