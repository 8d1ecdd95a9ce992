"""Ranks written as titles: the 职务层次 labels themselves, or a title in the alias table. The
alias table's writes; the lookup (`rank_lookup`, `rank_for_title`) is trainees/selectors.py's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import User

from ..models import Rank, RankAlias


@transaction.atomic
def rank_alias_create(*, title: str, rank: str, by: User) -> RankAlias:
    title = title.strip()
    if title in {str(label) for label in Rank.labels}:
        raise ValidationError(_("“%(title)s”本身就是职务层次，无需对照。") % {"title": title})
    alias = RankAlias(title=title, rank=rank)
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def rank_alias_delete(*, alias: RankAlias, by: User) -> None:
    alias.delete()
