"""Workbook kinds of this app, registered with camp.workbooks.registry: `schedule` and
`attendance`. Rows are streamed from the database (`iterator()`), never built up in memory."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import can_export_group_workbooks
from camp.workbooks import (
    Column,
    ExportRequest,
    NoDataError,
    SheetWriter,
    export_filename,
    labels_by_pk,
    new_workbook,
    register,
)
from trainees.models import StudyGroup, group_on

from .access import visible_attendance
from .models import Attendance, AttendanceStatus, HalfDay, Instructor, Session, TrainingDay
from .rate_selectors import attendance_by_group, attendance_by_trainee, members_only

WEEKDAYS = "一二三四五六日"


def _weekday(date) -> str:
    return "周" + WEEKDAYS[date.weekday()]


@register(
    "schedule",
    label=gettext_lazy("教学日历与课程安排"),
    allowed=can_export_group_workbooks,
)
def build_schedule(request: ExportRequest):
    """Every training day and session. A day moved off a holiday also appears on its original
    date, saying what was decided."""
    camp = request.camp
    days = list(TrainingDay.objects.filter(camp=camp).order_by("slot_date"))
    if not days:
        raise NoDataError(_("本届尚未排定培训日，请先在教学日历中生成。"))
    workbook = new_workbook()
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 教学日历与课程安排") % {"camp": camp.name},
        _("课程安排"),
        [
            Column(_("日期"), 12),
            Column(_("星期"), 6),
            Column(_("时段"), 6),
            Column(_("时间"), 12),
            Column(_("地点"), 20),
            Column(_("课堂类型"), 16),
            Column(_("活动形式"), 14),
            Column(_("主题"), 36),
            Column(_("授课教师（来源）"), 28),
            Column(_("说明"), 40),
        ],
    )
    # A moved day also shows on its original date, in date order, saying what was decided.
    conflicts = [
        [
            day.slot_date,
            _weekday(day.slot_date),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            day.move_reason or _("已调整至%(date)s") % {"date": day.date},
        ]
        for day in days
        if day.is_moved
    ]
    sessions = (
        Session.objects.filter(camp=camp)
        .select_related("activity_kind", "training_day")
        .prefetch_related(Prefetch("instructors", queryset=Instructor.objects.order_by("pk")))
        .order_by("date", "start_time", "pk")
    )
    group_labels = labels_by_pk(StudyGroup.objects.filter(camp=camp))
    for session in sessions.iterator(chunk_size=500):
        while conflicts and conflicts[0][0] <= session.date:
            sheet.append(conflicts.pop(0))
        notes = []
        if session.training_day_id is None:
            notes.append(_("培训日以外活动"))
        if session.group_id:
            notes.append(group_labels[session.group_id])
        if session.off_site:
            notes.append(_("教学点：%(loc)s") % {"loc": session.location})
        if session.assembly_time:
            notes.append(
                _("集合：%(t)s %(p)s")
                % {"t": session.assembly_time.strftime("%H:%M"), "p": session.assembly_place}
            )
        if session.is_changed:
            notes.append(_("变更：%(n)s") % {"n": session.change_note})
        sheet.append(
            [
                session.date,
                _weekday(session.date),
                session.get_half_day_display(),
                f"{session.start_time:%H:%M}-{session.end_time:%H:%M}",
                session.place,
                session.get_classroom_display(),
                session.activity_kind.name,
                session.topic,
                "、".join(
                    f"{i.name}（{i.get_source_display()}）" for i in session.instructors.all()
                ),
                "；".join(notes),
            ]
        )
    sheet.extend(conflicts)
    return workbook, export_filename(camp, _("教学日历"))


@register(
    "attendance",
    label=gettext_lazy("考勤明细与出勤率"),
    allowed=can_export_group_workbooks,
)
def build_attendance(request: ExportRequest):
    """Per trainee × session, then rates per trainee and per group. A counselor gets their own
    group only."""
    camp = request.camp
    user = request.user
    if user is None or user.is_superuser:  # the command line runs as the operator
        attendance = Attendance.objects.filter(session__camp=camp)
    else:
        attendance = visible_attendance(user, camp)
    if request.group is not None:
        # A group's records: of the sessions held while the trainee was in it (dated membership).
        attendance = attendance.annotate(
            group_then=group_on(F("session__date"), "trainee_id", "trainee__group_id")
        ).filter(group_then=request.group.pk)
    if not attendance.exists():
        raise NoDataError(_("本届还没有考勤记录。"))
    workbook = new_workbook()
    detail = SheetWriter(
        workbook,
        _("%(camp)s 考勤明细") % {"camp": camp.name},
        _("考勤明细"),
        [
            Column(_("学员"), 10),
            Column(_("小组"), 8),
            Column(_("日期"), 12),
            Column(_("时段"), 6),
            Column(_("课程"), 36),
            Column(_("考勤"), 8),
            Column(_("折合半天"), 8),
            Column(_("来源"), 12),
        ],
    )
    rows = (
        attendance.select_related("trainee__person", "trainee__group", "session")
        .order_by("trainee__group__number", "trainee__person__name", "session__date")
        .iterator(chunk_size=2000)
    )
    for row in rows:
        detail.append(
            [
                row.trainee.person.name,
                row.trainee.group.number if row.trainee.group else None,
                row.session.date,
                row.session.get_half_day_display(),
                row.session.topic,
                row.get_status_display(),
                row.session.counts_as_half_days,
                row.get_source_display(),
            ]
        )
    _matrix(workbook, camp, attendance)
    rate_columns = [
        Column(_("应出勤"), 8),
        Column(_("出勤"), 8),
        Column(_("迟到"), 8),
        Column(_("早退"), 8),
        Column(_("请假"), 8),
        Column(_("缺勤"), 8),
        Column(_("累计出勤率（%）"), 10),
    ]
    per_trainee = SheetWriter(
        workbook,
        _("%(camp)s 学员出勤率") % {"camp": camp.name},
        _("学员出勤率"),
        [Column(_("学员"), 10), Column(_("小组"), 8), *rate_columns],
    )
    for row in attendance_by_trainee(attendance):
        per_trainee.append(
            [row["trainee__person__name"], row["trainee__group__number"], *_rates(row)]
        )
    per_group = SheetWriter(
        workbook,
        _("%(camp)s 小组出勤率") % {"camp": camp.name},
        _("小组出勤率"),
        [Column(_("小组"), 8), *rate_columns],
    )
    # As on the attendance page: a group's rate counts those who belong to the camp today.
    today = timezone.localdate()
    for row in attendance_by_group(members_only(attendance, today), today):
        per_group.append([row["trainee__group__number"], *_rates(row)])
    return workbook, export_filename(camp, _("考勤"))


def _matrix(workbook, camp, attendance) -> None:
    """Trainees down, recorded sessions across, the status in each cell (blank: not recorded)."""
    sessions = list(
        Session.objects.filter(pk__in=attendance.values("session_id"))
        .order_by("date", "start_time", "pk")
        .values("pk", "date", "half_day")
    )
    half_days = dict(HalfDay.choices)
    labels = dict(AttendanceStatus.choices)
    sheet = SheetWriter(
        workbook,
        _("%(camp)s 出勤表") % {"camp": camp.name},
        _("出勤表"),
        [
            Column(_("学员"), 10),
            Column(_("小组"), 6),
            *[Column(f"{s['date']:%m-%d}{half_days.get(s['half_day'], '')}", 8) for s in sessions],
        ],
    )
    index = {s["pk"]: i for i, s in enumerate(sessions)}
    rows = attendance.order_by(
        "trainee__group__number", "trainee__person__name", "trainee_id"
    ).values_list(
        "trainee_id", "trainee__person__name", "trainee__group__number", "session_id", "status"
    )
    current, line = None, []
    for trainee_id, name, group, session_id, status in rows.iterator(chunk_size=2000):
        if trainee_id != current:
            if current is not None:
                sheet.append(line)
            current, line = trainee_id, [name, group, *[None] * len(sessions)]
        line[2 + index[session_id]] = str(labels[status])
    if current is not None:
        sheet.append(line)


def _rates(row) -> list:
    return [
        row["required"],
        row["attended"],
        row["late"],
        row["left_early"],
        row["on_leave"],
        row["absent"],
        row["rate"],
    ]
