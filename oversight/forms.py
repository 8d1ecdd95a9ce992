"""Forms of the organization department's pages. They only parse input: the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from camp.widgets import PersonCheckboxes
from trainees.forms import ImportConfirmForm, ImportForm
from trainees.models import Rank

from .models import AppraisalGrade, InterviewCategory, ShortlistDecision
from .models.after_camp import FIRST_YEAR, LAST_YEAR

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrackingForm(forms.Form):
    reason = forms.CharField(label=_("关注理由"), max_length=200, required=False)


class InspectionNoteForm(forms.Form):
    date = forms.DateField(label=_("考察日期"), widget=DATE)
    occasion = forms.CharField(label=_("考察场合"), max_length=100)
    observation = forms.CharField(
        label=_("考察情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class InterviewForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=InterviewCategory.objects.all(), empty_label=None
    )
    date = forms.DateField(label=_("面谈日期"), widget=DATE)
    interviewers = forms.CharField(label=_("面谈人"), max_length=200)
    notes = forms.CharField(
        label=_("面谈记录"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class InterviewCategoryForm(forms.Form):
    name = forms.CharField(label=_("新类别"), max_length=30)


class ShortlistRoundForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100)
    date = forms.DateField(label=_("比选日期"), widget=DATE)
    notes = forms.CharField(
        label=_("说明"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShortlistRefreshForm(forms.Form):
    reason = forms.CharField(
        label=_("更新原因"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("比选依据按比选日期重新取数，原因记入历史。"),
    )


class ShortlistAddForm(forms.Form):
    trainees = forms.ModelMultipleChoiceField(
        label=_("加入比选的学员"), queryset=None, widget=PersonCheckboxes
    )

    def __init__(self, *args, trainees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = trainees


class ShortlistDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("比选意见"), choices=ShortlistDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


# After the camp (训后跟踪) ----------------------------------------------------------------------
# Each form carries the version its writer saw (hidden); the services refuse a stale one.


class AfterCampForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PostChangeForm(AfterCampForm):
    date = forms.DateField(label=_("任职日期"), widget=DATE)
    post = forms.CharField(label=_("新任职务"), max_length=100)
    rank = forms.ChoiceField(label=_("职级"), choices=Rank.choices)
    promotion = forms.BooleanField(label=_("属于提拔"), required=False)


class AppraisalForm(AfterCampForm):
    year = forms.IntegerField(label=_("考核年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    grade = forms.ChoiceField(label=_("考核等次"), choices=AppraisalGrade.choices)


class AwardForm(AfterCampForm):
    date = forms.DateField(label=_("表彰日期"), widget=DATE)
    name = forms.CharField(label=_("奖励名称"), max_length=200)
    body = forms.CharField(label=_("授予机关"), max_length=100)


class AfterCampNoteForm(AfterCampForm):
    date = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(
        label=_("备注"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


AFTER_CAMP_FORMS = {
    "post": PostChangeForm,
    "appraisal": AppraisalForm,
    "award": AwardForm,
    "note": AfterCampNoteForm,
}


class AfterCampImportForm(ImportForm):
    """The candidate import's form (and its size check), worded for this file."""

    file = forms.FileField(label=_("训后跟踪表（.xlsx）"))
    reason = forms.CharField(
        label=_("导入原因"),
        required=False,
        max_length=500,
        help_text=_("如“2025年度干部调整”。修改已有记录时，核对变更后须填写原因。"),
    )


class AfterCampImportConfirmForm(ImportConfirmForm):
    reason = forms.CharField(
        label=_("修改原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写修改已有记录的原因。")},
    )
