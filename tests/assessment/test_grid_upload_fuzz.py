"""The score-grid upload under random and damaged files (issue 6, "Bad input").

For every generated file the upload either leaves the grid exactly as the file says, or
refuses it with a Chinese message and changes nothing (entries and their history); it never
raises anything else. The expected grid is read back from the generated file with openpyxl in
normal mode, not through the upload's read-only path."""

import datetime
import io
import re
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessment.grid_download import grid_workbook
from assessment.models import ScoreEntry, Source
from assessment.services.grid_workbook import (
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    UploadRejected,
    grid_upload,
)
from tests.factories import TraineeFactory
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

from .conftest import item_of

DAY = datetime.date(2026, 3, 14)
ITEM = 2  # 课堂纪律: a deduction item entered per training day
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def members(cast):
    extra = TraineeFactory.create_batch(2, camp=cast.camp, group=cast.group_1)
    return [cast.trainee_in_group_1, *extra]


@contextmanager
def rolled_back():
    """Each example starts from the same database: its writes are undone when it ends."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, int]:
    return ScoreEntry.objects.count(), ScoreEntry.history.count()


def grid() -> dict[int, Decimal]:
    return dict(ScoreEntry.objects.values_list("trainee_id", "points"))


def upload(cast, content: bytes):
    return grid_upload(
        group=cast.group_1,
        item=item_of(cast.camp, ITEM),
        day=DAY,
        file=io.BytesIO(content),
        by=cast.staff,
        reason="3月14日课堂纪律",
    )


def attempt(cast, content: bytes):
    """The upload's result, or None after checking the refusal is Chinese and changed nothing."""
    before, entries = counts(), grid()
    try:
        return upload(cast, content)
    except UploadRejected as error:
        refusal = error
    assert is_clear_chinese(refusal.errors), refusal.errors
    assert (counts(), grid()) == (before, entries)
    return None


def downloaded(cast):
    workbook, _name = grid_workbook(group=cast.group_1, item=item_of(cast.camp, ITEM), day=DAY)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_huge_cells(buffer.getvalue())


def valid_file(cast, points: dict[int, object] | None = None) -> bytes:
    workbook = downloaded(cast)
    for line in workbook.worksheets[0].iter_rows(min_row=3):
        line[2].value = (points or {}).get(line[0].value, 1)
    return save(workbook)


points_typed = st.one_of(
    st.decimals(min_value=0, max_value=5, places=1).map(str),
    st.integers(min_value=0, max_value=5),
    st.sampled_from([0.5, 1.0, 2.5, " 1.5 ", "1，5", "1,5", "", None]),
)


@st.composite
def mutated_files(draw, cast, members, stranger):
    """The downloaded grid, filled in, then: nasty values in the id and points cells, blank
    rows, a changed title or header."""
    workbook = downloaded(cast)
    sheet = workbook.worksheets[0]
    lines = list(sheet.iter_rows(min_row=3))
    for line in lines:
        line[2].value = draw(points_typed)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        draw(st.sampled_from(lines))[2].value = draw(nasty_value)
    for _ in range(draw(st.integers(min_value=0, max_value=1))):
        line = draw(st.sampled_from(lines))
        line[0].value = draw(
            st.one_of(st.sampled_from([m.pk for m in members] + [stranger]), nasty_value)
        )
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        sheet.insert_rows(draw(st.integers(min_value=3, max_value=sheet.max_row + 1)))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        sheet.append([None, draw(st.sampled_from([None, ""])), None])
    change = draw(st.sampled_from(["none"] * 8 + ["spaced", "title", "header", "extra", "dropped"]))
    if change == "title":
        sheet["A1"] = draw(nasty_value.filter(lambda value: value not in (None, "")))
    elif change == "spaced":
        sheet["C2"] = " 分 值 "  # spaces around a column name are harmless
    elif change == "header":
        sheet["C2"] = draw(st.sampled_from(["得分", "分数", None]))
    elif change == "extra":
        sheet["D2"] = "备注"
    elif change == "dropped":
        sheet.delete_cols(2)
    return change, save(workbook)


