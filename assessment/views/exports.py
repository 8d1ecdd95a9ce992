"""Background exports (后台导出): start one, watch its progress, download the file from "my
exports". Files are served through this permission-checked view, never as public media."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import allowed, get_camp_for
from camp.jobs import JobState, job_status
from camp.listing import listing
from camp.navigation import current_camp_for
from camp.workbooks import may_export_anything, registry
from trainees.access import trainee_for_user

from ..access import get_export_job_for
from ..export_forms import BackgroundExportForm
from ..filters import ExportJobFilter
from ..selectors import my_export_jobs
from ..services.export_jobs import background_kinds_for, export_job_start


@allowed(may_export_anything)
def my_exports(request):
    camp = current_camp_for(request.user)
    kinds = background_kinds_for(request.user)
    my_record_url = None
    # The link shows exactly when the download works: for a trainee of this camp.
    if camp is not None and trainee_for_user(request.user, camp) is not None:
        my_record_url = reverse("export-download", args=[camp.code, "record"])
    return render(
        request,
        "assessment/my_exports.html",
        {
            "camp": camp,
            "listing": listing(request, ExportJobFilter(request.GET, my_export_jobs(request.user))),
            "form": BackgroundExportForm(kinds=kinds) if kinds and camp else None,
            "states": JobState,
            "my_record_url": my_record_url,
        },
    )


@require_POST
@allowed(may_export_anything)
def export_job_new(request, code):
    camp = get_camp_for(request.user, code)
    form = BackgroundExportForm(request.POST, kinds=background_kinds_for(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect("my-exports")
    params = {"month": form.cleaned_data["month"]} if form.cleaned_data["month"] else {}
    try:
        job = export_job_start(
            user=request.user, camp=camp, kind=form.cleaned_data["kind"], params=params
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect("my-exports")
    job.refresh_from_db()
    if job.state == JobState.FAILED:
        messages.error(request, job.error_message)
    else:
        messages.success(request, _("已提交后台导出，完成后可在本页下载。"))
    return redirect("my-exports")


@allowed(may_export_anything)
def export_job_status(request, pk):
    """Polled by static/js/exports.js to show progress without reloading."""
    job = get_export_job_for(request.user, pk)
    status = job_status(job)
    if status["stale"]:
        # Nothing will move it: say failed, so that the page stops polling.
        status.update(state=JobState.FAILED, state_label=str(JobState.FAILED.label))
    return JsonResponse(
        {
            "state": status["state"],
            "state_label": status["state_label"],
            "progress": job.progress,
            "error": status["error"],
            "ready": job.state == JobState.DONE and bool(job.file),
        }
    )


@allowed(may_export_anything)
def export_job_download(request, pk):
    job = get_export_job_for(request.user, pk)
    if job.state != JobState.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = registry.get(job.kind)  # None for the zip of records, which FileResponse names
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=kind.content_type if kind else None,
    )


urlpatterns = [
    path("exports/mine/", my_exports, name="my-exports"),
    path("camps/<str:code>/exports-background/", export_job_new, name="export-job-new"),
    path("exports/jobs/<int:pk>/status/", export_job_status, name="export-job-status"),
    path("exports/jobs/<int:pk>/download/", export_job_download, name="export-job-download"),
]
