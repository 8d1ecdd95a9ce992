"""Tracking (跟踪关注), inspection notes (专项考察) and categorized interviews (分类面谈).

Tracking and notes: orgdept writes, staff and leaders read. Interviews are confidential:
orgdept writes, staff read, everyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for, role_required
from camp.forms import add_validation_error
from camp.listing import filtered, listing
from camp.roles import Role
from camp.workbooks import may_export, registry

from ..access import (
    can_read_interviews,
    can_read_oversight,
    can_write_oversight,
    get_interview_for,
    get_tracking_for,
    require_interview_access,
    require_oversight_access,
)
from ..filters import InspectionNoteFilter, InterviewFilter, TrackingFilter
from ..forms import InspectionNoteForm, InterviewCategoryForm, InterviewForm, TrackingForm
from ..models import InterviewCategory
from ..selectors import inspection_notes, interviews, tracked_trainees, tracking_of
from ..services.tracking import (
    inspection_note_create,
    interview_category_create,
    interview_create,
    tracking_mark,
    tracking_unmark,
)


@allowed(can_read_oversight)
def tracking_list(request, code):
    """The tracked trainees, paged and filtered; below them the latest inspection notes,
    narrowed by the same name, group and month."""
    camp = get_camp_for(request.user, code)
    require_oversight_access(request.user)
    notes = InspectionNoteFilter(request.GET, inspection_notes(camp), camp=camp)
    return render(
        request,
        "oversight/tracking_list.html",
        {
            "camp": camp,
            "listing": listing(
                request, TrackingFilter(request.GET, tracked_trainees(camp), camp=camp)
            ),
            "notes": filtered(notes)[:30],
            "can_write": can_write_oversight(request.user),
            "can_read_interviews": can_read_interviews(request.user),
        },
    )


@allowed(can_read_oversight)
def trainee_oversight(request, pk):
    """One trainee's file: the tracking mark, inspection notes and (for orgdept and staff)
    interviews; orgdept adds to it from here."""
    trainee = get_tracking_for(request.user, pk)
    can_write = can_write_oversight(request.user)
    context = {
        "trainee": trainee,
        "tracking": tracking_of(trainee),
        "notes": trainee.inspection_notes.select_related("author"),
        "can_write": can_write,
        "can_read_interviews": can_read_interviews(request.user),
        "can_export_record": may_export(request.user, registry["record"]),
    }
    if context["can_read_interviews"]:
        context["interviews"] = trainee.interviews.select_related("category", "author")
    if can_write:
        context["tracking_form"] = TrackingForm(
            initial={"reason": context["tracking"].reason if context["tracking"] else ""}
        )
        context["note_form"] = InspectionNoteForm()
    return render(request, "oversight/trainee_oversight.html", context)


@require_POST
@role_required(Role.ORGDEPT)
def tracking_toggle(request, pk):
    trainee = get_tracking_for(request.user, pk, write=True)
    if request.POST.get("action") == "unmark":
        tracking_unmark(trainee=trainee, by=request.user)
        messages.success(request, _("已取消跟踪关注。"))
    else:
        form = TrackingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("关注理由最多200字，请精简后再标记。"))
        else:
            tracking_mark(trainee=trainee, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("已标记为跟踪关注。"))
    return redirect("trainee-oversight", trainee.pk)


@role_required(Role.ORGDEPT)
def inspection_note_new(request, pk):
    trainee = get_tracking_for(request.user, pk, write=True)
    form = InspectionNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection_note_create(trainee=trainee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已记录专项考察。"))
            return redirect("trainee-oversight", trainee.pk)
    return render(
        request,
        "oversight/oversight_form.html",
        {"trainee": trainee, "form": form, "title": _("记录专项考察")},
    )


@role_required(Role.STAFF, Role.ORGDEPT)
def interview_list(request, code):
    camp = get_camp_for(request.user, code)
    require_interview_access(request.user)
    return render(
        request,
        "oversight/interview_list.html",
        {
            "camp": camp,
            "listing": listing(request, InterviewFilter(request.GET, interviews(camp), camp=camp)),
            "categories": InterviewCategory.objects.all(),
            "category_form": InterviewCategoryForm() if can_write_oversight(request.user) else None,
        },
    )


@role_required(Role.STAFF, Role.ORGDEPT)
def interview_detail(request, pk):
    interview = get_interview_for(request.user, pk)
    return render(request, "oversight/interview_detail.html", {"interview": interview})


@role_required(Role.ORGDEPT)
def interview_new(request, pk):
    trainee = get_tracking_for(request.user, pk, write=True)
    require_interview_access(request.user, write=True)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_create(trainee=trainee, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已记录分类面谈。"))
            return redirect("interview-detail", interview.pk)
    return render(
        request,
        "oversight/oversight_form.html",
        {"trainee": trainee, "form": form, "title": _("记录分类面谈")},
    )


@require_POST
@role_required(Role.ORGDEPT)
def interview_category_new(request, code):
    camp = get_camp_for(request.user, code)
    require_interview_access(request.user, write=True)
    form = InterviewCategoryForm(request.POST)
    if form.is_valid():
        try:
            interview_category_create(name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已添加面谈类别。"))
    else:
        messages.error(request, _("请填写类别名称（不超过30字）。"))
    return redirect("interview-list", camp.code)


urlpatterns = [
    path("camps/<str:code>/tracking/", tracking_list, name="tracking-list"),
    path("oversight/trainees/<int:pk>/", trainee_oversight, name="trainee-oversight"),
    path("oversight/trainees/<int:pk>/track/", tracking_toggle, name="tracking-toggle"),
    path(
        "oversight/trainees/<int:pk>/inspections/new/",
        inspection_note_new,
        name="inspection-note-new",
    ),
    path("oversight/trainees/<int:pk>/interviews/new/", interview_new, name="interview-new"),
    path("camps/<str:code>/interviews/", interview_list, name="interview-list"),
    path(
        "camps/<str:code>/interviews/categories/",
        interview_category_new,
        name="interview-category-new",
    ),
    path("interviews/<int:pk>/", interview_detail, name="interview-detail"),
]
