from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import OVERSEERS, can_edit_camp, get_camp_for, has_role, role_required
from .forms import CampForm
from .models import Camp, SensitiveAccessLog
from .navigation import current_camp_for
from .roles import Role
from .services.camps import camp_create, camp_update, default_camp_fields

# Each app names its role's home page here; camp cannot import the apps above it.
ROLE_HOMES: dict[str, str] = {}


@login_required
def home(request):
    """Send each role to its own home page."""
    user = request.user
    if user.role in ROLE_HOMES:  # each role's home page, not a permission
        camp = current_camp_for(user)
        if camp is not None or has_role(user, *OVERSEERS):
            return redirect(ROLE_HOMES[user.role])
    if user.is_superuser:
        return redirect("admin:index")
    return render(request, "camp/no_camp.html")


@role_required(*Role.values)
def camp_list(request):
    camps = Camp.objects.order_by("-year", "-start_month")
    context = {"camps": camps, "can_edit_camp": can_edit_camp(request.user)}
    return render(request, "camp/camp_list.html", context)


@role_required(Role.STAFF)
def camp_new(request):
    # The next edition is usually planned during the current one.
    initial = default_camp_fields(year=timezone.localdate().year + 1)
    form = CampForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            camp = camp_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已创建 %(name)s。") % {"name": camp.name})
            return redirect("camp-detail", camp.code)
    return render(request, "camp/camp_form.html", {"form": form, "title": _("新建届次")})


@role_required(*Role.values)
def camp_detail(request, code):
    camp = get_camp_for(request.user, code)
    return redirect(reverse("camp-overview", args=[camp.code]))


@role_required(Role.STAFF)
def camp_edit(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    form = CampForm(request.POST or None, instance=camp)
    if request.method == "POST" and form.is_valid():
        try:
            camp_update(camp=Camp.objects.get(pk=camp.pk), data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("camp-detail", form.cleaned_data["code"])
    return render(request, "camp/camp_form.html", {"form": form, "title": _("编辑届次")})


@role_required(Role.STAFF)
def sensitive_log(request):
    entries = SensitiveAccessLog.objects.select_related("user")[:500]
    return render(request, "camp/sensitive_log.html", {"entries": entries})
