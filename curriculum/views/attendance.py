"""Attendance and leave: the fast staff sheet, rates and warnings, the leave workflow."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for, role_required
from camp.listing import filtered, listing
from camp.months import camp_months, month_end
from camp.roles import Role
from trainees.access import trainee_for_user
from trainees.selectors import camp_groups

from ..access import (
    can_approve_leave_steps,
    can_edit_curriculum,
    can_read_attendance,
    get_leave_for,
    get_session_for,
    require_attendance_access,
    sees_whole_camp_attendance,
    visible_attendance,
    visible_attendance_trainees,
)
from ..filters import AttendanceRowFilter, LeaveFilter, RollSheetFilter
from ..forms import AttendanceSheetForm, LeaveDecisionForm, LeaveRequestForm, StaffLeaveForm
from ..models import Attendance, LeaveStatus
from ..rate_selectors import (
    attendance_by_day,
    attendance_by_group,
    attendance_by_trainee,
    attendance_overall,
    members_only,
    required_attendance,
)
from ..roll_call_selectors import roll_call_closed
from ..selectors import (
    leave_over_limit,
    leave_requests,
    session_trainees,
    unexcused_absences,
)
from ..services.attendance import attendance_record
from ..services.leave import leave_cancel, leave_close, leave_request
from ..services.leave_approval import leave_step_decide
from .feedback import run_and_tell, submit_and_tell


@allowed(can_read_attendance)
def session_attendance(request, pk):
    """A whole group, or the whole class, in one form and one POST. Staff write; the group's
    counselor and orgdept read."""
    require_attendance_access(request.user, sheet=True)
    session = get_session_for(request.user, pk)
    can_edit = can_edit_curriculum(request.user)
    trainees = session_trainees(session, visible_attendance_trainees(request.user, session.camp))
    group = request.GET.get("group", "")
    groups = list(camp_groups(session.camp))
    # Printed whole: the filters narrow the sheet (name, the group on the day, the mark).
    filters = RollSheetFilter(request.GET, trainees, session=session, groups=groups)
    trainees = filtered(filters)
    current = dict(
        Attendance.objects.filter(session=session, trainee__in=trainees).values_list(
            "trainee_id", "status"
        )
    )
    form = AttendanceSheetForm(request.POST or None, trainees=trainees, current=current)
    if request.method == "POST":
        require_attendance_access(request.user, edit=True, sheet=True)
        if form.is_valid():
            try:
                created, updated = attendance_record(
                    session=session,
                    marks=form.marks(),
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("已保存考勤：新增%(c)d条，修改%(u)d条。") % {"c": created, "u": updated},
                )
                return redirect(request.get_full_path())
    return render(
        request,
        "curriculum/session_attendance.html",
        {
            "camp": session.camp,
            "session": session,
            "form": form,
            "can_edit": can_edit,
            "group": group,
            "groups": groups,
            "filters": filters,
            "roll_call": roll_call_closed(session),
        },
    )


def _chosen_month(request, camp):
    """The month asked for (`?month=2026-11`) among the camp's months so far, or None for the
    year so far (累计). A month we do not know falls back to 累计, never an error page."""
    value = request.GET.get("month", "")
    for month in camp_months(camp, up_to=timezone.localdate()):
        if f"{month:%Y-%m}" == value:
            return month
    return None


@allowed(can_read_attendance)
def attendance_overview(request, code):
    """Rates per trainee, group and day, and the warnings: unexcused absences and leave past
    1/7 of the year. Trainees see their own line. The rates are of the year so far (累计) or,
    with `?month=`, of that month alone; group and class rates count the trainees who belonged
    on the period's last day."""
    require_attendance_access(request.user)
    camp = get_camp_for(request.user, code)
    attendance = visible_attendance(request.user, camp)
    trainees = visible_attendance_trainees(request.user, camp)
    month = _chosen_month(request, camp)
    if month is None:
        last = timezone.localdate()
        period = required_attendance(attendance, end=last)
    else:
        last = month_end(month)
        period = required_attendance(attendance, start=month, end=last)
    members = members_only(period, last)
    rows = AttendanceRowFilter(request.GET, period, camp=camp)
    return render(
        request,
        "curriculum/attendance_overview.html",
        {
            "camp": camp,
            "month": month,
            "months": camp_months(camp, up_to=timezone.localdate()),
            "filters": rows,
            # The filters narrow the per-trainee lines only: the group and class rates stay.
            "by_trainee": attendance_by_trainee(filtered(rows)),
            "by_group": attendance_by_group(members, last),
            # A counselor's or a trainee's records are not the class: no 全班 line for them.
            "overall": (
                attendance_overall(members) if sees_whole_camp_attendance(request.user) else None
            ),
            "by_day": attendance_by_day(period),
            "absences": unexcused_absences(attendance)[:200],
            "over_limit": leave_over_limit(camp, trainees),
        },
    )


