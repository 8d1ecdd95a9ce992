"""The bench's province-wide sheet (bench/exports.py) stands for the `monthly` kind: for a camp
it writes the same header, cells, values and number formats as the kind's own workbook, with
the camp's code in front."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from assessment.services.summaries import monthly_summary_compute
from bench.exports import province_monthly_workbook
from bench.generate import generate
from camp.models import Camp
from camp.workbooks import ExportRequest, build_export

DECEMBER = datetime.date(2026, 12, 1)


@pytest.fixture
def generated(db):
    return generate(scale=8, seed=3)


def _sheet(workbook):
    sink = io.BytesIO()
    workbook.save(sink)
    sink.seek(0)
    return load_workbook(sink)["学员"]


def _described(rows):
    return [[(cell.value, cell.number_format) for cell in row] for row in rows]


def test_the_province_sheet_writes_a_camps_rows_as_the_monthly_kind_does(generated):
    camp = Camp.objects.get()
    monthly_summary_compute(camp=camp, month=DECEMBER)
    workbook, rows, _how = province_monthly_workbook(DECEMBER)
    province = _sheet(workbook)
    kind = _sheet(build_export("monthly", ExportRequest(camp=camp, month=DECEMBER))[0])

    assert rows == 8
    assert [cell.value for cell in province[2]][1:] == [cell.value for cell in kind[2]]
    province_rows = list(province.iter_rows(min_row=3))
    assert {row[0].value for row in province_rows} == {camp.code}
    assert _described(row[1:] for row in province_rows) == _described(kind.iter_rows(min_row=3))
    labels = {row[3].value for row in province_rows}
    assert labels <= {str(group) for group in camp.groups.all()}
    assert len(labels) > 1
    assert {row[4].number_format for row in province_rows} == {"0.0"}  # 理论教育
