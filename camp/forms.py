from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Camp


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
        ]
        widgets = {
            "selection_reference_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        }
        help_texts = {
            "recruitment_window_start": _("默认为开班前三个自然年"),
        }
