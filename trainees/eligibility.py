"""Who meets the camp's selection rules (选调条件), and why.

A candidate meets the rules when any of these holds:
- born on or after 1985-01-01 and at 正科级 (85后正科);
- born on or after 1990-01-01 and at 副科级 (90后副科);
- a 选调生 or 选聘生 recruited in a year inside the camp's recruitment window.

The same rule exists twice: `eligibility_of` explains it for one person, and `eligible_q` lets
the database filter and sort by it. A test keeps the two in agreement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.models import Camp

from .models import CadreType, Person, Rank

BORN_85 = datetime.date(1985, 1, 1)
BORN_90 = datetime.date(1990, 1, 1)
GRADUATE_TYPES = (CadreType.SELECTED_GRADUATE, CadreType.RECRUITED_GRADUATE)

SECTION_CHIEF_85 = "section_chief_85"
DEPUTY_SECTION_CHIEF_90 = "deputy_section_chief_90"
SELECTED_GRADUATE = "selected_graduate"
RECRUITED_GRADUATE = "recruited_graduate"

PATH_LABELS = {
    SECTION_CHIEF_85: gettext_lazy("85后正科级"),
    DEPUTY_SECTION_CHIEF_90: gettext_lazy("90后副科级"),
    SELECTED_GRADUATE: gettext_lazy("近三年选调生"),
    RECRUITED_GRADUATE: gettext_lazy("近三年选聘生"),
}


@dataclass(frozen=True)
class Eligibility:
    met: bool
    path: str | None
    explanation: str

    @property
    def verdict(self) -> str:
        return _("符合") if self.met else _("不符合")

    @property
    def path_label(self) -> str:
        return eligibility_path_label(self.path)


def eligibility_path_label(path: str | None) -> str:
    """The rule's Chinese name, or "" when no rule is met."""
    if path is None:
        return ""
    return str(PATH_LABELS[path])


def _in_window(year: int | None, camp: Camp) -> bool:
    return year is not None and camp.recruitment_window_start <= year <= camp.recruitment_window_end


def eligibility_of(person: Person, camp: Camp) -> Eligibility:
    """The verdict for one person in one camp edition, with a sentence that says why."""
    born = person.birth_date
    rank = person.rank
    rank_label = str(Rank(rank).label) if rank in Rank.values else (rank or _("职级未知"))
    birth_text = _("%(date)s出生") % {"date": born.isoformat()}

    if born >= BORN_85 and rank == Rank.SECTION_CHIEF:
        return Eligibility(
            True, SECTION_CHIEF_85, _("%(birth)s，正科级，符合85后正科级") % {"birth": birth_text}
        )
    if born >= BORN_90 and rank == Rank.DEPUTY_SECTION_CHIEF:
        return Eligibility(
            True,
            DEPUTY_SECTION_CHIEF_90,
            _("%(birth)s，副科级，符合90后副科级") % {"birth": birth_text},
        )
    graduate = _graduate_clause(person, camp)
    if person.cadre_type in GRADUATE_TYPES and _in_window(person.recruitment_year, camp):
        return Eligibility(True, person.cadre_type, graduate)

    if rank == Rank.SECTION_CHIEF:
        # Only reached when born before 1985.
        rank_clause = _("%(birth)s，正科级，不属于85后正科级") % {"birth": birth_text}
    elif rank == Rank.DEPUTY_SECTION_CHIEF:
        age_clause = _("不属于85后") if born < BORN_85 else _("属于85后但非正科级")
        rank_clause = _("%(birth)s，%(age)s；副科级，不属于90后副科") % {
            "birth": birth_text,
            "age": age_clause,
        }
    else:
        rank_clause = _("%(birth)s；%(rank)s，非正科级或副科级") % {
            "birth": birth_text,
            "rank": rank_label,
        }
    return Eligibility(False, None, f"{rank_clause}；{graduate}")


def _graduate_clause(person: Person, camp: Camp) -> str:
    if person.cadre_type not in GRADUATE_TYPES:
        return _("非选调生/选聘生")
    kind = str(CadreType(person.cadre_type).label)
    window = {"start": camp.recruitment_window_start, "end": camp.recruitment_window_end}
    if person.recruitment_year is None:
        return _("%(kind)s，未填录用年份") % {"kind": kind}
    params = {"kind": kind, "year": person.recruitment_year, **window}
    if _in_window(person.recruitment_year, camp):
        return (
            _("%(kind)s，%(year)d年录用，在%(start)d—%(end)d年录用范围内，符合近三年%(kind)s")
            % params
        )
    return _("%(kind)s，%(year)d年录用，不在%(start)d—%(end)d年录用范围内") % params


def eligible_q(camp: Camp, prefix: str = "") -> Q:
    """The same rule as `eligibility_of`, for the database. `prefix` reaches the person, e.g.
    "person__" from a Candidate."""
    p = prefix
    return (
        Q(**{f"{p}birth_date__gte": BORN_85, f"{p}rank": Rank.SECTION_CHIEF})
        | Q(**{f"{p}birth_date__gte": BORN_90, f"{p}rank": Rank.DEPUTY_SECTION_CHIEF})
        | Q(
            **{
                f"{p}cadre_type__in": GRADUATE_TYPES,
                f"{p}recruitment_year__gte": camp.recruitment_window_start,
                f"{p}recruitment_year__lte": camp.recruitment_window_end,
            }
        )
    )
