"""The calendar: the year's training days, one day's sessions, planning and moving days."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.listing import listing
from camp.roles import Role

from ..access import can_edit_curriculum, get_calendar_arrangement_for, get_training_day_for
from ..filters import SessionFilter, calendar_days
from ..forms import (
    ArrangementDeleteForm,
    ArrangementForm,
    TrainingDayConfirmForm,
    TrainingDayMoveForm,
)
from ..holidays import OfficialCalendar
from ..models import CalendarArrangement
from ..selectors import (
    calendar_sources,
    session_queryset,
    sessions_off_days,
    training_days_as_held,
)
from ..services.calendar import (
    calendar_arrangement_create,
    calendar_arrangement_delete,
    training_day_confirm,
    training_day_move,
    training_days_plan,
)
from ..services.day_moves import MoveNeedsConfirmation, moved_to
from .feedback import submit_and_tell


@role_required(*Role.values)
def calendar(request, code):
    camp = get_camp_for(request.user, code)
    days = training_days_as_held(camp)
    off_days = sessions_off_days(camp).order_by("date", "start_time")
    filters = SessionFilter(request.GET, off_days, camp=camp)
    page = listing(request, calendar_days(days, filters))
    return render(
        request,
        "curriculum/calendar.html",
        {
            "camp": camp,
            "listing": page,
            "filters": filters,
            "days": page.rows,
            "any_day": bool(days),
            "sources": calendar_sources(days),
            "off_day_sessions": filters.qs,
            "can_edit": can_edit_curriculum(request.user),
        },
    )


@require_POST
@role_required(Role.STAFF)
def plan_run(request, code):
    camp = get_camp_for(request.user, code, edit=True)
    try:
        report = training_days_plan(camp=camp, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        for line in report.lines():
            messages.info(request, line)
    return redirect("curriculum-calendar", camp.code)


def _day_page(request, day, *, move_form=None, flags=()):
    can_edit = can_edit_curriculum(request.user)
    if can_edit and move_form is None:
        move_form = TrainingDayMoveForm(initial={"to_date": day.date})
    moves = list(day.moves.select_related("by"))
    return render(
        request,
        "curriculum/day_detail.html",
        {
            "camp": day.camp,
            "day": day,
            "held": OfficialCalendar(day.date, day.date).day(day.date),
            "sessions": session_queryset().filter(training_day=day).order_by("start_time", "pk"),
            "moves": moves,
            "accepted": next(
                (m for m in moves if m.to_date == day.date and m.override_reason), None
            ),
            "form": move_form,
            "flags": flags,
            "confirm_form": TrainingDayConfirmForm() if can_edit and day.is_unverified else None,
            "can_edit": can_edit,
        },
    )


@role_required(*Role.values)
def day_detail(request, pk):
    return _day_page(request, get_training_day_for(request.user, pk))


@require_POST
@role_required(Role.STAFF)
def day_move(request, pk):
    """A move the checks flag comes back on the day's page with what was flagged, for staff
    to confirm with a reason; nothing is saved until they do."""
    day = get_training_day_for(request.user, pk, edit=True)
    form = TrainingDayMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写新日期和调整原因。"))
        return redirect("curriculum-day", day.pk)
    data, old_date = form.cleaned_data, day.date
    try:
        moved = training_day_move(
            day=day,
            to_date=data["to_date"],
            by=request.user,
            reason=data["reason"],
            confirmed=form.confirmed_flags(),
            override_reason=data["override_reason"],
        )
    except MoveNeedsConfirmation as error:
        again = TrainingDayMoveForm(
            initial={**data, "confirm": False, "flags": ",".join(f.code for f in error.flags)}
        )
        return _day_page(request, day, move_form=again, flags=error.flags)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("curriculum-day", day.pk)
    messages.success(
        request,
        _("已将培训日%(moved)s，学员课表同步更新。") % {"moved": moved_to(old_date, moved.date)},
    )
    return redirect("curriculum-day", day.pk)


@require_POST
@role_required(Role.STAFF)
def day_confirm(request, pk):
    day = get_training_day_for(request.user, pk, edit=True)
    submit_and_tell(
        request,
        TrainingDayConfirmForm(request.POST),
        lambda data: training_day_confirm(day=day, by=request.user, **data),
        done=_("已人工确认该培训日的日期。"),
        invalid=_("请填写确认依据。"),
    )
    return redirect("curriculum-day", day.pk)


def _arrangement_delete(request, camp):
    form = ArrangementDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("该安排不存在，请刷新页面后重试。"))
        return redirect("curriculum-arrangements", camp.code)
    arrangement = get_calendar_arrangement_for(request.user, form.cleaned_data["delete"])
    calendar_arrangement_delete(arrangement=arrangement, by=request.user)
    messages.success(
        request,
        _("已删除%(date)s的安排。请回到教学日历点击“重新核验排期”，相关培训日将据此重新核验。")
        % {"date": f"{arrangement.date:%Y-%m-%d}"},
    )
    return redirect("curriculum-arrangements", camp.code)


@role_required(Role.STAFF)
def arrangements(request, code):
    """Staff enter the official arrangement for a year the holiday package does not know, and
    delete an entry made in error (a POST with `delete`)."""
    camp = get_camp_for(request.user, code, edit=True)
    if "delete" in request.POST:
        return _arrangement_delete(request, camp)
    form = ArrangementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar_arrangement_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已录入。重新排期后，相关培训日将据此核验。"))
            return redirect("curriculum-arrangements", camp.code)
    return render(
        request,
        "curriculum/arrangements.html",
        {
            "camp": camp,
            "form": form,
            "arrangements": CalendarArrangement.objects.select_related("entered_by"),
        },
    )


urlpatterns = [
    path("camps/<str:code>/calendar/", calendar, name="curriculum-calendar"),
    path("camps/<str:code>/calendar/plan/", plan_run, name="curriculum-plan-run"),
    path("camps/<str:code>/calendar/arrangements/", arrangements, name="curriculum-arrangements"),
    path("curriculum/days/<int:pk>/", day_detail, name="curriculum-day"),
    path("curriculum/days/<int:pk>/move/", day_move, name="curriculum-day-move"),
    path("curriculum/days/<int:pk>/confirm/", day_confirm, name="curriculum-day-confirm"),
]
