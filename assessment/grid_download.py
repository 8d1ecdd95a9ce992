"""Spreadsheet entry's download: the fast-entry grid as an .xlsx to fill in, titled for its
group, item and period, each row carrying the version of its cell as downloaded. The upload,
which checks that title and those versions, is services/grid_workbook.py's."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from camp.workbooks import Column, SheetWriter, export_filename, new_workbook
from trainees.models import StudyGroup

from .cells import period_label as cell_period_label
from .grid_selectors import grid_day, grid_load
from .models import AssessmentItem

COLUMNS = ("学员编号", "姓名", "分值", "版本")
# Read for the humans only: which cells are automatic (read-only).
NOTE_COLUMN = "说明"


def period_label(item: AssessmentItem, day: datetime.date) -> str:
    return cell_period_label(item, grid_day(item, day))


def grid_title(*, group: StudyGroup, item: AssessmentItem, day: datetime.date) -> str:
    return _("快速录入｜%(group)s｜%(item)s｜%(period)s") % {
        "group": group,
        "item": item,
        "period": period_label(item, day),
    }


def grid_workbook(*, group: StudyGroup, item: AssessmentItem, day: datetime.date):
    """The grid as a workbook (values as they stand), and its file name."""
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        grid_title(group=group, item=item, day=day),
        _("录入表"),
        [
            Column(COLUMNS[0], 10),
            Column(COLUMNS[1], 14),
            Column(COLUMNS[2], 10, "0.0"),
            Column(COLUMNS[3], 8),
            Column(NOTE_COLUMN, 36),
        ],
    )
    for row in grid_load(group=group, item=item, day=day):
        points = row.entry.points if row.entry is not None else None
        note = _("请勿修改“版本”列")
        if row.read_only:
            note = _("自动：%(source)s，只读") % {"source": row.entry.get_source_display()}
        sheet.append([row.trainee.pk, row.trainee.person.name, points, row.version, note])
    what = _("第%(n)d组_%(item)s_%(period)s") % {
        "n": group.number,
        "item": item.name,
        "period": period_label(item, day),
    }
    return workbook, export_filename(group.camp, what)
