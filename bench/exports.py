"""The province-wide `monthly` workbook: every camp's summary rows of one month on one sheet.

The app's `monthly` kind (assessment/exports_summaries.py `build_monthly`) serves one camp. So
this writes every camp's rows the way that kind writes one camp's: `camp.workbooks.new_workbook`
+ `SheetWriter`, the kind's columns and cell values (the group's label from
`camp.workbooks.labels_by_pk` over the groups, made once, "未考核" for an item not yet assessed,
Decimals), the kind's query (the trainee's name annotated, streamed in chunks of 500),
with one more column in front for the camp (its code, also looked up once). `kind_per_camp`
also times the real kind, camp by camp, through `build_export`.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.db.models import F

NOT_ASSESSED = "未考核"


def columns():
    from assessment.models import Category
    from assessment.selectors import scheme_items
    from camp.models import Camp
    from camp.workbooks import Column

    items = list(scheme_items(Camp.objects.get(code="B001")))
    result = [Column("届次", 8), Column("序号", 6), Column("姓名", 10), Column("小组", 12)]
    result += [Column(str(label), 10) for _value, label in Category.choices]
    result += [Column(item.name, 10) for item in items]
    result += [
        Column("总分", 8),
        Column("已考核分值", 10),
        Column("班级排名", 8),
        Column("小组排名", 8),
        Column("较上月变化", 10),
        Column("累计出勤率（%）", 10),
    ]
    return result


def rows(month: datetime.date):
    from assessment.models import MonthlySummaryRow
    from camp.models import Camp
    from camp.workbooks import labels_by_pk
    from trainees.models import StudyGroup

    codes = dict(Camp.objects.values_list("pk", "code"))
    group_labels = labels_by_pk(StudyGroup.objects.all())
    queryset = (
        MonthlySummaryRow.objects.filter(month=month)
        .annotate(trainee_name=F("trainee__person__name"))
        .order_by(
            "camp__code",
            F("class_rank").asc(nulls_last=True),
            "group__number",
            "trainee__person__name",
        )
    )
    number, camp_id = 0, None
    for row in queryset.iterator(chunk_size=500):
        number = 1 if row.camp_id != camp_id else number + 1
        camp_id = row.camp_id
        scores = row.item_scores or {}
        values = [codes[row.camp_id], number, row.trainee_name]
        values.append(group_labels.get(row.group_id, ""))
        values += [row.theory, row.party_spirit, row.capability]
        for item_number in range(1, 27):
            score = scores.get(str(item_number))
            values.append(NOT_ASSESSED if score is None else Decimal(score))
        values += [
            row.total,
            row.assessed_points,
            row.class_rank,
            row.group_rank,
            row.change,
            row.attendance_rate,
        ]
        yield values


def province_monthly_workbook(month: datetime.date):
    """(workbook, rows written, how it was made)."""
    from camp.workbooks import SheetWriter, new_workbook

    workbook = new_workbook()
    writer = SheetWriter(workbook, f"{month.year}年{month.month}月全省月度小结", "学员", columns())
    writer.extend(rows(month))
    return (
        workbook,
        writer.rows_written,
        "the monthly kind's columns, cells and query over every camp, through SheetWriter",
    )


def kind_per_camp(month: datetime.date) -> tuple[int, int]:
    """The real `monthly` kind for every camp, one workbook each: (workbooks, bytes)."""
    from camp.models import Camp
    from camp.workbooks import ExportRequest, build_export

    size = 0
    camps = list(Camp.objects.order_by("code"))
    for camp in camps:
        workbook, _name = build_export("monthly", ExportRequest(camp=camp, month=month))
        sink = io.BytesIO()
        workbook.save(sink)
        size += sink.tell()
    return len(camps), size
