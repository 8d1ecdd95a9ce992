"""The roster (学员名册) and a trainee's profile. Staff act; orgdept and leaders read all; a
counselor sees their own group; a trainee sees only themself.

POST-only actions check access before the method, so a GET by someone refused is a 403/404
like the POST would be, never a hint that the action exists (405)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from camp.access import get_camp_for, role_required
from camp.listing import Q_MAX_LENGTH
from camp.models import SensitiveAccessLog
from camp.pinyin import name_q
from camp.roles import Role
from camp.services.sensitive_access import sensitive_access_log
from camp.workbooks import mask_id_number, mask_phone

from ..access import (
    can_edit_selection,
    can_see_personal_data,
    get_trainee_for,
    get_trainee_personal_data_for,
    visible_trainees,
)
from ..eligibility import eligibility_of
from ..forms import PostForm, WithdrawForm
from ..models import Trainee, TraineeStatus
from ..roster_columns import roster_extra_cells, roster_extra_headers
from ..selectors import camp_groups, camp_headcount, roster, roster_rows, waitlist_next
from ..services.accounts import initial_passwords_issue, trainee_reset_password
from ..services.admission import trainee_set_post, trainee_withdraw

PAGE_SIZE = 300


@role_required(*Role.values)
def roster_view(request, code):
    camp = get_camp_for(request.user, code)
    group = request.GET.get("group") or None
    if group not in (None, "none") and not group.isdigit():
        group = None
    status = request.GET.get("status") or None
    query = " ".join(request.GET.get("q", "").split())[:Q_MAX_LENGTH]
    rows = roster(camp, group=group, status=status, base=visible_trainees(request.user, camp))
    if query:  # printed whole, so filtered but never paged
        rows = rows.filter(name_q(query, name="person__name", initials="person__name_initials"))
    trainees = roster_rows(rows[:PAGE_SIZE])
    extra_headers = roster_extra_headers()
    if extra_headers:  # columns other apps add (学时), as of today, in one query each
        cells = roster_extra_cells(
            Trainee.objects.filter(pk__in=[row["pk"] for row in trainees]), timezone.localdate()
        )
        for row in trainees:
            row["extra"] = cells.get(row["pk"], [])
    return render(
        request,
        "trainees/roster.html",
        {
            "camp": camp,
            "trainees": trainees,
            "truncated": len(trainees) == PAGE_SIZE,
            "groups": camp_groups(camp),
            "statuses": TraineeStatus.choices,
            "selected_group": group or "",
            "selected_status": status or "",
            "query": query,
            "headcount": camp_headcount(camp),
            "can_edit": can_edit_selection(request.user),
            "extra_headers": extra_headers,
        },
    )


def _profile(request, trainee, *, full: bool = False, **extra):
    person = trainee.person
    context = {
        "trainee": trainee,
        "camp": trainee.camp,
        "person": person,
        "eligibility": eligibility_of(person, trainee.camp),
        "id_number": person.id_number if full else mask_id_number(person.id_number),
        "phone": person.phone if full else mask_phone(person.phone),
        "full": full,
        "can_reveal": can_see_personal_data(request.user),
        "can_edit": can_edit_selection(request.user),
        **extra,
    }
    if context["can_edit"]:
        context["withdraw_form"] = WithdrawForm()
        context["post_form"] = PostForm(initial={"post": trainee.post})
        if not trainee.is_active:
            context["next_waitlisted"] = waitlist_next(trainee.camp)
    return render(request, "trainees/trainee_detail.html", context)


@role_required(*Role.values)
def trainee_detail(request, pk):
    return _profile(request, get_trainee_for(request.user, pk))


@role_required(*Role.values)
def trainee_reveal(request, pk):
    """Show the full ID number and phone once, and log that this user saw them."""
    trainee = get_trainee_personal_data_for(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    sensitive_access_log(
        user=request.user,
        action=SensitiveAccessLog.Action.VIEW,
        target=_("学员 %(name)s（%(camp)s届）")
        % {"name": trainee.person.name, "camp": trainee.camp.code},
        detail=_("身份证号、联系电话"),
    )
    return _profile(request, trainee, full=True)


@role_required(*Role.values)
def trainee_withdraw_view(request, pk):
    trainee = get_trainee_for(request.user, pk, edit=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trainee_withdraw(
                trainee=trainee,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s 已退出，登录账号已停用。空出的名额可从候补名单递补。")
                % {"name": trainee.person.name},
            )
            return redirect("trainee-detail", trainee.pk)
    return render(
        request,
        "trainees/trainee_withdraw.html",
        {"form": form, "trainee": trainee, "camp": trainee.camp},
        status=400 if form.errors else 200,
    )


@role_required(*Role.values)
def trainee_reset_password_view(request, pk):
    trainee = get_trainee_for(request.user, pk, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        password = trainee_reset_password(trainee=trainee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trainee-detail", trainee.pk)
    # Shown once, on this response only; never stored in clear.
    return _profile(request, trainee, new_password=password)


@role_required(*Role.values)
def trainee_post_view(request, pk):
    trainee = get_trainee_for(request.user, pk, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请从列表中选择班级职务。"))
        return redirect("trainee-detail", trainee.pk)
    try:
        trainee_set_post(trainee=trainee, post=form.cleaned_data["post"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已更新班级职务。"))
    return redirect("trainee-detail", trainee.pk)


@role_required(*Role.values)
def initial_passwords(request, code):
    """A printable sheet of initial passwords for trainees who never logged in, one group (or
    the not-yet-placed) at a time: each password costs half a second to hash."""
    camp = get_camp_for(request.user, code, edit=True)
    groups = camp_groups(camp)
    issued = None
    chosen = None
    if request.method == "POST":
        choice = request.POST.get("group", "")
        if choice == "none":
            chosen = "none"
            issued = initial_passwords_issue(camp=camp, by=request.user, ungrouped=True)
        else:
            group = groups.filter(pk=choice).first() if choice.isdigit() else None
            if group is None:
                messages.error(request, _("请选择一个学习小组。"))
                return redirect("initial-passwords", camp.code)
            chosen = group
            issued = initial_passwords_issue(camp=camp, by=request.user, group=group)
    return render(
        request,
        "trainees/initial_passwords.html",
        {"camp": camp, "groups": groups, "issued": issued, "chosen": chosen},
    )


urlpatterns = [
    path("camps/<str:code>/trainees/", roster_view, name="roster"),
    path("camps/<str:code>/trainees/passwords/", initial_passwords, name="initial-passwords"),
    path("trainees/<int:pk>/", trainee_detail, name="trainee-detail"),
    path("trainees/<int:pk>/reveal/", trainee_reveal, name="trainee-reveal"),
    path("trainees/<int:pk>/withdraw/", trainee_withdraw_view, name="trainee-withdraw"),
    path(
        "trainees/<int:pk>/reset-password/",
        trainee_reset_password_view,
        name="trainee-reset-password",
    ),
    path("trainees/<int:pk>/post/", trainee_post_view, name="trainee-post"),
]
