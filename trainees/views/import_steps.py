"""The two steps of an import that may change what is already known, for every such import (the
candidate list, the after-camp record): the upload is checked; with nothing to confirm it is
written at once; otherwise the page shows the preview, the file waits by its SHA-256
(services/pending_imports.py), and only a confirmation of exactly that preview, with a reason,
writes it. Each import says how to preview, apply, draw its page and answer when done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..candidate_file import ImportRejected
from ..services.pending_imports import (
    pending_import_delete,
    pending_import_open,
    pending_import_save,
)


@dataclass(frozen=True)
class ImportSteps:
    # preview(file, file_name) -> a preview with sha256, digest, file_name and changes
    preview: Callable
    # apply(preview, reason, confirmed digest or None) -> the import's result
    apply: Callable
    # page(form=, errors=, preview=, confirm=) -> the import page
    page: Callable[..., HttpResponse]
    done: Callable[[object], HttpResponse]
    restart_url: str
    upload_form: type[forms.Form]
    confirm_form: type[forms.Form]


def import_post(request, steps: ImportSteps) -> HttpResponse:
    """A POST to an import page: the confirmation of a preview, or a new upload."""
    if "digest" in request.POST:
        return _confirm(request, steps)
    return _upload(request, steps)


def _upload(request, steps: ImportSteps) -> HttpResponse:
    form = steps.upload_form(request.POST, request.FILES)
    if not form.is_valid():
        return steps.page(form=form)
    upload = form.cleaned_data["file"]
    reason = form.cleaned_data.get("reason", "")
    try:
        preview = steps.preview(upload, upload.name)
        if not preview.changes:
            return steps.done(steps.apply(preview, reason, None))
    except ImportRejected as rejected:
        return steps.page(form=form, errors=rejected.errors)
    pending_import_save(sha256=preview.sha256, file=upload)
    confirm = steps.confirm_form(
        initial={
            "sha256": preview.sha256,
            "digest": preview.digest,
            "file_name": preview.file_name,
            "reason": reason,
        }
    )
    return steps.page(preview=preview, confirm=confirm)


def _confirm(request, steps: ImportSteps) -> HttpResponse:
    confirm = steps.confirm_form(request.POST)
    if not confirm.is_valid() and any(
        confirm.has_error(name) for name in ("sha256", "digest", "file_name")
    ):
        raise Http404  # the hidden fields were tampered with: never a path from the request
    sha256 = confirm.data["sha256"]
    pending = pending_import_open(sha256=sha256)
    if pending is None:
        messages.error(request, _("预览已失效，请重新上传名单。"))
        return redirect(steps.restart_url)
    with pending:
        try:
            # Read again, as it stands now: the confirmation must match what this shows.
            preview = steps.preview(pending, confirm.data["file_name"])
        except ImportRejected as rejected:
            return steps.page(errors=rejected.errors)
    if confirm.is_valid():
        try:
            result = steps.apply(
                preview, confirm.cleaned_data["reason"], confirm.cleaned_data["digest"]
            )
        except (ImportRejected, ValidationError) as error:
            messages_of = error.errors if isinstance(error, ImportRejected) else error.messages
            confirm.add_error(None, [str(message) for message in messages_of])
        else:
            pending_import_delete(sha256=sha256)
            return steps.done(result)
    response = steps.page(preview=preview, confirm=confirm)
    response.status_code = 400
    return response
