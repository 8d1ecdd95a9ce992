"""Download any registered workbook kind from the browser. The kind's roles are checked by
`build_export`; an unmasked download is logged like an unmasked command-line export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .access import get_camp_for, role_required
from .months import parse_optional_month
from .roles import Role
from .services.sensitive_access import unmasked_export_log
from .workbooks import ExportRequest, NoDataError, build_export, registry


@role_required(*Role.values)
def export_download(request, code, kind):
    """Raises PermissionDenied (403) through build_export when the role may not have it."""
    camp = get_camp_for(request.user, code)
    if kind not in registry or not registry[kind].needs_camp:
        raise Http404
    try:
        month = parse_optional_month(request.GET.get("month"))
    except ValidationError as error:
        raise Http404 from error
    group = None
    if request.GET.get("group", "").isdigit():
        group = camp.groups.filter(number=int(request.GET["group"])).first()
    trainee = None
    if request.GET.get("trainee", "").isdigit():
        trainee = camp.trainees.filter(pk=int(request.GET["trainee"])).first()
        if trainee is None:
            raise Http404
    round_id = int(request.GET["round"]) if request.GET.get("round", "").isdigit() else None
    export_request = ExportRequest(
        camp=camp,
        user=request.user,
        month=month,
        trainee=trainee,
        round_id=round_id,
        unmasked=request.GET.get("unmasked") == "1",
        group=group,
    )
    if registry[kind].needs_month and month is None:
        messages.error(request, _("请选择月份。"))
        return redirect("camp-detail", camp.code)
    try:
        workbook, filename = build_export(kind, export_request)
    except NoDataError as error:
        messages.warning(request, str(error))
        return redirect("camp-detail", camp.code)
    if export_request.unmasked:
        unmasked_export_log(user=request.user, camp=camp, kind=kind, filename=filename)
    response = HttpResponse(content_type=registry[kind].content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    workbook.save(response)
    return response
