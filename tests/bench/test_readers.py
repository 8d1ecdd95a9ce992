"""Issue 19 §4: the upload readers (bench/readers.py) read the same rows, the bench's files
pass the app's own import checks, and what keeps the app on openpyxl: calamine reads a
formula's cached result instead of the text typed."""

import datetime
import io

import pytest
import xlsxwriter

from bench.readers import (
    app_parse_candidates,
    app_parse_grid,
    candidate_file,
    grid_file,
    read_calamine,
    read_openpyxl,
)


def _normal(value):
    """One value as both readers should agree on it: calamine gives "" for an empty cell,
    floats for integers and dates without a time."""
    if value in ("", None):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _rows(rows):
    normal = [tuple(_normal(value) for value in row) for row in rows]
    # calamine pads each row to the sheet's width, openpyxl to the row's own.
    return [
        row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in normal
    ]


@pytest.mark.parametrize("make", [candidate_file, grid_file])
def test_both_readers_read_the_same_rows(make):
    content = make(rows=30)
    rows = _rows(read_openpyxl(content))
    assert rows == _rows(read_calamine(content))
    assert len(rows) == 30 + (1 if make is candidate_file else 2)


@pytest.mark.django_db
def test_the_bench_files_pass_the_apps_import_checks():
    assert app_parse_candidates(candidate_file(rows=30)) == 30
    assert app_parse_grid(grid_file(rows=30)) == 30


def test_calamine_reads_a_formulas_result_where_the_app_needs_its_text():
    """Excel stores a formula with its last result. openpyxl (data_only=False, as the app
    opens uploads) gives the formula, which the grid refuses; calamine gives the result, so
    "=1+1" would be saved as 2 points. Should calamine change, the decision can be revisited."""
    sink = io.BytesIO()
    workbook = xlsxwriter.Workbook(sink)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["学员编号", "姓名", "分值", "版本"])
    sheet.write_row(1, 0, [1001, "甲"])
    sheet.write_formula(1, 2, "=1+1", None, 2)
    sheet.write(1, 3, 0)
    workbook.close()
    content = sink.getvalue()
    assert read_openpyxl(content)[1][2] == "=1+1"
    assert read_calamine(content)[1][2] == 2
