"""Forms of the graduation pages. They only parse input: the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class GraduationForm(forms.Form):
    graduates = forms.TypedChoiceField(
        label=_("是否准予结业"),
        choices=[("1", _("准予结业")), ("0", _("不予结业"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decline_reason = forms.CharField(label=_("不予结业原因"), max_length=300, required=False)
    appraisal = forms.CharField(
        label=_("结业鉴定"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    outstanding = forms.BooleanField(label=_("评为优秀学员"), required=False)


class GraduationPolicyForm(forms.Form):
    outstanding_share = forms.DecimalField(
        label=_("优秀学员比例（%）"), min_value=0, max_value=100, decimal_places=1
    )


class AppraisalStatementForm(forms.Form):
    """个人总结 or 小组鉴定意见; `version` is what the writer saw (0: nothing yet)."""

    text = forms.CharField(
        label=_("内容"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("请填写内容。")},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
