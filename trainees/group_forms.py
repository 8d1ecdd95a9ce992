"""Forms of the study-group screens: placement, moves, counselors, conduct codes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import COUNSELOR_RANKS, Counselor, Rank, StudyGroup
from .services.conduct import CONDUCT_CODE_MAX_LENGTH


class PlaceForm(forms.Form):
    replace = forms.BooleanField(
        label=_("重新分配全部学员（人工调整过的学员保持不动）"),
        required=False,
        help_text=_("不勾选时只为尚未分组的学员分组，例如递补入营的学员。"),
    )


class MoveForm(forms.Form):
    to_group = forms.ModelChoiceField(label=_("调入小组"), queryset=StudyGroup.objects.none())
    reason = forms.CharField(label=_("调整原因"), max_length=150)
    effective_on = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        required=False,
        help_text=_("可填写较早的日期：自该日起按新小组计算小组排名、平均分和出勤率。"),
    )

    def __init__(self, *args, trainee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = (
            StudyGroup.objects.filter(camp_id=trainee.camp_id)
            .exclude(pk=trainee.group_id)
            .order_by("number")
        )


class CounselorReplaceForm(forms.Form):
    counselor = forms.ModelChoiceField(
        label=_("新任政治辅导员"),
        queryset=Counselor.objects.filter(rank__in=COUNSELOR_RANKS).order_by("name"),
    )
    on = forms.DateField(
        label=_("任职开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reason = forms.CharField(label=_("变更原因"), max_length=200, required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = self.fields["counselor"].queryset.exclude(
            pk=group.counselor_id
        )


class CounselorForm(forms.Form):
    """A new counselor and their login. Only ranks at 正处级 or above are offered; the
    service refuses any other."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    unit = forms.CharField(label=_("工作单位"), max_length=100)
    position = forms.CharField(label=_("职务"), max_length=100, required=False)
    rank = forms.ChoiceField(
        label=_("职务层次"),
        choices=[(rank, Rank(rank).label) for rank in COUNSELOR_RANKS],
        help_text=_("政治辅导员须为正处级及以上领导干部。"),
    )
    username = forms.CharField(label=_("登录用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("至少10个字符，请当面告知本人并提醒登录后修改。"),
    )


class ConductCodeForm(forms.Form):
    text = forms.CharField(
        label=_("个人修养要则"),
        max_length=CONDUCT_CODE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("对照加强党性修养的要求，写下自己做人、做事、用权、交友的准则。"),
    )
