"""个人修养要则: the trainee writes their own; their counselor, staff and orgdept read it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import get_camp_for, role_required
from camp.roles import Role

from ..access import conduct_code_of, get_conduct_code_for, is_self, trainee_for_user
from ..group_forms import ConductCodeForm
from ..services.conduct import conduct_code_save


@role_required(Role.TRAINEE)
def conduct_mine(request, code):
    camp = get_camp_for(request.user, code)
    trainee = trainee_for_user(request.user, camp)
    if trainee is None:
        raise Http404
    return redirect("conduct-code", trainee.pk)


@role_required(*Role.values)
def conduct_code(request, pk):
    trainee = get_conduct_code_for(request.user, pk, write=request.method == "POST")
    code = conduct_code_of(trainee)
    can_write = is_self(request.user, trainee) and trainee.is_active
    form = None
    if can_write:
        form = ConductCodeForm(request.POST or None, initial={"text": code.text if code else ""})
        if request.method == "POST" and form.is_valid():
            try:
                conduct_code_save(trainee=trainee, text=form.cleaned_data["text"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("个人修养要则已保存。"))
                return redirect("conduct-code", trainee.pk)
    context = {"trainee": trainee, "code": code, "form": form}
    return render(request, "trainees/conduct_code.html", context)


urlpatterns = [
    path("camps/<str:code>/conduct/", conduct_mine, name="conduct-mine"),
    path("trainees/<int:pk>/conduct/", conduct_code, name="conduct-code"),
]
