"""Server-side drafts of long forms: static/js/drafts.js posts the form here while its author
types, and the form's page offers the draft back (camp/_draft.html). Whose draft it is comes
from the session only; the key's kind decides whether this user may write that form at all."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .drafts import check_draft_key
from .services.drafts import draft_discard, draft_save


@require_POST
@login_required
def draft_keep(request, key):
    check_draft_key(request.user, key)
    try:
        draft = draft_save(user=request.user, key=key, data=request.POST.dict())
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    at = formats.time_format(timezone.localtime(draft.saved_at), "H:i:s")
    return JsonResponse(
        {"saved_at": draft.saved_at.isoformat(), "message": _("草稿已保存（%(at)s）") % {"at": at}}
    )


@require_POST
@login_required
def draft_throw_away(request, key):
    check_draft_key(request.user, key)
    draft_discard(user=request.user, key=key)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "home"
    return redirect(back)


urlpatterns = [
    path("drafts/<str:key>/", draft_keep, name="draft-keep"),
    path("drafts/<str:key>/discard/", draft_throw_away, name="draft-discard"),
]
