"""Comprehensive comparison (综合比选): a round's shortlist and the department's decisions.

Not selection (选调), which is admission. Each decision carries its reason and is audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from camp.models import Camp
from trainees.models import Trainee

from ..models import ShortlistDecision, ShortlistEntry, ShortlistRound


@transaction.atomic
def shortlist_round_create(
    *, camp: Camp, by, title: str, date: datetime.date, notes: str = ""
) -> ShortlistRound:
    shortlist_round = ShortlistRound(
        camp=camp, created_by=by, title=title.strip(), date=date, notes=notes.strip()
    )
    shortlist_round.full_clean()
    shortlist_round._history_user = by
    shortlist_round.save()
    return shortlist_round


@transaction.atomic
def shortlist_add_trainees(
    *, shortlist_round: ShortlistRound, trainees: Iterable[Trainee], by
) -> list[ShortlistEntry]:
    """Put trainees on the shortlist; those already on it are left as they are."""
    trainees = list(trainees)
    foreign = [t for t in trainees if t.camp_id != shortlist_round.camp_id]
    if foreign:
        raise ValidationError(
            _("只能比选本期学员：%(names)s 不属于本期。")
            % {"names": "、".join(str(t) for t in foreign)}
        )
    present = set(shortlist_round.entries.values_list("trainee_id", flat=True))
    new = [
        ShortlistEntry(round=shortlist_round, trainee=t) for t in trainees if t.pk not in present
    ]
    return bulk_create_with_history(new, ShortlistEntry, default_user=by)


@transaction.atomic
def shortlist_decide(*, entry: ShortlistEntry, by, decision: str, reason: str) -> ShortlistEntry:
    """Record the department's decision with its reason. Changing it later keeps the old one
    in the history."""
    if decision not in ShortlistDecision.values:
        raise ValidationError({"decision": _("请选择比选意见：推荐使用、后备或本次不推荐。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明比选意见的理由。")})
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    entry.decision = decision
    entry.reason = reason.strip()
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.full_clean()
    entry._history_user = by
    entry.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return entry
