"""The filters of the curriculum's lists (camp.listing): talks, leave, chief projects, the
calendar's sessions, and a session's attendance sheet (printed whole)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from camp.listing import ListFilter, MonthFilter, NameSearchFilter, select_filter, sort_filter
from trainees.filters import GroupFilter
from trainees.models import Trainee

from .models import (
    Attendance,
    AttendanceStatus,
    ChiefProject,
    ClassroomType,
    LeaveRequest,
    LeaveStatus,
    Session,
    Talk,
)


class TalkFilter(ListFilter):
    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter()
    month = MonthFilter(field_name="held_on", label=_("月份"))
    sort = sort_filter(
        {"held_on": "date", "trainee__person__name": "name"},
        {"-date": _("日期（新到旧）"), "date": _("日期（旧到新）"), "name": _("学员姓名")},
    )

    class Meta:
        model = Talk
        fields = ["q", "group", "month"]


class LeaveFilter(ListFilter):
    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    status = select_filter(
        label=_("状态"), choices=[c for c in LeaveStatus.choices if c[0] != LeaveStatus.PENDING]
    )
    month = MonthFilter(field_name="training_day__date", label=_("月份"))
    sort = sort_filter(
        {
            "requested_at": "requested",
            "training_day__date": "date",
            "trainee__person__name": "name",
        },
        {
            "-requested": _("申请时间（新到旧）"),
            "-date": _("请假日期（新到旧）"),
            "date": _("请假日期（旧到新）"),
            "name": _("学员姓名"),
        },
    )

    class Meta:
        model = LeaveRequest
        fields = ["q", "group", "status", "month"]


class ChiefProjectFilter(ListFilter):
    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    sort = sort_filter(
        {"trainee__person__name": "name", "title": "title", "created_at": "created"},
        {"name": _("学员姓名"), "title": _("项目名称"), "-created": _("最近建立")},
    )

    class Meta:
        model = ChiefProject
        fields = ["q", "group"]


class SessionFilter(ListFilter):
    """The calendar's month, classroom and text: the month and the text narrow the training
    days and the activities outside them; the classroom narrows those activities."""

    text = django_filters.CharFilter(
        label=_("课程或教师"),
        method="filter_text",
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control form-control-sm",
                "placeholder": _("主题、类型或授课教师"),
            }
        ),
    )
    classroom = select_filter(label=_("课堂类型"), choices=ClassroomType.choices)
    month = MonthFilter(field_name="date", label=_("月份"))
    sort = sort_filter(
        {"date": "date", "topic": "topic"},
        {"date": _("日期（旧到新）"), "-date": _("日期（新到旧）"), "topic": _("主题")},
    )

    class Meta:
        model = Session
        fields = ["text", "classroom", "month"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # An instructor matched through EXISTS: one row per session, no DISTINCT needed.
        taught = Session.instructors.through.objects.filter(
            session_id=OuterRef("pk"), instructor__name__icontains=value
        )
        return queryset.filter(
            Q(topic__icontains=value) | Q(activity_kind__name__icontains=value) | Exists(taught)
        )


def _session_matches(session, text: str) -> bool:
    """`text` in the session's title (kind and topic) or an instructor's name, read from what
    the calendar already fetched."""
    text = text.casefold()
    return text in session.title.casefold() or any(
        text in instructor.name.casefold() for instructor in session.instructors.all()
    )


def calendar_days(days: list, filters: SessionFilter) -> list:
    """The calendar's training days in the month and with a session matching the text the
    filters ask for (all without them): the days are read once with their sessions and
    instructors, so the filters are applied to that list."""
    data = filters.form.cleaned_data if filters.is_valid() else {}
    month, text = data.get("month"), (data.get("text") or "").strip()
    if month is not None:
        days = [d for d in days if (d.date.year, d.date.month) == (month.year, month.month)]
    if text:
        days = [d for d in days if any(_session_matches(s, text) for s in d.sessions.all())]
    return days


class RollSheetFilter(ListFilter):
    """A session's attendance sheet (its roll call, printed whole): name or initials, the group
    the trainee was in on the session's date (by number, as the sheet's links have it), and
    the mark recorded so far. `groups` are the camp's groups already read for the page."""

    q = NameSearchFilter(field_name="person")
    group = select_filter(label=_("学习小组"), choices=[], method="filter_group")
    mark = select_filter(
        label=_("考勤"),
        choices=[("unmarked", _("未记录")), *AttendanceStatus.choices],
        method="filter_mark",
    )

    class Meta:
        model = Trainee
        fields = ["q", "group", "mark"]

    def __init__(self, data=None, queryset=None, *, session, groups=(), **kwargs):
        self.session = session
        self.groups = list(groups)
        super().__init__(data, queryset, camp=session.camp, **kwargs)
        if session.group_id:
            del self.filters["group"]  # a group's own session: the sheet is that group
        else:
            self.filters["group"].extra["choices"] = [
                (str(g.number), _("第%(n)s组") % {"n": g.number}) for g in self.groups
            ]

    def filter_group(self, queryset, name, value):
        # The dated membership: the group they were in on the session's date.
        group_id = {str(g.number): g.pk for g in self.groups}.get(value)
        return queryset.with_group_on(self.session.date).filter(group_on=group_id)

    def filter_mark(self, queryset, name, value):
        mine = Q(attendances__session=self.session)
        if value == "unmarked":
            return queryset.exclude(mine)
        return queryset.filter(mine, attendances__status=value)


class AttendanceRowFilter(ListFilter):
    """The attendance overview's per-trainee rates (printed whole): name or initials, group,
    and the month, which is also the overview's period (`?month=`, the same parameter)."""

    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    month = MonthFilter(field_name="session__date", label=_("月份"))

    class Meta:
        model = Attendance
        fields = ["q", "group", "month"]
