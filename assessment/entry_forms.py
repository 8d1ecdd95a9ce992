"""Forms of the scheme, score entry, fast entry and submission screens (D2's live elsewhere)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from camp.forms import MonthField
from trainees.models import StudyGroup

from .models import AssessmentItem, Category, Frequency, Kind, Recorder, Scheme
from .services.attendance import ATTENDANCE_RULE_FIELDS
from .services.scheme import EDITABLE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.ModelForm):
    recorded_by = forms.MultipleChoiceField(
        label=_("记录人"), choices=Recorder.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AssessmentItem
        fields = list(EDITABLE_FIELDS)  # the service saves exactly these
        widgets = {"submission_due_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
        self.fields["kind"].choices = Kind.choices
        self.fields["frequency"].choices = Frequency.choices


class AttendanceRulesForm(forms.ModelForm):
    """The scheme's figures, and the camp's leave deadline beside them: staff set the two
    together, though the deadline lives on the camp (the leave pages read it too)."""

    leave_close_days = forms.IntegerField(
        label=_("销假期限（培训日后天数）"),
        min_value=1,
        max_value=30,
        help_text=_("本届统一的销假期限：请假页面、考勤扣分和导出都按此计算。"),
    )

    class Meta:
        model = Scheme
        fields = list(ATTENDANCE_RULE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leave_close_days"].initial = self.instance.camp.leave_close_days

    def clean(self):
        cleaned = super().clean()
        # A copy: add_error removes the field from cleaned_data while we walk it.
        for name, value in list(cleaned.items()):
            if name.endswith("_points") and value is not None and value < 0:
                self.add_error(name, _("扣分按正数填写，不能为负数。"))
        return cleaned


class EntryForm(forms.Form):
    item = forms.ModelChoiceField(label=_("考核项目"), queryset=AssessmentItem.objects.none())
    points = forms.CharField(label=_("分值"), max_length=10, help_text=_("扣分也填正数"))
    date = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("事由"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items=None, fixed_item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_item is not None:
            self.fields["item"].queryset = AssessmentItem.objects.filter(pk=fixed_item.pk)
            self.fields["item"].initial = fixed_item.pk
            self.fields["item"].disabled = True
        else:
            self.fields["item"].queryset = items
        self.fields["date"].initial = timezone.localdate()


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GridStartForm(forms.Form):
    group = forms.ModelChoiceField(label=_("小组"), queryset=StudyGroup.objects.none())
    item = forms.ModelChoiceField(label=_("考核项目"), queryset=AssessmentItem.objects.none())
    date = forms.DateField(
        label=_("培训日或月份中的任一天"),
        widget=DATE_WIDGET,
        help_text=_("每月项目按所选日期所在月份录入"),
    )

    def __init__(self, *args, groups, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["item"].queryset = items
        self.fields["date"].initial = timezone.localdate()


class GridUploadForm(forms.Form):
    file = forms.FileField(label=_("填好的录入表（.xlsx）"))
    reason = forms.CharField(label=_("事由"), max_length=300)


class SubmissionForm(forms.Form):
    item = forms.ModelChoiceField(label=_("材料类别"), queryset=AssessmentItem.objects.none())
    period = MonthField(
        label=_("所属月份"),
        required=False,
        help_text=_("每月提交的材料（如学习心得）须填写"),
    )
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    text = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    upload = forms.FileField(
        label=_("附件"), required=False, help_text=_("PDF、Word（.docx）、JPG 或 PNG")
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class GradeForm(forms.Form):
    points = forms.CharField(label=_("评分"), max_length=10)
    comment = forms.CharField(
        label=_("评语"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
