"""The curriculum plan per classroom, the instructors, and the activity kinds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.roles import Role

from ..access import can_edit_curriculum
from ..forms import ActivityKindForm, InstructorForm, TargetCountForm
from ..models import ActivityKind, CurriculumTarget
from ..plan_selectors import curriculum_plan
from ..selectors import instructor_mix, instructors_with_counts
from ..services.plan import (
    activity_kind_create,
    curriculum_target_set_count,
    curriculum_targets_create_defaults,
    instructor_create,
)
from .feedback import submit_and_tell


@role_required(*Role.values)
def plan(request, code):
    camp = get_camp_for(request.user, code)
    can_edit = can_edit_curriculum(request.user)
    return render(
        request,
        "curriculum/plan.html",
        {
            "camp": camp,
            "plan": curriculum_plan(camp),
            "kinds": ActivityKind.objects.all(),
            "can_edit": can_edit,
            "kind_form": ActivityKindForm() if can_edit else None,
        },
    )


@require_POST
@role_required(Role.STAFF)
def plan_defaults(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    curriculum_targets_create_defaults(camp=camp)
    messages.success(request, _("已按文章设置默认计划数量。"))
    return redirect("curriculum-plan", camp.code)


@require_POST
@role_required(Role.STAFF)
def target_count(request, pk):
    target = get_object_or_404(CurriculumTarget.objects.select_related("camp"), pk=pk)
    get_camp_for(request.user, target.camp.code, edit=True)
    submit_and_tell(
        request,
        TargetCountForm(request.POST),
        lambda data: curriculum_target_set_count(target=target, count=data["count"]),
        done=_("已更新计划数量。"),
        invalid=_("计划数量应为 0 到 500 之间的整数。"),
    )
    return redirect("curriculum-plan", target.camp.code)


@require_POST
@role_required(Role.STAFF)
def kind_create(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    submit_and_tell(
        request,
        ActivityKindForm(request.POST),
        lambda data: activity_kind_create(**data),
        done=_("已新增活动类型。"),
        invalid=_("请填写活动类型名称并选择课堂类型。"),
    )
    return redirect("curriculum-plan", camp.code)


@role_required(*Role.values)
def instructors(request, code):
    camp = get_camp_for(request.user, code)
    can_edit = can_edit_curriculum(request.user)
    form = InstructorForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        get_camp_for(request.user, code, edit=True)
        if form.is_valid():
            try:
                instructor_create(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已新增授课教师。"))
                return redirect("curriculum-instructors", camp.code)
    return render(
        request,
        "curriculum/instructors.html",
        {
            "camp": camp,
            "instructors": instructors_with_counts(camp),
            "mix": instructor_mix(camp),
            "form": form,
        },
    )


urlpatterns = [
    path("camps/<str:code>/plan/", plan, name="curriculum-plan"),
    path("camps/<str:code>/plan/defaults/", plan_defaults, name="curriculum-plan-defaults"),
    path("camps/<str:code>/plan/kinds/", kind_create, name="curriculum-kind-new"),
    path("curriculum/targets/<int:pk>/", target_count, name="curriculum-target-count"),
    path("camps/<str:code>/instructors/", instructors, name="curriculum-instructors"),
]
