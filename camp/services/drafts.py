"""Drafts of long forms (camp.models.Draft): kept, replaced and discarded by their author."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Draft, User

# A weekly review of a large group is about 30 fields of up to 5,000 characters; anything far
# beyond that is not a form of ours.
MAX_FIELDS = 200
MAX_CHARS = 200_000
# Never kept: the token is per session, and a draft is only ever text the user typed.
SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken"})


def _clean_data(data) -> dict[str, str]:
    fields = {}
    for name, value in data.items():
        if name in SKIPPED_FIELDS:
            continue
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValidationError(_("草稿只能保存文字内容。"))
        fields[name[:100]] = value
    if len(fields) > MAX_FIELDS or sum(len(v) for v in fields.values()) > MAX_CHARS:
        raise ValidationError(_("草稿内容过长，未能保存；请先正式保存表单。"))
    return fields


@transaction.atomic
def draft_save(*, user: User, key: str, data) -> Draft:
    """Keep what the user has typed so far, replacing their earlier draft of the same form.
    The caller has checked the key (camp.drafts.check_draft_key)."""
    fields = _clean_data(data)
    draft = Draft.objects.select_for_update().filter(user=user, key=key).first()
    if draft is None:
        draft = Draft(user=user, key=key)
    draft.data = fields
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def draft_discard(*, user: User, key: str) -> None:
    """The form was saved, or its author threw the draft away."""
    Draft.objects.filter(user=user, key=key).delete()


# A draft left this long was abandoned: the weekly review it belonged to is long past, and it
# should not sit on the server with someone's personal remarks.
DRAFT_KEEP_DAYS = 30


@transaction.atomic
def drafts_expire(*, now=None) -> int:
    """Delete drafts untouched for DRAFT_KEEP_DAYS (daily, from beat); returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=DRAFT_KEEP_DAYS)
    deleted, _by_model = Draft.objects.filter(saved_at__lt=cutoff).delete()
    return deleted
