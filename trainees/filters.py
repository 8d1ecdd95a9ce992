"""The filters of the trainees' lists (camp.listing): candidates and a camp's trainees, and the
group filter that the lists of the apps above reuse."""

import django_filters
from django.utils.translation import gettext_lazy as _

from camp.listing import SMALL_SELECT, ListFilter, NameSearchFilter, select_filter, sort_filter

from .models import Candidate, Decision, Rank, StudyGroup, Trainee, TraineeStatus


class GroupFilter(django_filters.ModelChoiceFilter):
    """The groups of the list's camp (ListFilter.camp), by number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("学习小组"))
        kwargs.setdefault("empty_label", _("全部"))
        kwargs.setdefault("widget", SMALL_SELECT)
        kwargs.setdefault("queryset", StudyGroup.objects.none())
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        camp = self.parent.camp
        if camp is None:
            return StudyGroup.objects.none()
        return StudyGroup.objects.filter(camp=camp).order_by("number")


class CandidateFilter(ListFilter):
    """Candidates (candidates_for_camp, which annotates `eligible`): the verdict, the decision
    and the rank, and a name (in full, a fragment or initials), unit or position."""

    verdict = select_filter(
        label=_("是否符合"),
        choices=[("met", _("符合")), ("unmet", _("不符合"))],
        method="filter_verdict",
    )
    decision = select_filter(label=_("决定"), choices=Decision.choices)
    rank = select_filter(field_name="person__rank", label=_("职级"), choices=Rank.choices)
    q = NameSearchFilter(
        field_name="person",
        also=("person__unit", "person__position"),
        label=_("姓名（可输拼音首字母）、单位或职务"),
    )
    sort = sort_filter(
        {"person__name": "name", "person__birth_date": "born", "decided_at": "decided"},
        {
            "name": _("姓名"),
            "-born": _("年龄（由小到大）"),
            "born": _("年龄（由大到小）"),
            "-decided": _("最近决定"),
        },
    )

    class Meta:
        model = Candidate
        fields = ["verdict", "decision", "rank", "q"]

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(eligible=value == "met")


class TraineeFilter(ListFilter):
    """A camp's trainees: the roster (printed whole) and the lists that pick trainees."""

    q = NameSearchFilter(field_name="person")
    group = GroupFilter()
    status = select_filter(label=_("状态"), choices=TraineeStatus.choices)

    class Meta:
        model = Trainee
        fields = ["q", "group", "status"]
