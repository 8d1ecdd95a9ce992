"""The assessment's long free-text forms that keep a server-side draft (camp.drafts): the
weekly review (a remark per member), a leader's comment and a trainee's submission. Each check
asks the same access helper as the form's own page, so a draft is only ever kept of a form its
author may write."""

import datetime

from django.http import Http404

from camp.access import get_camp_for
from camp.drafts import register_draft_kind
from trainees.access import trainee_for_user

from .access import get_review_group_for, require_comment_writer


def _review(user, what: str) -> None:
    """ "<group pk>.<week's Monday>"."""
    group_pk, _, week = what.partition(".")
    try:
        datetime.date.fromisoformat(week)
        group = int(group_pk)
    except ValueError:
        raise Http404 from None
    get_review_group_for(user, group, write=True)


def _comment(user, what: str) -> None:
    """ "<camp code>": a new comment on that camp."""
    get_camp_for(user, what)
    require_comment_writer(user)


def _submission(user, what: str) -> None:
    """ "<camp code>": the trainee's own new submission in that camp."""
    camp = get_camp_for(user, what)
    if trainee_for_user(user, camp) is None:
        raise Http404


def register() -> None:
    register_draft_kind("review", check=_review)
    register_draft_kind("comment", check=_comment)
    register_draft_kind("submission", check=_submission)
