from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Camp


class MonthField(forms.DateField):
    """A month, chosen with the browser's month picker (YYYY-MM); cleans to its first day. A full
    date, as a browser without a month picker may send, is taken as its month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("月份请写成 YYYY-MM，如 2026-03。")}

    def to_python(self, value):
        month = super().to_python(value)
        return month.replace(day=1) if month else month


class CampForm(forms.ModelForm):
    class Meta:
        model = Camp
        fields = [
            "code",
            "name",
            "year",
            "start_month",
            "capacity",
            "selection_reference_date",
            "recruitment_window_start",
            "recruitment_window_end",
            "status",
            "trainee_rank_visibility",
            "hours_per_half_day",
            "min_hours_share",
            "reminder_time",
            "graduated_on",
            "candidate_retention_years",
            "trainee_retention_years",
        ]
        widgets = {
            "graduated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "selection_reference_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "recruitment_window_start": _("默认为开班前三个自然年"),
        }

    # The 学时 settings and the daily reminders' time have defaults; left empty, a field keeps
    # the camp's current value (the default for a new camp), so a form posted without them
    # changes nothing there.
    KEEP_WHEN_EMPTY = (
        "hours_per_half_day",
        "min_hours_share",
        "reminder_time",
        "candidate_retention_years",
        "trainee_retention_years",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEEP_WHEN_EMPTY:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_WHEN_EMPTY:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


def add_validation_error(form, error: ValidationError) -> None:
    """A service's refusal shown on the form that asked: each field's message beside its field
    (those the form does not show at its top), a plain message at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
