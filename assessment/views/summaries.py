"""Monthly summaries (每月小结): the months, starting or rerunning the job, its live state, and
the published figures with the staff's written text.

Starting never answers 500: a broker outage is recorded on the run ("任务服务不可用") by the
service, and the page shows it with a button to try again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for
from camp.jobs import JobState
from camp.months import camp_months, parse_month

from ..access import (
    can_read_summaries,
    can_run_summaries,
    get_monthly_class_text_for,
    get_summary_run_for,
    require_summary_access,
)
from ..activity_forms import MonthForm, MonthlyClassTextForm
from ..models import ClassMonthlySummary, SummaryRun
from ..score_selectors import month_summary
from ..selectors import latest_runs, run_status
from ..services.summaries import monthly_class_text_save, summary_run_start


@allowed(can_read_summaries)
def summary_index(request, code):
    camp = get_camp_for(request.user, code)
    require_summary_access(request.user)
    runs = list(latest_runs(camp)[:200])
    last_run = {}
    for run in runs:
        last_run.setdefault(run.month, run)
    published = set(ClassMonthlySummary.objects.filter(camp=camp).values_list("month", flat=True))
    months = [
        {
            "month": m,
            "run": last_run.get(m),
            "stale": m in last_run and last_run[m].is_stale(),
            "published": m in published,
        }
        for m in reversed(camp_months(camp))
    ]
    context = {
        "camp": camp,
        "months": months,
        "can_run": can_run_summaries(request.user),
        "form": MonthForm(),
    }
    return render(request, "assessment/summary_index.html", context)


@require_POST
@allowed(can_run_summaries)
def summary_start(request, code):
    camp = get_camp_for(request.user, code)
    require_summary_access(request.user, run=True)
    form = MonthForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择月份。"))
        month = parse_month(form.cleaned_data["month"])
        run = summary_run_start(camp=camp, month=month, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment-summaries", camp.code)
    return redirect("assessment-summary-run", run.pk)


@allowed(can_run_summaries)
def summary_run(request, pk):
    run = get_summary_run_for(request.user, pk)
    status = run_status(run)
    failed = run.state == JobState.FAILED or status["stale"]
    return render(
        request, "assessment/summary_run.html", {"run": run, "status": status, "failed": failed}
    )


@allowed(can_run_summaries)
def summary_run_json(request, pk):
    run = get_summary_run_for(request.user, pk)
    return JsonResponse(run_status(run))


@allowed(can_read_summaries)
def summary_month(request, code, month):
    camp = get_camp_for(request.user, code)
    require_summary_access(request.user)
    try:
        month = parse_month(month)
    except ValidationError:
        raise Http404 from None
    can_edit = can_run_summaries(request.user)
    text = get_monthly_class_text_for(request.user, camp, month)
    form = None
    if can_edit:
        form = MonthlyClassTextForm(
            request.POST or None, initial={"text": text.text if text else ""}
        )
        if request.method == "POST" and form.is_valid():
            get_monthly_class_text_for(request.user, camp, month, edit=True)
            try:
                monthly_class_text_save(
                    camp=camp, month=month, text=form.cleaned_data["text"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("月度小结正文已保存。"))
                return redirect("assessment-summary-month", camp.code, f"{month:%Y-%m}")
    context = {
        "camp": camp,
        "month": month,
        "summary": month_summary(camp, month),
        "text": text,
        "form": form,
        "last_run": SummaryRun.objects.filter(camp=camp, month=month).order_by("-pk").first(),
    }
    return render(request, "assessment/summary_month.html", context)


urlpatterns = [
    path("camps/<str:code>/summaries/", summary_index, name="assessment-summaries"),
    path("camps/<str:code>/summaries/start/", summary_start, name="assessment-summary-start"),
    path(
        "camps/<str:code>/summaries/<str:month>/",
        summary_month,
        name="assessment-summary-month",
    ),
    path("summaries/runs/<int:pk>/", summary_run, name="assessment-summary-run"),
    path("summaries/runs/<int:pk>/status/", summary_run_json, name="assessment-summary-run-status"),
]
