"""Candidates entered by hand: the same person rules as the import, one at a time."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import Camp, User
from camp.pinyin import name_initials

from ..models import CadreType, Candidate, Person
from ..selectors import person_match
from ..validators import (
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    recruitment_year_problem,
)

PERSON_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "unit",
    "position",
    "rank",
    "rank_title",
    "cadre_type",
    "recruitment_year",
    "township_chief_experience",
    "work_field",
    "specialty",
    "phone",
)


def _clean_person_data(data: dict) -> dict:
    data = {field: data[field] for field in PERSON_FIELDS if field in data}
    data["id_number"] = normalize_id_number(data.get("id_number")) or None
    if "phone" in data:
        data["phone"] = normalize_phone(data["phone"])
    errors = {}
    if data["id_number"]:
        message = id_number_problem(
            data["id_number"], birth_date=data.get("birth_date"), gender=data.get("gender")
        )
        if message:
            errors["id_number"] = message
    if data.get("cadre_type") in (
        CadreType.SELECTED_GRADUATE,
        CadreType.RECRUITED_GRADUATE,
    ) and not data.get("recruitment_year"):
        errors["recruitment_year"] = _("选调生、选聘生须填写录用年份。")
    elif message := recruitment_year_problem(data.get("recruitment_year")):
        errors["recruitment_year"] = message
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def candidate_create(*, camp: Camp, data: dict, by: User) -> Candidate:
    """Nominate a person for `camp`, creating or updating the Person. Refuses a person who is
    already a candidate of this camp."""
    data = _clean_person_data(data)
    person = person_match(data) or Person()
    if person.pk and Candidate.objects.filter(camp=camp, person=person).exists():
        raise ValidationError(
            _("%(name)s 已在本期候选人名单中，请在名单中找到并编辑。") % {"name": person.name}
        )
    for field, value in data.items():
        setattr(person, field, value)
    person.name_initials = name_initials(person.name)
    person.full_clean(exclude=["user"])
    person._history_user = by
    person.save()
    candidate = Candidate(camp=camp, person=person)
    candidate.full_clean()
    candidate._history_user = by
    candidate.save()
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, data: dict, by: User) -> Candidate:
    """Correct a candidate's personal details (the decision is not touched here)."""
    data = _clean_person_data(data)
    person = Person.objects.select_for_update().get(pk=candidate.person_id)
    for field, value in data.items():
        setattr(person, field, value)
    person.name_initials = name_initials(person.name)
    person.full_clean(exclude=["user"])
    person._history_user = by
    person.save()
    candidate.person = person
    return candidate
