"""Sessions: detail, staff editing, evaluation, the trainee's check-in and the sign-in sheet.
The projector's rotating code and the live board are in views/roll_call.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.listing import filtered
from camp.roles import Role
from trainees.access import trainee_for_user
from trainees.selectors import camp_groups

from ..access import (
    can_edit_curriculum,
    get_evaluating_trainee,
    get_session_for,
    require_evaluation_results_access,
)
from ..filters import RollSheetFilter
from ..forms import EvaluationForm, SessionForm
from ..models import SessionEvaluation
from ..selectors import evaluation_averages, session_trainees
from ..services.attendance import (
    attendance_check_in,
    check_in_state,
    check_in_window,
    session_from_token,
)
from ..services.sessions import EDITABLE_FIELDS, session_create, session_evaluate, session_update
from .feedback import submit_and_tell


@role_required(*Role.values)
def session_detail(request, pk):
    session = get_session_for(request.user, pk)
    context = {
        "camp": session.camp,
        "session": session,
        "instructors": session.instructors.all(),
        "presenters": session.presenters.select_related("person"),
        "can_edit": can_edit_curriculum(request.user),
    }
    trainee = trainee_for_user(request.user, session.camp)
    in_audience = trainee is not None and session.group_id in (None, trainee.group_id)
    if in_audience and session.starts_at <= timezone.now():
        done = SessionEvaluation.objects.filter(session=session, trainee=trainee).exists()
        context["evaluated"] = done
        if not done:
            context["evaluation_form"] = EvaluationForm(session=session)
    if context["can_edit"]:
        opens, closes = check_in_window(session)
        context["check_in_opens"], context["check_in_closes"] = opens, closes
    return render(request, "curriculum/session_detail.html", context)


def _session_form_view(request, camp, session=None):
    initial = {}
    if session is None and request.GET.get("day"):
        initial["training_day"] = request.GET["day"]
    form = SessionForm(request.POST or None, instance=session, camp=camp, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        people = {
            "instructors": list(form.cleaned_data["instructors"]),
            "presenters": list(form.cleaned_data["presenters"]),
        }
        try:
            if session is None:
                saved = session_create(camp=camp, by=request.user, **people, **data)
            else:
                saved = session_update(
                    session=session,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    **people,
                    **data,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已保存课程。"))
            return redirect("curriculum-session", saved.pk)
    return render(
        request,
        "curriculum/session_form.html",
        {"camp": camp, "form": form, "session": session},
    )


@role_required(Role.STAFF)
def session_create_view(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    return _session_form_view(request, camp)


@role_required(Role.STAFF)
def session_edit(request, pk):
    session = get_session_for(request.user, pk, edit=True)
    return _session_form_view(request, session.camp, session)


@require_POST
@role_required(Role.TRAINEE)
def session_evaluate_view(request, pk):
    session = get_session_for(request.user, pk)
    trainee = get_evaluating_trainee(request.user, session)
    submit_and_tell(
        request,
        EvaluationForm(request.POST, session=session),
        lambda data: session_evaluate(session=session, trainee=trainee, **data),
        done=_("感谢评课！评价为匿名，授课教师和辅导员看不到您的姓名。"),
        invalid=_("请为课程选择 1-5 分。"),
    )
    return redirect("curriculum-session", session.pk)


@role_required(Role.STAFF)
def evaluations(request, code):
    require_evaluation_results_access(request.user)
    camp = get_camp_for(request.user, code)
    return render(
        request,
        "curriculum/evaluations.html",
        {"camp": camp, "averages": evaluation_averages(camp)},
    )


@role_required(Role.STAFF)
def session_sheet(request, pk):
    """The printable paper sign-in sheet (签到表): the session's trainees by group."""
    session = get_session_for(request.user, pk, edit=True)
    filters = RollSheetFilter(
        request.GET, session_trainees(session), session=session, groups=camp_groups(session.camp)
    )
    return render(
        request,
        "curriculum/session_sheet.html",
        {
            "camp": session.camp,
            "session": session,
            "trainees": filtered(filters),
            "filters": filters,
        },
    )


@role_required(Role.TRAINEE)
def check_in(request, token):
    """Where the venue code leads: the trainee confirms, and is signed in. The page offers the
    button only while check-in is open and not yet done; otherwise it says why not."""
    try:
        session = session_from_token(token)
    except ValidationError as error:
        return render(request, "curriculum/check_in.html", {"error": error.messages[0]}, status=400)
    trainee = trainee_for_user(request.user, session.camp)
    if trainee is None:
        raise PermissionDenied
    code = request.POST.get("code") or request.GET.get("code") or ""
    context = {"camp": session.camp, "session": session, "token": token, "code": code}
    if request.method == "POST":
        try:
            attendance_check_in(token=token, trainee=trainee, code=code)
            context["just_signed"] = True
        except ValidationError as error:
            context["error"] = error.messages[0]
    context.update(check_in_state(session=session, trainee=trainee))
    return render(request, "curriculum/check_in.html", context)


urlpatterns = [
    path("camps/<str:code>/sessions/new/", session_create_view, name="curriculum-session-new"),
    path("camps/<str:code>/evaluations/", evaluations, name="curriculum-evaluations"),
    path("curriculum/sessions/<int:pk>/", session_detail, name="curriculum-session"),
    path("curriculum/sessions/<int:pk>/edit/", session_edit, name="curriculum-session-edit"),
    path(
        "curriculum/sessions/<int:pk>/evaluate/",
        session_evaluate_view,
        name="curriculum-session-evaluate",
    ),
    path("curriculum/sessions/<int:pk>/sheet/", session_sheet, name="curriculum-session-sheet"),
    path("check-in/<str:token>/", check_in, name="curriculum-check-in"),
]
