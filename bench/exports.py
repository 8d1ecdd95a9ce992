"""The province-wide `monthly` workbook: every camp's summary rows of one month on one sheet.

When the app's `monthly` kind can be asked for every camp at once it is measured as it is.
Otherwise (the kind serves one camp) this writes all camps' rows through the same machinery the
kind uses, `camp.workbooks.new_workbook` + `SheetWriter` with the kind's columns, from one
streamed query, and says so in the result (`how`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal


def _columns():
    from assessment.models import AssessmentItem
    from camp.workbooks import Column

    names = AssessmentItem.objects.filter(scheme__camp__code="B001").order_by("number")
    return [
        Column("届次", 10),
        Column("姓名", 10),
        Column("小组", 6),
        *(Column(f"{item.number}.{item.name}", 8) for item in names),
        Column("理论教育", 9),
        Column("党性锻炼", 9),
        Column("能力提升", 9),
        Column("总分", 8),
        Column("已考核分值", 10),
        Column("班级排名", 8),
        Column("小组排名", 8),
        Column("较上月变化", 9),
        Column("出勤率（%）", 9),
    ]


def _rows(month: datetime.date):
    from assessment.models import MonthlySummaryRow

    rows = (
        MonthlySummaryRow.objects.filter(month=month)
        .select_related("camp", "trainee__person", "group")
        .order_by("camp__code", "class_rank", "trainee__person__name")
    )
    for row in rows.iterator(chunk_size=2000):
        scores = row.item_scores
        yield [
            row.camp.code,
            row.trainee.person.name,
            row.group.number if row.group else None,
            *(
                None if scores.get(str(n)) is None else Decimal(scores[str(n)])
                for n in range(1, 27)
            ),
            row.theory,
            row.party_spirit,
            row.capability,
            row.total,
            row.assessed_points,
            row.class_rank,
            row.group_rank,
            row.change,
            row.attendance_rate,
        ]


def province_monthly_workbook(month: datetime.date):
    """(workbook, rows written, how it was made)."""
    from camp.workbooks import SheetWriter, new_workbook

    workbook = new_workbook()
    writer = SheetWriter(workbook, f"{month:%Y年%m月}全省月度小结", "月度小结", _columns())
    writer.extend(_rows(month))
    return workbook, writer.rows_written, "SheetWriter, all camps' rows from one streamed query"
