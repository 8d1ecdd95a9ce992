from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from camp.workbooks import mask_id_number, mask_phone

from .models import Decision, Person, Post, RankAlias, WithdrawalKind
from .selectors import rank_for_title
from .services.candidates import PERSON_FIELDS
from .validators import recruitment_year_problem

# The fields shown masked on the edit form, each with its mask; revealed one at a time, logged.
SENSITIVE_FIELDS = {"id_number": mask_id_number, "phone": mask_phone}


class CandidateForm(forms.ModelForm):
    """A candidate's personal details, entered by hand. The rank may be a level or an alias."""

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"rank_title": _("如“一级主任科员”；可空")}

    def __init__(self, *args, revealed=(), **kwargs):
        """On an existing person, the ID number and phone start masked: the full values are
        shown only for the fields in `revealed`, which the view logs."""
        super().__init__(*args, **kwargs)
        self.fields["rank"].required = False
        stored = self.instance if self.instance.pk else None
        for name, mask in SENSITIVE_FIELDS.items():
            value = getattr(stored, name, None)
            if value and name not in revealed and self.initial.get(name) == value:
                self.initial[name] = mask(value)
        # The import's rule, with its message, whatever integer range the database adds.
        year = self.fields["recruitment_year"]
        year.validators = []
        year.widget.attrs.pop("max", None)
        year.widget.attrs.pop("min", None)

    def _unmasked(self, name: str) -> str:
        """The submitted value, or the stored one when the mask came back unchanged: the mask
        is never written over the real number."""
        value = self.cleaned_data.get(name) or ""
        stored = getattr(self.instance, name, None) if self.instance.pk else None
        if stored and value == SENSITIVE_FIELDS[name](stored):
            return stored
        if "*" in value:
            raise forms.ValidationError(
                _("号码中不能有“*”。请先点“显示”查看完整号码，再修改。"), code="masked"
            )
        return value

    def clean_id_number(self):
        return self._unmasked("id_number")

    def clean_phone(self):
        return self._unmasked("phone")

    def clean_recruitment_year(self):
        year = self.cleaned_data.get("recruitment_year")
        problem = recruitment_year_problem(year)
        if problem:
            raise forms.ValidationError(problem)
        return year

    def validate_unique(self):
        # An ID number already known means the same person: the service matches them.
        pass

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("rank_title") or "").strip()
        if title and not cleaned.get("rank"):
            rank = rank_for_title(title)
            if rank is None:
                self.add_error("rank_title", _("无法识别该职级名称，请选择职务层次。"))
            else:
                cleaned["rank"] = rank
        elif not cleaned.get("rank"):
            self.add_error("rank", _("请选择职务层次，或填写可识别的职级名称。"))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不符合条件而录取时必填"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("候选人名单（.xlsx）"))
    reason = forms.CharField(
        label=_("导入原因"),
        required=False,
        max_length=500,
        help_text=_("如“组织部第二批推荐名单”。修改已有人员信息时，核对变更后须填写原因。"),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("文件超过%(mb)d MB，请拆分后分批导入。"),
                params={"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            )
        return file


class ImportConfirmForm(forms.Form):
    """The second step of an import that changes people already known: the preview shown
    (its file and digest) confirmed, with the reason for the changes."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("修改原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写修改已有人员信息的原因。")},
    )


class WithdrawForm(forms.Form):
    kind = forms.ChoiceField(label=_("退出类型"), choices=WithdrawalKind.choices)
    on = forms.DateField(
        label=_("退出日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("退出原因"), max_length=300)


class PostForm(forms.Form):
    post = forms.ChoiceField(label=_("班级职务"), choices=Post.choices, required=False)


class RankAliasForm(forms.ModelForm):
    class Meta:
        model = RankAlias
        fields = ["title", "rank"]
