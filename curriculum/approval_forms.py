"""The camp's leave approval steps, as staff set them: for each length of leave, up to three
steps in order, each held by a role."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApproverRole

MAX_STEPS = 3
LENGTHS = (
    ("half_day_steps", _("半天请假")),
    ("one_day_steps", _("一天以内请假")),
    ("longer_steps", _("一天以上请假")),
)


class ApprovalPolicyForm(forms.Form):
    """Three ordered selects per length (the first required); a blank step ends the list."""

    wait_hours = forms.IntegerField(
        label=_("单步审批时限（小时）"),
        min_value=1,
        max_value=24 * 14,
        help_text=_("超过这么多小时未审批的步骤转交党校管理员。"),
    )

    def __init__(self, *args, policy=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if policy is not None:
            initial["wait_hours"] = policy.wait_hours
            for name, _label in LENGTHS:
                for index, role in enumerate(getattr(policy, name)[:MAX_STEPS], start=1):
                    initial[f"{name}_{index}"] = role
        super().__init__(*args, initial=initial, **kwargs)
        choices = [("", "—"), *ApproverRole.choices]
        for name, label in LENGTHS:
            for index in range(1, MAX_STEPS + 1):
                self.fields[f"{name}_{index}"] = forms.ChoiceField(
                    label=_("%(length)s 第%(n)d步") % {"length": label, "n": index},
                    choices=choices,
                    required=index == 1,
                )

    def clean(self):
        cleaned = super().clean()
        for name, label in LENGTHS:
            steps = [cleaned.get(f"{name}_{index}", "") for index in range(1, MAX_STEPS + 1)]
            filled = [step for step in steps if step]
            if steps[: len(filled)] != filled:
                self.add_error(
                    f"{name}_1", _("%(length)s：审批步骤须从第1步起依次填写。") % {"length": label}
                )
            elif len(set(filled)) != len(filled):
                self.add_error(
                    f"{name}_1", _("%(length)s：同一审批人不能出现两次。") % {"length": label}
                )
            cleaned[name] = filled
        return cleaned
