"""The cross-camp trainee search (学员查询): the organization department follows trainees across
editions for promotion; staff and leaders, who read every profile, may search too. Counselors
and trainees, who see only their group or themselves, get 403.

A search by phone number looks up one whole number (matching part of one would undo the
masking, digit by digit). It is open to those who may see personal data, and logged as a view of
it: it tells whose number it is."""

import re

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.access import allowed
from camp.models import SensitiveAccessLog
from camp.services.sensitive_access import sensitive_access_log
from camp.workbooks import mask_phone

from ..access import can_search_trainees, can_see_personal_data
from ..models import Rank, Theme, TraineeStatus
from ..selectors import search_camps, trainee_search
from ..validators import normalize_phone

PAGE_SIZE = 20
Q_MAX_LENGTH = 50  # a whole name; a unit or position is found by a part of it
TERMS_MAX = 5
# A phone number: digits, perhaps written with spaces, hyphens or a +86 prefix, at least 7 of
# them (a local landline). Fewer digits are searched as text, as in "第3单位".
PHONE = re.compile(r"\+?[0-9\s-]+")
PHONE_MIN_DIGITS = 7


def _group_choices() -> list[tuple[str, str]]:
    # Every camp numbers its six groups in the order of the themes (study_groups_create), so a
    # number names the same theme in every edition.
    return [
        (str(number), _("第%(n)d组·%(theme)s") % {"n": number, "theme": label})
        for number, label in enumerate(Theme.labels, start=1)
    ]


SELECT = forms.Select(attrs={"class": "form-select"})


class TraineeSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("姓名、单位或职务"),
        required=False,
        max_length=Q_MAX_LENGTH,
        error_messages={
            "max_length": gettext_lazy("搜索词不能超过%(limit_value)d个字，请缩短后再查。")
        },
        widget=forms.SearchInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    camp = forms.ChoiceField(label=gettext_lazy("届次"), required=False, widget=SELECT)
    group = forms.ChoiceField(label=gettext_lazy("学习小组"), required=False, widget=SELECT)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False, widget=SELECT)
    rank = forms.ChoiceField(label=gettext_lazy("职级"), required=False, widget=SELECT)

    def __init__(self, *args, camps, phone_lookup: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_lookup = phone_lookup
        everything = [("", _("全部"))]
        self.fields["camp"].choices = everything + [(c.code, c.name) for c in camps]
        self.fields["group"].choices = everything + _group_choices()
        self.fields["status"].choices = everything + list(TraineeStatus.choices)
        self.fields["rank"].choices = everything + list(Rank.choices)

    def clean_q(self) -> str:
        q = " ".join(self.cleaned_data["q"].split())
        if PHONE.fullmatch(normalize_phone(q)):
            # A number typed with full-width digits is the same number.
            q = normalize_phone(q)
        if len(q.split()) > TERMS_MAX:
            raise forms.ValidationError(_("最多输入%(n)d个关键词，用空格分开。") % {"n": TERMS_MAX})
        return q

    def is_phone(self) -> bool:
        q = self.cleaned_data.get("q", "")
        return bool(PHONE.fullmatch(q)) and len(re.sub(r"[^0-9]", "", q)) >= PHONE_MIN_DIGITS

    def criteria(self) -> dict:
        """The selector's arguments; empty when nothing was asked."""
        data = self.cleaned_data
        q = data["q"]
        criteria = {}
        if q and self.phone_lookup and self.is_phone():
            digits = re.sub(r"[^0-9]", "", q)
            if len(digits) > 11 and digits.startswith("86"):
                digits = digits[2:]
            criteria["phone"] = digits
        elif q:
            criteria["terms"] = q.split()
        for name, key in (("camp", "camp_code"), ("status", "status"), ("rank", "rank")):
            if data[name]:
                criteria[key] = data[name]
        if data["group"]:
            criteria["group_number"] = int(data["group"])
        return criteria


def _page_number(raw: str | None, num_pages: int) -> tuple[int, bool]:
    """The page to show and whether it differs from the one asked for: a page that is not a
    number shows the first, one out of range the nearest."""
    if raw in (None, ""):
        return 1, False
    try:
        asked = int(raw)
    except ValueError:
        return 1, True
    number = min(max(asked, 1), num_pages)
    return number, number != asked


def _log_phone_lookup(user, phone: str, found: int) -> None:
    sensitive_access_log(
        user=user,
        action=SensitiveAccessLog.Action.VIEW,
        target=_("按联系电话查找学员"),
        detail=_("号码 %(phone)s，找到 %(n)d 条") % {"phone": mask_phone(phone), "n": found},
    )


@allowed(can_search_trainees)
def trainee_search_view(request):
    phone_lookup = can_see_personal_data(request.user)
    form = TraineeSearchForm(request.GET or None, camps=search_camps(), phone_lookup=phone_lookup)
    context = {"form": form, "phone_lookup": phone_lookup, "searched": False}
    if not form.is_bound:
        return render(request, "trainees/search.html", context)
    if not form.is_valid():
        return render(request, "trainees/search.html", context, status=400)
    criteria = form.criteria()
    if criteria:
        paginator = Paginator(trainee_search(**criteria), PAGE_SIZE)
        number, moved = _page_number(request.GET.get("page"), paginator.num_pages)
        page = paginator.page(number)
        for trainee in page.object_list:
            trainee.masked_phone = mask_phone(trainee.person.phone)
        if "phone" in criteria:
            _log_phone_lookup(request.user, criteria["phone"], paginator.count)
        context.update(
            searched=True,
            page=page,
            page_moved=moved,
            # Digits from someone who may not look up a phone were searched as text.
            phone_refused=not phone_lookup and form.is_phone(),
        )
    return render(request, "trainees/search.html", context)


urlpatterns = [
    path("trainees/search/", trainee_search_view, name="trainee-search"),
]
