"""Background exports (后台导出): start one, watch its progress, download the file from "my
exports". Files are served through this permission-checked view, never as public media."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from camp.access import get_camp_for, role_required
from camp.listing import listing
from camp.navigation import current_camp_for
from camp.roles import Role
from trainees.access import trainee_for_user

from ..access import get_export_job_for
from ..filters import ExportJobFilter
from ..forms_oversight import BackgroundExportForm
from ..models import ExportState
from ..oversight_selectors import my_export_jobs
from ..services.export_jobs import background_kinds_for, export_job_start

EXPORTERS = (Role.STAFF, Role.ORGDEPT, Role.COUNSELOR, Role.TRAINEE)


@role_required(*EXPORTERS)
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
            "states": ExportState,
            "my_record_url": my_record_url,
        },
    )


@require_POST
@role_required(*EXPORTERS)
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
    if job.state == ExportState.FAILED:
        messages.error(request, job.error)
    else:
        messages.success(request, _("已提交后台导出，完成后可在本页下载。"))
    return redirect("my-exports")


@role_required(*EXPORTERS)
def export_job_status(request, pk):
    """Polled by static/js/exports.js to show progress without reloading."""
    job = get_export_job_for(request.user, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "progress": job.progress,
            "error": job.error,
            "ready": job.state == ExportState.DONE and bool(job.file),
        }
    )


@role_required(*EXPORTERS)
def export_job_download(request, pk):
    job = get_export_job_for(request.user, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=job.filename)


urlpatterns = [
    path("exports/mine/", my_exports, name="my-exports"),
    path("camps/<str:code>/exports-background/", export_job_new, name="export-job-new"),
    path("exports/jobs/<int:pk>/status/", export_job_status, name="export-job-status"),
    path("exports/jobs/<int:pk>/download/", export_job_download, name="export-job-download"),
]
