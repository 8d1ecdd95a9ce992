"""The after-camp workbook (训后跟踪导入): the template to download, and the upload in the
candidate import's two steps (trainees/views/import_steps.py): checked, then written at once,
or first shown as a preview when it would change records already there. Orgdept only."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from camp.access import allowed
from trainees.views.import_steps import ImportSteps, import_post

from ..access import can_write_after_camp, require_oversight_access
from ..after_camp_file import after_camp_template_workbook
from ..forms import AfterCampImportConfirmForm, AfterCampImportForm
from ..services.after_camp_import import after_camp_import_apply, after_camp_import_preview


def _page(request, *, form=None, errors=(), preview=None, confirm=None):
    return render(
        request,
        "oversight/after_camp_import.html",
        {
            "form": form or AfterCampImportForm(),
            "errors": errors,
            "preview": preview,
            "confirm_form": confirm,
        },
        status=400 if errors or (form is not None and form.errors) else 200,
    )


def _done(request, result):
    messages.success(
        request,
        _("导入成功：新增 %(created)d 条，修改 %(updated)d 条，%(unchanged)d 条与已有记录相同。")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("aftercamp-graduates")


@allowed(can_write_after_camp)
def after_camp_import_view(request):
    require_oversight_access(request.user, write=True)
    if request.method != "POST":
        return _page(request)
    steps = ImportSteps(
        preview=lambda file, name: after_camp_import_preview(file=file, file_name=name),
        apply=lambda preview, reason, confirmed: after_camp_import_apply(
            preview=preview, by=request.user, reason=reason, confirmed=confirmed
        ),
        page=lambda **parts: _page(request, **parts),
        done=lambda result: _done(request, result),
        restart_url=reverse("aftercamp-import"),
        upload_form=AfterCampImportForm,
        confirm_form=AfterCampImportConfirmForm,
    )
    return import_post(request, steps)


@allowed(can_write_after_camp)
def after_camp_template(request):
    workbook, filename = after_camp_template_workbook()
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    workbook.save(response)
    return response


urlpatterns = [
    path("graduates/import/", after_camp_import_view, name="aftercamp-import"),
    path("graduates/import/template/", after_camp_template, name="aftercamp-template"),
]
