"""Fast entry: pick a group, an item and a day; fill the grid on screen or as a spreadsheet."""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from camp.access import allowed, get_camp_for
from trainees.access import get_group_for

from ..access import can_record_scores
from ..entry_forms import GridStartForm, GridUploadForm
from ..grid_download import grid_title, grid_workbook
from ..grid_selectors import grid_day, grid_load
from ..models import AssessmentItem
from ..selectors import recordable_groups, recordable_items
from ..services.grid import GridError, grid_save
from ..services.grid_workbook import UploadRejected, grid_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _grid_target(request, code, group_pk, number, day):
    """The camp, group, item and day of a grid this user may fill: another group's grid is a
    404 to a counselor, an item their role does not record a 403."""
    camp = get_camp_for(request.user, code)
    group = get_group_for(request.user, group_pk)
    mine = recordable_groups(request.user, camp).filter(pk=group.pk).exists()
    if group.camp_id != camp.pk or not mine:
        raise Http404
    item = get_object_or_404(AssessmentItem, scheme__camp=camp, number=number)
    if not recordable_items(request.user, camp).filter(pk=item.pk).exists():
        raise PermissionDenied
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return camp, group, item, grid_day(item, day)


@allowed(can_record_scores)
def grid_start(request, code):
    camp = get_camp_for(request.user, code)
    form = GridStartForm(
        request.GET or None,
        groups=recordable_groups(request.user, camp),
        items=recordable_items(request.user, camp),
    )
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return redirect(
            "assessment-grid",
            camp.code,
            data["group"].pk,
            data["item"].number,
            grid_day(data["item"], data["date"]).isoformat(),
        )
    # Dates only (no sessions): the hint lists the camp's training days for per-day items.
    days = camp.training_days.order_by("date").values_list("date", flat=True)
    return render(request, "assessment/grid_start.html", {"camp": camp, "form": form, "days": days})


@allowed(can_record_scores)
def grid(request, code, group_pk, number, day):
    camp, group, item, day = _grid_target(request, code, group_pk, number, day)
    rows = grid_load(group=group, item=item, day=day)
    reason = ""
    general = []
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        values, versions = {}, {}
        for row in rows:
            pk = row.trainee.pk
            row.value = request.POST.get(f"cell-{pk}", "")
            values[pk] = row.value
            seen = request.POST.get(f"version-{pk}", "")
            versions[pk] = int(seen) if seen.isdigit() else None
        try:
            result = grid_save(
                group=group,
                item=item,
                day=day,
                values=values,
                versions=versions,
                by=request.user,
                reason=reason,
            )
        except GridError as error:
            general = error.messages
            # A second save must be deliberate: stale cells show what they hold now, and every
            # cell carries the version it now shows.
            rows = _refreshed(group, item, day, rows, error.stale)
            for row in rows:
                row.errors = error.cells.get(row.trainee.pk, [])
        else:
            messages.success(
                request,
                _("已保存：新增 %(c)d 条，修改 %(u)d 条，清除 %(d)d 条。")
                % {"c": result.created, "u": result.updated, "d": result.deleted},
            )
            return redirect(request.path)
    context = {
        "camp": camp,
        "group": group,
        "item": item,
        "day": day,
        "rows": rows,
        "reason": reason,
        "errors": general,
        "title": grid_title(group=group, item=item, day=day),
    }
    return render(request, "assessment/grid.html", context)


def _refreshed(group, item, day, typed, stale):
    typed = {row.trainee.pk: row.value for row in typed}
    rows = grid_load(group=group, item=item, day=day)
    for row in rows:
        if row.trainee.pk not in stale:
            row.value = typed.get(row.trainee.pk, row.value)
    return rows


@allowed(can_record_scores)
def grid_download(request, code, group_pk, number, day):
    _camp, group, item, day = _grid_target(request, code, group_pk, number, day)
    workbook, filename = grid_workbook(group=group, item=item, day=day)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@allowed(can_record_scores)
def grid_upload_view(request, code, group_pk, number, day):
    camp, group, item, day = _grid_target(request, code, group_pk, number, day)
    form = GridUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = grid_upload(
                group=group,
                item=item,
                day=day,
                file=form.cleaned_data["file"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except UploadRejected as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("导入成功：新增 %(c)d 条，修改 %(u)d 条，清除 %(d)d 条。")
                % {"c": result.created, "u": result.updated, "d": result.deleted},
            )
            return redirect("assessment-grid", camp.code, group.pk, item.number, day.isoformat())
    context = {"camp": camp, "group": group, "item": item, "day": day, "form": form}
    context["errors"] = errors
    return render(request, "assessment/grid_upload.html", context)


_GRID = "camps/<str:code>/assessment/grid/<int:group_pk>/<int:number>/<str:day>/"
urlpatterns = [
    path("camps/<str:code>/assessment/grid/", grid_start, name="assessment-grid-start"),
    path(_GRID, grid, name="assessment-grid"),
    path(_GRID + "download/", grid_download, name="assessment-grid-download"),
    path(_GRID + "upload/", grid_upload_view, name="assessment-grid-upload"),
]
