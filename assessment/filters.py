"""The filters of the assessment's lists (camp.listing): a trainee's score entries, the
submissions to grade, one's export jobs, and the graduation list (printed whole)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from camp.jobs import JobState
from camp.listing import (
    SMALL_SELECT,
    ListFilter,
    MonthFilter,
    NameSearchFilter,
    select_filter,
    sort_filter,
)
from trainees.filters import GroupFilter
from trainees.models import Trainee

from .models import AssessmentItem, ExportJob, ScoreEntry, Submission


class ItemFilter(django_filters.ModelChoiceFilter):
    """The items of the list's camp's scheme, by number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("考核项目"))
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("widget", SMALL_SELECT)
        kwargs.setdefault("queryset", AssessmentItem.objects.none())
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        camp = self.parent.camp
        if camp is None:
            return AssessmentItem.objects.none()
        return AssessmentItem.objects.filter(scheme__camp=camp).order_by("number")


class ScoreEntryFilter(ListFilter):
    item = ItemFilter()
    month = MonthFilter(field_name="date", label=_("月份"))
    sort = sort_filter(
        {"date": "date", "points": "points", "item__number": "item"},
        {
            "-date": _("日期（新到旧）"),
            "date": _("日期（旧到新）"),
            "-points": _("分值（高到低）"),
            "item": _("考核项目"),
        },
    )

    class Meta:
        model = ScoreEntry
        fields = ["item", "month"]


class SubmissionFilter(ListFilter):
    q = NameSearchFilter(field_name="trainee__person")
    group = GroupFilter(field_name="trainee__group")
    item = ItemFilter()
    month = MonthFilter(field_name="submitted_at", label=_("提交月份"))
    sort = sort_filter(
        {"graded_at": "graded", "submitted_at": "submitted", "trainee__person__name": "name"},
        {
            "-graded": _("评分时间（新到旧）"),
            "-submitted": _("提交时间（新到旧）"),
            "name": _("学员姓名"),
        },
    )

    class Meta:
        model = Submission
        fields = ["q", "group", "item", "month"]


class ExportJobFilter(ListFilter):
    state = select_filter(label=_("状态"), choices=JobState.choices)
    month = MonthFilter(field_name="created_at", label=_("提交月份"))

    class Meta:
        model = ExportJob
        fields = ["state", "month"]


class GraduationFilter(ListFilter):
    """The graduation list's trainees (printed whole): name or initials, group, and where
    their graduation stands."""

    q = NameSearchFilter(field_name="person")
    group = GroupFilter()
    state = select_filter(
        label=_("结业状态"),
        choices=[
            ("unwritten", _("未填写")),
            ("draft", _("草稿")),
            ("graduates", _("准予结业")),
            ("declined", _("不予结业")),
            ("outstanding", _("优秀学员")),
        ],
        method="filter_state",
    )

    class Meta:
        model = Trainee
        fields = ["q", "group", "state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            **{
                "unwritten": {"graduation__isnull": True},
                "draft": {"graduation__isnull": False, "graduation__finalized_at__isnull": True},
                "graduates": {"graduation__graduates": True},
                "declined": {"graduation__graduates": False},
                "outstanding": {"graduation__outstanding": True},
            }[value]
        )
