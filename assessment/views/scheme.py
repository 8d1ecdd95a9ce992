"""The camp's assessment scheme: everyone reads it, staff edit it before scoring starts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for, role_required
from camp.roles import Role

from ..access import can_edit_scheme, get_scheme_for
from ..entry_forms import AttendanceRulesForm, ItemForm
from ..models import Category, Scheme
from ..scheme_selectors import scheme_has_entries, scheme_problems
from ..selectors import scheme_items
from ..services.attendance import attendance_rules_update
from ..services.scheme import (
    EDITABLE_FIELDS,
    assessment_item_update,
    scheme_activate,
    scheme_deactivate,
)


@role_required(*Role.values)
def scheme_detail(request, code):
    camp = get_camp_for(request.user, code)
    scheme = get_scheme_for(request.user, camp)
    items = list(scheme_items(camp))
    categories = [
        {
            "label": label,
            "items": [item for item in items if item.category == value],
            "total": sum((item.max_points for item in items if item.category == value), 0),
        }
        for value, label in Category.choices
    ]
    context = {
        "camp": camp,
        "scheme": scheme,
        "categories": categories,
        "total": sum((item.max_points for item in items), 0),
        "count": len(items),
        "problems": scheme_problems(scheme=scheme) if not scheme.is_active else [],
        "scoring_started": scheme_has_entries(scheme),
        "can_edit": can_edit_scheme(request.user),
    }
    return render(request, "assessment/scheme.html", context)


@allowed(can_edit_scheme)
def item_edit(request, code, number):
    camp = get_camp_for(request.user, code, edit=True)
    scheme = get_scheme_for(request.user, camp, edit=True)
    item = get_object_or_404(scheme.items, number=number)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            assessment_item_update(item=item, data=data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存“%(item)s”。") % {"item": data["name"]})
            return redirect("assessment-scheme", camp.code)
    return render(request, "assessment/item_form.html", {"camp": camp, "item": item, "form": form})


@require_POST
@allowed(can_edit_scheme)
def scheme_status(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    scheme = get_scheme_for(request.user, camp, edit=True)
    try:
        if request.POST.get("action") == "activate":
            scheme_activate(scheme=scheme, by=request.user)
            messages.success(request, _("考核方案已启用。"))
        else:
            scheme_deactivate(scheme=scheme, by=request.user)
            messages.success(request, _("考核方案已退回草稿，可以修改项目。"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("assessment-scheme", camp.code)


@allowed(can_edit_scheme)
def attendance_rules(request, code):
    """The figures that turn attendance into deductions, and a button to apply them now."""
    camp = get_camp_for(request.user, code, edit=True)
    scheme = get_scheme_for(request.user, camp, edit=True)
    form = AttendanceRulesForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_rules_update(
                scheme=Scheme.objects.select_related("camp").get(pk=scheme.pk),
                figures=form.cleaned_data,
                leave_close_days=form.cleaned_data["leave_close_days"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("已保存并重新计算考勤扣分：新增 %(c)d 条，修改 %(u)d 条，撤销 %(d)d 条。")
                % {"c": result.created, "u": result.updated, "d": result.deleted},
            )
            return redirect("assessment-attendance-rules", camp.code)
    return render(
        request, "assessment/attendance_rules.html", {"camp": camp, "scheme": scheme, "form": form}
    )


urlpatterns = [
    path("camps/<str:code>/assessment/scheme/", scheme_detail, name="assessment-scheme"),
    path(
        "camps/<str:code>/assessment/scheme/items/<int:number>/edit/",
        item_edit,
        name="assessment-item-edit",
    ),
    path(
        "camps/<str:code>/assessment/scheme/status/", scheme_status, name="assessment-scheme-status"
    ),
    path(
        "camps/<str:code>/assessment/attendance-rules/",
        attendance_rules,
        name="assessment-attendance-rules",
    ),
]