@allowed(can_read_attendance)
def leave_list(request, code):
    require_attendance_access(request.user)
    camp = get_camp_for(request.user, code)
    trainees = visible_attendance_trainees(request.user, camp)
    trainee = trainee_for_user(request.user, camp)
    can_decide = can_edit_curriculum(request.user)
    data = request.POST if request.method == "POST" else None
    if trainee is not None:
        # Days just past stay offered while their closing deadline runs (a late request).
        earliest = timezone.localdate() - datetime.timedelta(days=camp.leave_close_days)
        days = camp.training_days.filter(date__gte=earliest).order_by("date")
        form = LeaveRequestForm(data, request.FILES or None, days=days)
        fixed = {"trainee": trainee}
    elif can_decide:
        form = StaffLeaveForm(
            data,
            request.FILES or None,
            days=camp.training_days.order_by("date"),
            trainees=camp.trainees.active()
            .select_related("person", "group")
            .order_by("group__number", "person__name"),
        )
        fixed = {}
    elif request.method == "POST":
        raise PermissionDenied  # counselors and orgdept read the requests; they enter none
    else:
        form = None
    if form is not None and form.is_valid():
        try:
            leave = leave_request(by=request.user, **fixed, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if leave.status == LeaveStatus.APPROVED:
                messages.success(request, _("已登记并批准请假，相关课程已记为请假。"))
            else:
                messages.success(request, _("已提交请假申请，等待审批。"))
            return redirect("curriculum-leave", camp.code)
    leaves = leave_requests(trainees).order_by("status", "-requested_at")
    return render(
        request,
        "curriculum/leave_list.html",
        {
            "camp": camp,
            "form": form,
            "pending": leaves.filter(status=LeaveStatus.PENDING),
            "listing": listing(
                request,
                LeaveFilter(request.GET, leaves.exclude(status=LeaveStatus.PENDING), camp=camp),
            ),
            "can_decide": can_decide,
            "decision_form": LeaveDecisionForm(),
            "can_approve": can_approve_leave_steps(request.user),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.STAFF, Role.COUNSELOR, Role.ORGDEPT)
def leave_decide_view(request, pk):
    leave = get_leave_for(request.user, pk, decide=True)
    submit_and_tell(
        request,
        LeaveDecisionForm(request.POST),
        lambda data: leave_step_decide(
            leave=leave, approve=data["approve"] == "1", by=request.user, comment=data["note"]
        ),
        done=_("已处理请假申请。"),
        invalid=_("请选择批准或不批准，审批意见不超过300字。"),
    )
    return redirect("curriculum-leave", leave.trainee.camp.code)


@require_POST
@role_required(Role.TRAINEE)
def leave_close_view(request, pk):
    leave = get_leave_for(request.user, pk, own=True)
    run_and_tell(request, lambda: leave_close(leave=leave, by=request.user), done=_("已销假。"))
    return redirect("curriculum-leave", leave.trainee.camp.code)


@require_POST
@role_required(Role.TRAINEE)
def leave_cancel_view(request, pk):
    leave = get_leave_for(request.user, pk, own=True)
    run_and_tell(
        request,
        lambda: leave_cancel(leave=leave, by=request.user),
        done=_("已撤回请假申请。"),
    )
    return redirect("curriculum-leave", leave.trainee.camp.code)


urlpatterns = [
    path(
        "curriculum/sessions/<int:pk>/attendance/",
        session_attendance,
        name="curriculum-session-attendance",
    ),
    path("camps/<str:code>/attendance/", attendance_overview, name="curriculum-attendance"),
    path("camps/<str:code>/leave/", leave_list, name="curriculum-leave"),
    path("curriculum/leave/<int:pk>/decide/", leave_decide_view, name="curriculum-leave-decide"),
    path("curriculum/leave/<int:pk>/close/", leave_close_view, name="curriculum-leave-close"),
    path("curriculum/leave/<int:pk>/cancel/", leave_cancel_view, name="curriculum-leave-cancel"),
]
