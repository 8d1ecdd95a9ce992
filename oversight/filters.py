"""The filters of the organization department's lists (camp.listing): tracking with its
inspection notes, the interviews, and the graduates after the camp."""

import django_filters
from django.utils.translation import gettext_lazy as _

from camp.listing import (
    SMALL_SELECT,
    ListFilter,
    MonthFilter,
    NameSearchFilter,
    sort_filter,
)
from camp.models import Camp, CampStatus
from trainees.filters import GroupFilter
from trainees.models import Trainee

from .models import InspectionNote, Interview, InterviewCategory, TrackedTrainee


class TrackingFilter(ListFilter):
    """The tracked trainees: name or initials, group, the month they were marked."""

    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    month = MonthFilter(field_name="marked_at", label=_("标记月份"))
    sort = sort_filter(
        {"trainee__group__number": "group", "trainee__person__name": "name", "marked_at": "marked"},
        {"group": _("小组"), "name": _("学员姓名"), "-marked": _("最近标记")},
    )

    class Meta:
        model = TrackedTrainee
        fields = ["q", "group", "month"]


class InspectionNoteFilter(ListFilter):
    """The tracking page's recent inspection notes, narrowed by the same name, group and
    month as the tracked trainees above them (one form, one URL)."""

    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    month = MonthFilter(field_name="date")

    class Meta:
        model = InspectionNote
        fields = ["q", "group", "month"]


class InterviewFilter(ListFilter):
    """The interviews: name or initials, group, category and month."""

    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    category = django_filters.ModelChoiceFilter(
        label=_("类别"),
        empty_label=_("全部"),
        widget=SMALL_SELECT,
        queryset=InterviewCategory.objects.all(),
    )
    month = MonthFilter(field_name="date", label=_("月份"))
    sort = sort_filter(
        {"date": "date", "trainee__person__name": "name", "trainee__group__number": "group"},
        {
            "-date": _("日期（新到旧）"),
            "date": _("日期（旧到新）"),
            "name": _("学员姓名"),
            "group": _("小组"),
        },
    )

    class Meta:
        model = Interview
        fields = ["q", "group", "category", "month"]


class GraduateFilter(ListFilter):
    """The graduates across editions (训后跟踪): name or initials, edition, promoted or not."""

    q = NameSearchFilter(field_name="person")
    camp = django_filters.ModelChoiceFilter(
        label=_("届次"),
        empty_label=_("全部"),
        widget=SMALL_SELECT,
        queryset=Camp.objects.filter(status=CampStatus.FINISHED),
    )
    promoted = django_filters.ChoiceFilter(
        label=_("结业后提拔"),
        empty_label=_("全部"),
        widget=SMALL_SELECT,
        choices=(("yes", _("已提拔")), ("no", _("未提拔"))),
        method="filter_promoted",
    )

    class Meta:
        model = Trainee
        fields = ["q", "camp", "promoted"]

    def filter_promoted(self, queryset, name, value):
        # `promoted` is graduate_list()'s annotation: any post change marked 提拔.
        return queryset.filter(promoted=value == "yes")