def file_grid(content: bytes) -> dict[int, str]:
    """Trainee id -> the points cell as typed, from the data rows of the file."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    found = {}
    for trainee_id, _name, points, *_rest in sheet.iter_rows(min_row=3, values_only=True):
        if trainee_id is None and points is None:
            continue
        found[int(trainee_id)] = points
    return found


def as_points(value) -> Decimal | None:
    if value is None:
        return None
    text = str(value).strip().replace("，", ".").replace(",", ".")
    return Decimal(text) if text else None


def assert_grid_is_the_file(content: bytes, before: dict[int, Decimal], result) -> None:
    expected = dict(before)
    for trainee_id, typed in file_grid(content).items():
        points = as_points(typed)
        if points is None:
            expected.pop(trainee_id, None)
        else:
            expected[trainee_id] = points
    assert grid() == expected
    assert set(ScoreEntry.objects.values_list("source", flat=True)) <= {Source.UPLOAD}
    assert result.created + result.updated + result.deleted <= len(file_grid(content))


@FUZZ
@given(data=st.data())
def test_a_mutated_grid_is_saved_exactly_or_refused_with_nothing_changed(cast, members, data):
    stranger = cast.trainee_in_group_2.pk
    with rolled_back():
        # One entry already saved, so a refusal must also leave it (and a blank cell delete it).
        upload(cast, valid_file(cast, {members[0].pk: 2, members[1].pk: None, members[2].pk: None}))
        before = grid()
        change, content = data.draw(mutated_files(cast, members, stranger))
        result = attempt(cast, content)
        event("saved" if result is not None else "refused")
        if change not in ("none", "spaced"):
            assert result is None  # another grid's file, or moved columns, are never guessed at
        if result is not None:
            assert_grid_is_the_file(content, before, result)


@settings(FUZZ, max_examples=10)
@given(formula=st.sampled_from(FORMULAS))
def test_a_formula_in_a_points_cell_is_refused_never_evaluated(cast, members, formula):
    with rolled_back():
        content = valid_file(cast, {members[1].pk: formula})
        assert attempt(cast, content) is None
        assert not ScoreEntry.objects.exists()


@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_a_file_that_is_not_a_workbook_is_refused_with_nothing_changed(cast, members, data):
    valid = valid_file(cast)
    with rolled_back():
        assert attempt(cast, data.draw(not_xlsx(valid))) is None


@settings(FUZZ, max_examples=15)
@given(positions=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=4))
def test_a_damaged_grid_is_saved_or_refused_never_crashes(cast, members, positions):
    valid = valid_file(cast)
    with rolled_back():
        attempt(cast, flip_bytes(valid, positions))


@pytest.mark.parametrize("template", RAW_CELLS)
@pytest.mark.parametrize("column", ["A", "C"])
def test_a_hand_made_cell_is_saved_or_refused_never_crashes(cast, members, template, column):
    marker = "RAW-CELL-MARKER"
    workbook = downloaded(cast)
    sheet = workbook.worksheets[0]
    sheet[f"{column}3"] = marker
    for line in sheet.iter_rows(min_row=4):
        line[2].value = 1
    attempt(cast, raw_cell(save(workbook), marker, template, 3, f"{column}3"))


def test_a_huge_cell_is_refused_by_row(cast, members):
    content = valid_file(cast, {members[1].pk: HUGE})
    typed = file_grid(content)[members[1].pk]
    assert len(typed) == 100_000
    with pytest.raises(UploadRejected) as error:
        upload(cast, content)
    assert re.search(r"第\d+行", "\n".join(error.value.errors))
    assert counts() == (0, 0)


def test_a_zip_bomb_is_refused_quickly_without_inflating_it(cast, members):
    bomb = zip_bomb(valid_file(cast), inflated=6 * MAX_UNPACKED_BYTES)
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    assert attempt(cast, bomb) is None
    assert time.monotonic() - started < 10


def test_a_zip_bomb_that_lies_about_its_size_is_refused(cast, members):
    bomb = lying_zip_bomb(valid_file(cast), inflated=4 * MAX_UNPACKED_BYTES)
    started = time.monotonic()
    assert attempt(cast, bomb) is None
    assert time.monotonic() - started < 10


def test_a_sheet_claiming_a_billion_cells_is_read_quickly(cast, members):
    """Regression: <dimension ref="A1:XFD1048576"/> in a few KB made the upload pad a million
    rows to 16,384 columns each. Now data rows are read four columns wide, and the cell a
    million rows down is past the bound on rows read: refused, quickly, nothing saved."""
    started = time.monotonic()
    assert attempt(cast, dimension_bomb(valid_file(cast))) is None
    assert time.monotonic() - started < 8
    assert grid() == {}


def test_a_sheet_with_malformed_xml_is_refused_as_not_xlsx(cast, members):
    """Regression: openpyxl reads the sheet lazily, so XML damage surfaced as a ParseError
    from the row loop, past the checks made when the file was opened."""
    workbook = downloaded(cast)
    workbook.worksheets[0]["C3"] = "RAW-CELL-MARKER"
    damaged = raw_cell(save(workbook), "RAW-CELL-MARKER", '<c r="{ref}"><v>', 3, "C3")
    with pytest.raises(UploadRejected) as error:
        upload(cast, damaged)
    assert "不是 Excel .xlsx 格式" in error.value.errors[0]
    assert counts() == (0, 0)


@pytest.mark.parametrize("typed", ["0 5", "1 0", "2\u00a05", "1\n5"])
def test_points_with_a_space_inside_are_refused_not_run_together(cast, members, typed):
    """Regression: every space was stripped from the points cell, so "0 5" was saved as 5."""
    content = valid_file(cast, {members[0].pk: typed})
    with pytest.raises(UploadRejected) as error:
        upload(cast, content)
    assert "不是有效的分值" in "\n".join(error.value.errors)
    assert counts() == (0, 0)


def test_spaces_around_the_points_are_harmless(cast, members):
    upload(cast, valid_file(cast, {members[0].pk: " 0.5 ", members[1].pk: "\u00a02"}))
    assert grid() == {
        members[0].pk: Decimal("0.5"),
        members[1].pk: Decimal("2.0"),
        members[2].pk: Decimal("1.0"),
    }


@pytest.mark.parametrize("shape", ["{a} {b}", "{a}_{b}", "＋{a}{b}", "{a}{b}.5"])
def test_a_trainee_id_is_read_only_as_plain_digits(cast, members, shape):
    """Regression: "1 2", "1_2" were read as 12 (int() after dropping spaces), which could put
    the points on another trainee."""
    workbook = downloaded(cast)
    sheet = workbook.worksheets[0]
    pk = str(members[0].pk).rjust(2, "0")
    sheet["A3"] = shape.format(a=pk[:-1], b=pk[-1])
    sheet["C3"] = 1
    with pytest.raises(UploadRejected) as error:
        upload(cast, save(workbook))
    assert "学员编号" in error.value.errors[0]
    assert counts() == (0, 0)


def test_a_huge_cell_is_quoted_short_in_the_message(cast, members):
    workbook = downloaded(cast)
    workbook.worksheets[0]["A3"] = HUGE
    with pytest.raises(UploadRejected) as error:
        upload(cast, save(workbook))
    assert len(error.value.errors[0]) < 200


def test_blank_looking_rows_count_toward_the_limit_and_refuse_the_file(cast, members):
    """Rows blank in the grid's columns were skipped uncounted: a file of many of them held a
    web process. The bound counts every row read."""
    workbook = downloaded(cast)
    sheet = workbook.worksheets[0]
    for number in range(10, 10 + 2 * MAX_ROWS + 10):
        sheet.cell(row=number, column=8, value=" ")
    with pytest.raises(UploadRejected) as error:
        upload(cast, save(workbook))
    assert "行数过多（含空行）" in error.value.errors[0]
    assert counts() == (0, 0)
