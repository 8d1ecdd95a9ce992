"""The trainee's private calendar feed token."""

from __future__ import annotations

from django.db import transaction

from curriculum.models import CalendarFeedToken
from curriculum.models.sessions import new_feed_token
from trainees.models import Trainee


@transaction.atomic
def feed_token_get_or_create(*, trainee: Trainee) -> CalendarFeedToken:
    token, _created = CalendarFeedToken.objects.get_or_create(trainee=trainee)
    return token


@transaction.atomic
def feed_token_revoke(*, trainee: Trainee) -> CalendarFeedToken:
    """Revoke the old URL (it answers 404 from now on) and issue a new one."""
    token, _created = CalendarFeedToken.objects.get_or_create(trainee=trainee)
    token.token = new_feed_token()
    token.save(update_fields=["token", "created_at"])
    return token


def feed_tokens_revoke(*, trainees) -> None:
    """End the feeds of trainees who left or whose login was disabled: no new URL is issued.
    If such a trainee comes back, opening their schedule issues a fresh one."""
    CalendarFeedToken.objects.filter(trainee__in=trainees).delete()


def feed_tokens_revoke_for_user(user) -> None:
    feed_tokens_revoke(trainees=Trainee.objects.filter(person__user=user))
