"""One person, one record: ID numbers and phones normalized (NFKC) at every entry point, stored
values normalized by a migration, and the people who already share a normalized ID number
listed and merged on confirmation."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.factories import (
    CampFactory,
    CandidateFactory,
    PersonFactory,
    TraineeFactory,
    UserFactory,
)
from trainees.models import Candidate, Person, Trainee
from trainees.selectors import persons_sharing_id_number
from trainees.services.candidates import candidate_create
from trainees.services.persons import person_merge
from trainees.validators import id_number_problem, normalize_id_number

from .candidate_files import id_number

pytestmark = pytest.mark.django_db
D = datetime.date
NUMBER = id_number(D(1990, 5, 1))


def wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_an_id_number_is_normalized_to_ascii():
    assert normalize_id_number(" " + wide(NUMBER[:-1] + "x") + " ") == NUMBER[:-1] + "X"
    assert id_number_problem(wide(NUMBER), birth_date=None, gender=None) is not None


def test_a_hand_entered_full_width_id_number_finds_the_person_already_known(cast):
    person = PersonFactory(name="陈一", birth_date=D(1990, 5, 1), id_number=NUMBER)
    camp = CampFactory(code="2027", year=2027)
    data = {
        "name": "陈一",
        "gender": person.gender,
        "birth_date": D(1990, 5, 1),
        "id_number": wide(NUMBER),
        "unit": "湖州市发改委",
        "rank": person.rank,
        "phone": "１３８００００１１１１",
    }
    candidate = candidate_create(camp=camp, data=data, by=cast.staff)
    assert candidate.person_id == person.pk
    assert Person.objects.filter(name="陈一").count() == 1
    person.refresh_from_db()
    assert person.phone == "13800001111"


def _twins():
    """The same cadre twice, as the old code let happen: once typed with full-width digits."""
    kept = PersonFactory(name="陈一", birth_date=D(1990, 5, 1), id_number=NUMBER)
    twin = PersonFactory(name="陈一", birth_date=D(1990, 5, 1))
    Person.objects.filter(pk=twin.pk).update(id_number=wide(NUMBER), phone="１３８")
    return kept, Person.objects.get(pk=twin.pk)


def test_the_migration_normalizes_stored_values_and_leaves_a_clash_to_the_command():
    migration = importlib.import_module("trainees.migrations.0003_normalize_id_numbers_and_phones")
    _kept, twin = _twins()
    lone = PersonFactory(name="林二", birth_date=D(1991, 1, 1))
    other = id_number(D(1991, 1, 1))
    Person.objects.filter(pk=lone.pk).update(id_number=wide(other), phone="１３９ ００００")
    migration.normalize(apps, None)
    lone.refresh_from_db()
    twin.refresh_from_db()
    assert (lone.id_number, lone.phone) == (other, "139 0000")
    assert twin.id_number == wide(NUMBER)  # would clash with `kept`: the command's work
    assert twin.phone == "138"


def test_the_command_lists_without_confirm_and_merges_with_it():
    kept, twin = _twins()
    camp = CampFactory(code="2026", year=2026)
    earlier = CampFactory(code="2025", year=2025)
    CandidateFactory(camp=earlier, person=kept)
    user = UserFactory(username="t001")
    Person.objects.filter(pk=twin.pk).update(user=user)
    TraineeFactory(camp=camp, person=twin)
    out = io.StringIO()
    call_command("merge_duplicate_persons", stdout=out)
    assert f"#{twin.pk}" in out.getvalue()
    assert "--confirm" in out.getvalue()
    assert Person.objects.count() == 2  # listed, not merged

    call_command("merge_duplicate_persons", "--confirm", stdout=io.StringIO())
    (person,) = Person.objects.all()
    assert person.pk == kept.pk
    assert person.id_number == NUMBER
    assert person.user == user
    assert Trainee.objects.get(camp=camp).person == person
    assert Candidate.objects.get(camp=earlier).person == person
    assert persons_sharing_id_number() == []


def test_a_merge_is_refused_when_both_were_in_the_same_camp():
    kept, twin = _twins()
    camp = CampFactory(code="2026", year=2026)
    CandidateFactory(camp=camp, person=kept)
    CandidateFactory(camp=camp, person=twin)
    with pytest.raises(ValidationError, match="2026"):
        person_merge(keep=kept, duplicate=twin)
    assert Person.objects.count() == 2
