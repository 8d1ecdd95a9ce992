"""Browsing the audit trail: staff only, since staff read everything that is audited."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import history
from .access import role_required
from .listing import listing
from .pinyin import name_q
from .roles import Role


@role_required(Role.STAFF)
def history_index(request):
    query = request.GET.get("q", "").strip()[:50]
    found = None
    if query:
        found = listing(
            request,
            history.trainee_model()
            .objects.filter(name_q(query, name="person__name", initials="person__name_initials"))
            .select_related("person", "camp", "group")
            .order_by("-camp__year", "person__name", "pk"),
        )
    return render(
        request,
        "camp/history_index.html",
        {
            "query": query,
            "listing": found,
            "trainees": found.rows if found else [],
            "entries": history.recent_changes(),
        },
    )


@role_required(Role.STAFF)
def trainee_history(request, pk):
    trainee = get_object_or_404(
        history.trainee_model().objects.select_related("person", "camp", "group"), pk=pk
    )
    return render(
        request,
        "camp/history_trainee.html",
        {
            "trainee": trainee,
            "listing": (page := listing(request, history.trainee_history(trainee))),
            "entries": page.rows,
            "moves": history.group_moves_of(trainee),
        },
    )


@role_required(Role.STAFF)
def object_history(request, label, pk):
    model = history.audited_model(label)
    if model is None:
        raise Http404(_("没有这类记录的变更历史。"))
    entries = history.object_history(model, pk)
    if not entries:
        raise Http404(_("没有这条记录的变更历史。"))
    return render(
        request,
        "camp/history_object.html",
        {
            "model_name": model._meta.verbose_name,
            "current": model._default_manager.select_related().filter(pk=pk).first(),
            "object_id": pk,
            "entries": entries,
        },
    )
