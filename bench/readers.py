"""Issue 19 §4: the upload readers, openpyxl read-only against python-calamine.

Two files are made here (with XlsxWriter, which writes as Excel does: a shared-string table
and the sheet's size up front; openpyxl's write-only files hold inline strings, which
openpyxl reads three times slower than any file a user uploads), shaped as the app's importers
expect them: a 5,000-row candidate list
(trainees/candidate_file.py's columns, header in row 1; text ID numbers and phones, Excel dates,
years as numbers) and a 500-row fast-entry grid (assessment/grid_download.py's title row and
columns from row 3). Each reader reads every row of the first sheet, values only; the app's
own parse of each file (its checks included) is timed beside them.

What the app keeps and why is in docs/performance.md; tests/bench/test_readers.py checks that
both readers see the same rows, and shows where calamine breaks an import guarantee.
"""

from __future__ import annotations

import datetime
import io
import random
import statistics
import time

CANDIDATE_ROWS = 5000
GRID_ROWS = 500
GRID_TITLE = "快速录入｜第1组｜课堂纪律｜2026年12月12日"
RANKS = ("正科级", "副科级", "科员")
CADRE_TYPES = ("选调生", "选聘生", "其他")


def candidate_file(rows: int = CANDIDATE_ROWS, seed: int = 19) -> bytes:
    """A candidate list of `rows` valid people (every check of the import passes)."""
    from trainees.candidate_file import COLUMNS

    rng = random.Random(seed)
    sink = io.BytesIO()
    workbook = _xlsxwriter_workbook(sink)
    sheet = workbook.add_worksheet("候选人名单")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, COLUMNS)
    for serial in range(rows):
        birth = datetime.date(1988 + rng.randrange(8), 1 + rng.randrange(12), 1 + rng.randrange(28))
        cadre = CADRE_TYPES[serial % 3]
        sheet.write_row(
            serial + 1,
            0,
            [
                f"候选{serial:05d}",
                "男" if serial % 2 else "女",
                None,
                "",  # an ID number must match birth date and gender: left empty, as allowed
                f"湖州市第{serial % 40}单位",
                "科员",
                RANKS[serial % 3],
                cadre,
                2024 if cadre != "其他" else None,
                "否",
                "农业农村",
                "",
                f"138{serial:08d}",
            ],
        )
        sheet.write_datetime(serial + 1, 2, birth, date_format)
    workbook.close()
    return sink.getvalue()


def _xlsxwriter_workbook(sink):
    import xlsxwriter

    # Text stays text: "13800000001" is a phone number, not a number.
    return xlsxwriter.Workbook(sink, {"strings_to_numbers": False, "strings_to_formulas": False})


def grid_file(rows: int = GRID_ROWS, title: str = GRID_TITLE) -> bytes:
    """A filled fast-entry grid: title, header, one row per trainee (id, name, points,
    version)."""
    from assessment.grid_download import COLUMNS, NOTE_COLUMN

    sink = io.BytesIO()
    workbook = _xlsxwriter_workbook(sink)
    sheet = workbook.add_worksheet("录入表")
    sheet.write_row(0, 0, [title])
    sheet.write_row(1, 0, [*COLUMNS, NOTE_COLUMN])
    for index in range(rows):
        sheet.write_row(index + 2, 0, [1000 + index, f"学员{index:04d}", 0.5 * (index % 5), 0])
    workbook.close()
    return sink.getvalue()


def read_openpyxl(content: bytes) -> list[tuple]:
    """As the importers read: read-only, formulas as text, the declared size not trusted."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def read_calamine(content: bytes) -> list[tuple]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    try:
        return [tuple(row) for row in workbook.get_sheet_by_index(0).iter_rows()]
    finally:
        workbook.close()


def app_parse_candidates(content: bytes) -> int:
    from trainees.candidate_file import parse_content

    return len(parse_content(content))


def app_parse_grid(content: bytes) -> int:
    from assessment.services.grid_workbook import _parse

    return len(_parse(content, expected_title=GRID_TITLE))


def measure(runs: int = 3) -> dict:
    """Median seconds of each reader on each file (and the app's whole parse)."""
    files = {
        "candidates": (candidate_file(), app_parse_candidates),
        "grid": (grid_file(), app_parse_grid),
    }
    result: dict = {}
    for name, (content, app_parse) in files.items():
        timings: dict[str, list[float]] = {}
        rows = {}
        for label, read in (
            ("openpyxl", read_openpyxl),
            ("calamine", read_calamine),
            ("app", app_parse),
        ):
            for _ in range(runs):
                started = time.perf_counter()
                out = read(content)
                timings.setdefault(label, []).append(time.perf_counter() - started)
            rows[label] = out if isinstance(out, int) else len(out)
        result[name] = {
            "bytes": len(content),
            "rows": rows,
            **{label: statistics.median(values) for label, values in timings.items()},
            "runs": {label: [round(v, 3) for v in values] for label, values in timings.items()},
        }
    return result
