"""学时 in the workbooks: the `hours` workbook kind, and the two 学时 columns curriculum adds to
the roster page and the roster workbook (trainees.roster_columns)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_class_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    new_workbook,
    register,
)
from trainees.models import StudyGroup, Trainee
from trainees.roster_columns import RosterColumns, register_roster_columns

from .hours_selectors import study_hours

HOURS_FORMAT = "0.0"


def _roster_hours(trainees: QuerySet[Trainee], day: datetime.date) -> dict[int, list]:
    return {
        pk: [hours.attended, hours.required]
        for pk, hours in study_hours(trainees.order_by(), day=day).items()
    }


def register_hours_columns() -> None:
    register_roster_columns(
        RosterColumns(
            headers=(gettext_lazy("已修学时"), gettext_lazy("应修学时")), values=_roster_hours
        )
    )


@register("hours", label=gettext_lazy("学时统计"), allowed=can_export_class_workbooks)
def build_hours(request: ExportRequest):
    """One row per trainee of the camp, withdrawn ones included and marked, with their group as
    of the export's day and their 学时 as of that day."""
    camp = request.camp
    day = timezone.localdate()
    numbers = dict(StudyGroup.objects.filter(camp=camp).values_list("pk", "number"))
    rows = list(Trainee.objects.filter(camp=camp).select_related("person").with_group_on(day))
    for trainee in rows:
        trainee.group_number_on = numbers.get(trainee.group_on)
    if not rows:
        raise NoDataError(_("%(camp)s 还没有学员。") % {"camp": camp.name})
    hours = study_hours(Trainee.objects.filter(camp=camp), day=day)
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 学时统计（截至%(day)s）")
        % {"camp": camp.name, "day": f"{day.year}年{day.month}月{day.day}日"},
        _("学时"),
        [
            Column(_("姓名"), 10),
            Column(_("小组"), 10),
            Column(_("状态"), 22),
            Column(_("已修学时"), 10, HOURS_FORMAT),
            Column(_("应修学时"), 10, HOURS_FORMAT),
        ],
    )
    rows.sort(key=lambda t: (t.group_number_on is None, t.group_number_on or 0, t.person.name))
    for trainee in rows:
        number = trainee.group_number_on
        status = trainee.get_status_display()
        if not trainee.is_active and trainee.withdrawn_on:
            status = _("%(status)s（%(day)s退出）") % {
                "status": status,
                "day": trainee.withdrawn_on.strftime("%Y-%m-%d"),
            }
        sheet.append(
            [
                trainee.person.name,
                _("第%(n)s组") % {"n": number} if number is not None else _("未分组"),
                status,
                hours[trainee.pk].attended,
                hours[trainee.pk].required,
            ]
        )
    return workbook, export_filename(camp, _("学时统计"))
