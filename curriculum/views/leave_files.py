"""A leave's attachment, served only to those who may read the leave (never a media URL)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import path

from ..access import get_leave_for
from ..services.leave_attachment import attachment_content_type


@login_required
def leave_attachment(request, pk):
    leave = get_leave_for(request.user, pk)
    if not leave.attachment:
        raise Http404
    name = leave.attachment_name or "attachment"
    return FileResponse(
        leave.attachment.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=attachment_content_type(name),
    )


urlpatterns = [
    path(
        "curriculum/leave/<int:pk>/attachment/",
        leave_attachment,
        name="curriculum-leave-attachment",
    ),
]
