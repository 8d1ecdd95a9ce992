"""Which forms keep a server-side draft, and who may keep one.

A draft's key is "<kind>.<what>". Each kind is registered by the app that owns the form (from
its AppConfig.ready(), so camp imports nothing above it) with a check that raises Http404 or
PermissionDenied unless the user may write that form. A draft is personal all the same: every
read and write of one is filtered by its author."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import Http404

# kind → check(user, what); the check raises unless the user may write that form.
DRAFT_KINDS: dict[str, Callable] = {}
KEY_PATTERN = re.compile(r"^([a-z]+)\.([A-Za-z0-9._-]{1,100})$")


def register_draft_kind(kind: str, *, check: Callable) -> None:
    DRAFT_KINDS[kind] = check


def draft_key(kind: str, *parts) -> str:
    return ".".join([kind, *(str(p) for p in parts)])


def check_draft_key(user, key: str) -> None:
    """A key of a registered kind whose form this user may write; 404 otherwise."""
    match = KEY_PATTERN.match(key)
    if not match or match.group(1) not in DRAFT_KINDS or not user.is_authenticated:
        raise Http404
    DRAFT_KINDS[match.group(1)](user, match.group(2))


def draft_offer(request, key: str, initial: dict | None, *, saved_at=None) -> tuple:
    """For a form's page: the author's draft of it (offered with its time) and the form's
    initial data, which is the draft's once the author asked to restore it (?draft=restore).
    A posted form is the author's own latest text, so no draft is offered over it; nor is a
    draft no newer than the record's last save (`saved_at`), such as one whose request was
    still on its way when the form was saved."""
    from .selectors import draft_of

    if request.method == "POST":
        return None, initial
    draft = draft_of(user=request.user, key=key)
    if draft is not None and saved_at is not None and draft.saved_at <= saved_at:
        draft = None
    if draft is not None and request.GET.get("draft") == "restore":
        return draft, {**(initial or {}), **draft.data}
    return draft, initial
