"""Graduation (结业): the class list with drafts, awards within the quota and certificate
numbers. Staff write; orgdept and leaders read; a counselor reads their group. The appraisal
form and the certificate (print pages, Word documents) are views/documents.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for
from camp.forms import add_validation_error
from camp.listing import filtered
from camp.workbooks import may_export, registry
from curriculum.selectors import leave_over_limit
from trainees.access import visible_trainees

from ..access import can_open_graduation_list, can_write_graduation, get_graduation_for
from ..filters import GraduationFilter
from ..graduation_forms import GraduationForm, GraduationPolicyForm
from ..graduation_selectors import (
    graduation_of,
    hours_short_of_minimum,
    leave_exceeds_limit,
)
from ..models import Graduation
from ..services.graduation import (
    graduation_certificates_assign,
    graduation_policy_of,
    graduation_policy_update,
    graduation_save,
    outstanding_quota,
)
from .documents import edition_document_kinds


@allowed(can_open_graduation_list)
def graduation_list(request, code):
    camp = get_camp_for(request.user, code)
    # A withdrawn trainee keeps their record but is no longer up for graduation.
    trainees = (
        visible_trainees(request.user, camp)
        .active()
        .select_related("person", "group", "graduation")
        .order_by("group__number", "admitted_on", "pk")
    )
    filters = GraduationFilter(request.GET, trainees, camp=camp)
    trainees = filtered(filters)  # printed: the whole list the filters leave, unpaged
    policy = graduation_policy_of(camp)
    counts = Graduation.objects.filter(trainee__camp=camp).aggregate(
        written=Count("pk"),
        outstanding=Count("pk", filter=Q(outstanding=True)),
        declined=Count("pk", filter=Q(graduates=False)),
        numbered=Count("pk", filter=Q(certificate_number__isnull=False)),
    )
    is_staff = can_write_graduation(request.user)
    return render(
        request,
        "assessment/graduation_list.html",
        {
            "camp": camp,
            "trainees": trainees,
            "filters": filters,
            "policy": policy,
            "quota": outstanding_quota(camp, policy),
            "counts": counts,
            "over_limit": set(leave_over_limit(camp, trainees).values_list("pk", flat=True)),
            "is_staff": is_staff,
            "policy_form": GraduationPolicyForm(
                initial={"outstanding_share": policy.outstanding_share}
            )
            if is_staff
            else None,
            "can_export": may_export(request.user, registry["graduation"]),
            "document_kinds": edition_document_kinds(request.user),
        },
    )


@allowed(can_write_graduation)
def graduation_edit(request, pk):
    trainee = get_graduation_for(request.user, pk, write=True)
    graduation = graduation_of(trainee)
    initial = {"graduates": "1", "outstanding": False}
    if graduation is not None:
        initial = {
            "graduates": "1" if graduation.graduates else "0",
            "decline_reason": graduation.decline_reason,
            "appraisal": graduation.appraisal,
            "outstanding": graduation.outstanding,
        }
    form = GraduationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            graduation_save(trainee=trainee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存结业鉴定（草稿）。"))
            return redirect("graduation-list", trainee.camp.code)
    return render(
        request,
        "assessment/graduation_edit.html",
        {
            "trainee": trainee,
            "graduation": graduation,
            "form": form,
            "leave_warning": leave_exceeds_limit(trainee),
            "hours_short": hours_short_of_minimum(trainee),
        },
    )


@require_POST
@allowed(can_write_graduation)
def graduation_policy(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    form = GraduationPolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("比例请填写0到100之间的数字。"))
    else:
        try:
            graduation_policy_update(camp=camp, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已更新优秀学员比例。"))
    return redirect("graduation-list", camp.code)


@require_POST
@allowed(can_write_graduation)
def graduation_certificates(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    try:
        numbered = graduation_certificates_assign(camp=camp, by=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("已为%(n)d名结业学员编发证书号（%(first)s 起）。")
            % {"n": len(numbered), "first": numbered[0].certificate_number},
        )
    return redirect("graduation-list", camp.code)


urlpatterns = [
    path("camps/<str:code>/graduation/", graduation_list, name="graduation-list"),
    path("camps/<str:code>/graduation/policy/", graduation_policy, name="graduation-policy"),
    path(
        "camps/<str:code>/graduation/certificates/",
        graduation_certificates,
        name="graduation-certificates",
    ),
    path("graduation/<int:pk>/edit/", graduation_edit, name="graduation-edit"),
]
