"""After anonymization the edition's figures are the same: the monthly and ranking workbooks of
an expired edition hold the same numbers, with each name replaced by its pseudonym."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from assessment.models import SummaryRun
from assessment.services.summaries import monthly_summary_compute
from camp.services.retention import retention_apply
from camp.workbooks import ExportRequest, build_export
from tests.assessment.conftest import raw_entry
from trainees.models import Person

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 3, 1)
# The cast's edition graduates on 2026-12-31: its trainees are kept through 2031-12-31.
GONE = datetime.date(2032, 1, 1)


def cells(kind, cast) -> dict[str, list[tuple]]:
    workbook, _filename = build_export(
        kind, ExportRequest(camp=cast.camp, user=cast.staff, month=MONTH)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def renamed(book: dict, names: dict[str, str]) -> dict:
    def rename(value):
        if isinstance(value, str):
            for name, pseudonym in names.items():
                value = value.replace(name, pseudonym)
        return value

    return {title: [tuple(map(rename, row)) for row in rows] for title, rows in book.items()}


def test_the_monthly_and_ranking_workbooks_keep_their_figures(cast):
    raw_entry(cast.trainee_in_group_1, 3, "6.0", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 3, "4.0", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 1, "1.0", datetime.date(2026, 3, 11))
    run = SummaryRun.objects.create(camp=cast.camp, month=MONTH)
    monthly_summary_compute(camp=cast.camp, month=MONTH, run=run)
    before = {kind: cells(kind, cast) for kind in ("monthly", "ranking")}
    assert "张三" in str(before["monthly"])
    assert "李四" in str(before["ranking"])

    report = retention_apply(today=GONE, process="command")

    assert report.counts["people:学员"] == 2
    people = Person.objects.filter(traineeships__camp=cast.camp)
    names = {"张三": people.get(pk=cast.trainee_in_group_1.person_id).name}
    names["李四"] = people.get(pk=cast.trainee_in_group_2.person_id).name
    assert all(name.startswith("学员") for name in names.values())
    for kind, book in before.items():
        assert cells(kind, cast) == renamed(book, names), kind
