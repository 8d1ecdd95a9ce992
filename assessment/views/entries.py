"""One trainee's score entries: the list, recording one, editing, deleting, and the history.

Who sees and changes what is `assessment.access`'s: these views only ask it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from camp.access import allowed, role_required
from camp.listing import listing
from camp.roles import Role

from ..access import (
    AUTOMATIC_SOURCES,
    can_edit_every_entry,
    can_record_scores,
    get_score_entry_for,
    get_trainee_entries_for,
)
from ..entry_forms import DeleteForm, EntryForm
from ..entry_messages import StaleEntryError
from ..filters import ScoreEntryFilter
from ..selectors import recordable_item_ids, recordable_items, trainee_entries
from ..services.entries import score_entry_create, score_entry_delete, score_entry_update


@role_required(*Role.values)
def entry_list(request, pk):
    trainee = get_trainee_entries_for(request.user, pk)
    page = listing(
        request, ScoreEntryFilter(request.GET, trainee_entries(trainee), camp=trainee.camp)
    )
    entries = list(page.rows)
    item_ids = recordable_item_ids(request.user, trainee)
    is_staff = can_edit_every_entry(request.user)
    editable = {
        entry.pk
        for entry in entries
        if entry.source not in AUTOMATIC_SOURCES and (is_staff or entry.item_id in item_ids)
    }
    context = {
        "trainee": trainee,
        "entries": entries,
        "listing": page,
        "editable": editable,
        "can_record": bool(item_ids),
    }
    return render(request, "assessment/entry_list.html", context)


@allowed(can_record_scores)
def entry_new(request, pk):
    trainee = get_trainee_entries_for(request.user, pk)
    item_ids = recordable_item_ids(request.user, trainee)
    if not item_ids:
        raise PermissionDenied
    items = recordable_items(request.user, trainee.camp).filter(pk__in=item_ids)
    form = EntryForm(request.POST or None, items=items)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            score_entry_create(
                trainee=trainee,
                item=data["item"],
                points=data["points"],
                date=data["date"],
                by=request.user,
                reason=data["reason"],
                seen_version=data["version"] or 0,
            )
        except StaleEntryError as error:
            current = _seen_now(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已记录。"))
            return redirect("assessment-entries", trainee.pk)
    context = {"trainee": trainee, "form": form, "entry": None, "current": current}
    return render(request, "assessment/entry_form.html", context)


def _seen_now(form, error: StaleEntryError):
    """The refusal on the form, which now carries what the cell holds: a second save is then a
    deliberate edit of it."""
    form.add_error(None, error)
    form.data = form.data.copy()
    form.data["version"] = error.current.version if error.current is not None else 0
    return error.current


@allowed(can_record_scores)
def entry_edit(request, pk):
    entry = get_score_entry_for(request.user, pk, edit=True)
    initial = {
        "item": entry.item_id,
        "points": entry.points,
        "date": entry.date,
        "reason": entry.reason,
        "version": entry.version,
    }
    form = EntryForm(request.POST or None, initial=initial, fixed_item=entry.item)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            score_entry_update(
                entry=entry,
                points=data["points"],
                date=data["date"],
                by=request.user,
                reason=data["reason"],
                version=data["version"] if data["version"] is not None else -1,
            )
        except StaleEntryError as error:
            current = _seen_now(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已修改。"))
            return redirect("assessment-entries", entry.trainee_id)
    context = {"trainee": entry.trainee, "form": form, "entry": entry, "current": current}
    return render(request, "assessment/entry_form.html", context)


@allowed(can_record_scores)
def entry_delete(request, pk):
    entry = get_score_entry_for(request.user, pk, edit=True)
    form = DeleteForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            score_entry_delete(
                entry=entry,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已删除，删除记录保留在修改历史中。"))
            return redirect("assessment-entries", entry.trainee_id)
    return render(request, "assessment/entry_delete.html", {"entry": entry, "form": form})


@role_required(*Role.values)
def entry_history(request, pk):
    entry = get_score_entry_for(request.user, pk)
    records = entry.history.select_related("history_user").order_by("-history_date", "-pk")
    return render(request, "assessment/entry_history.html", {"entry": entry, "records": records})


urlpatterns = [
    path("assessment/trainees/<int:pk>/entries/", entry_list, name="assessment-entries"),
    path("assessment/trainees/<int:pk>/entries/new/", entry_new, name="assessment-entry-new"),
    path("assessment/entries/<int:pk>/edit/", entry_edit, name="assessment-entry-edit"),
    path("assessment/entries/<int:pk>/delete/", entry_delete, name="assessment-entry-delete"),
    path("assessment/entries/<int:pk>/history/", entry_history, name="assessment-entry-history"),
]
