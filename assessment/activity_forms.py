"""Forms of the weekly reviews, monthly summaries, contests and leader comments."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from camp.models import User
from camp.widgets import PersonSelect, PersonSelectMultiple
from trainees.models import StudyGroup, Trainee

from .access import possible_judges
from .models import CommentTarget, ContestKind, JudgeClass

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeeklyReviewForm(forms.Form):
    highlights = forms.CharField(
        label=_("亮点"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    problems = forms.CharField(
        label=_("问题与不足"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, members=(), remarks=None, **kwargs):
        super().__init__(*args, **kwargs)
        remarks = remarks or {}
        self.members = list(members)
        for member in self.members:
            self.fields[f"remark_{member.pk}"] = forms.CharField(
                label=member.person.name,
                required=False,
                max_length=2000,
                initial=remarks.get(member.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        data = super().clean()
        if not (data.get("highlights") or "").strip() and not (data.get("problems") or "").strip():
            raise forms.ValidationError(_("请至少填写亮点或问题与不足中的一项。"))
        return data

    def remark_fields(self):
        return [self[f"remark_{m.pk}"] for m in self.members]

    def remarks(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"remark_{m.pk}", "") for m in self.members}


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("月份"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )


class MonthlyClassTextForm(forms.Form):
    text = forms.CharField(
        label=_("小结正文"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class ContestForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("类型"), choices=ContestKind.choices)
    trainees = forms.ModelMultipleChoiceField(
        label=_("参赛学员（个人赛）"),
        queryset=Trainee.objects.none(),
        required=False,
        widget=PersonSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("参赛小组（小组赛）"), queryset=StudyGroup.objects.none(), required=False
    )
    judges_a = forms.ModelMultipleChoiceField(
        label=_("A类评委（市领导）"), queryset=User.objects.none(), required=False
    )
    judges_b = forms.ModelMultipleChoiceField(
        label=_("B类评委"), queryset=User.objects.none(), required=False
    )
    weight_a = forms.DecimalField(
        label=_("A类权重"), min_value=0, max_value=1, decimal_places=2, initial=Decimal("0.60")
    )
    weight_b = forms.DecimalField(
        label=_("B类权重"), min_value=0, max_value=1, decimal_places=2, initial=Decimal("0.40")
    )

    def __init__(self, *args, camp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = (
            Trainee.objects.active().filter(camp=camp).select_related("person", "group")
        )
        self.fields["trainees"].label_from_instance = lambda t: f"{t.person.name}（{t.group}）"
        self.fields["groups"].queryset = StudyGroup.objects.filter(camp=camp).order_by("number")
        judges = possible_judges()
        self.fields["judges_a"].queryset = judges
        self.fields["judges_b"].queryset = judges

    def clean(self):
        data = super().clean()
        both = set(data.get("judges_a") or []) & set(data.get("judges_b") or [])
        if both:
            raise forms.ValidationError(_("同一位评委不能同时属于A类和B类。"))
        return data

    def judges(self) -> list[tuple[User, str]]:
        return [(u, JudgeClass.A) for u in self.cleaned_data["judges_a"]] + [
            (u, JudgeClass.B) for u in self.cleaned_data["judges_b"]
        ]


class LeaderCommentForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    occasion = forms.CharField(label=_("场合"), max_length=100)
    target = forms.ChoiceField(label=_("点评对象"), choices=CommentTarget.choices)
    group = forms.ModelChoiceField(
        label=_("小组"), queryset=StudyGroup.objects.none(), required=False
    )
    trainee = forms.ModelChoiceField(
        label=_("学员"), queryset=Trainee.objects.none(), required=False, widget=PersonSelect
    )
    text = forms.CharField(
        label=_("点评内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )

    def __init__(self, *args, camp, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = StudyGroup.objects.filter(camp=camp).order_by("number")
        self.fields["trainee"].queryset = (
            Trainee.objects.filter(camp=camp).select_related("person").order_by("person__name")
        )
        self.fields["trainee"].label_from_instance = lambda t: t.person.name

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == CommentTarget.GROUP and not data.get("group"):
            self.add_error("group", _("点评小组时请选择小组。"))
        if target == CommentTarget.TRAINEE and not data.get("trainee"):
            self.add_error("trainee", _("点评学员时请选择学员。"))
        return data
