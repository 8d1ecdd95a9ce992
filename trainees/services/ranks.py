"""Ranks written as titles: the 职务层次 labels themselves, or a title in the alias table."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import User

from ..models import Rank, RankAlias


def rank_lookup() -> dict[str, str]:
    """Every title the app understands, mapped to a rank: the labels first, then the aliases
    (one query, so an import of thousands of rows asks once)."""
    table = {str(label): value for value, label in Rank.choices}
    table.update(dict(RankAlias.objects.values_list("title", "rank")))
    return table


def rank_for_title(title: str, lookup: dict[str, str] | None = None) -> str | None:
    lookup = rank_lookup() if lookup is None else lookup
    return lookup.get(title.strip())


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
