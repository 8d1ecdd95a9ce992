"""The form that starts a background export ("my exports")."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BackgroundExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("报表"))
    month = forms.RegexField(
        label=_("月份"),
        regex=r"^\d{4}-\d{2}$",
        required=False,
        error_messages={"invalid": _("月份请写成 YYYY-MM，如 2026-03。")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
