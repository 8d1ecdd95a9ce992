"""Pinyin initials: stored for every reading, and found by a fragment or by initials."""

import datetime

import pytest

from camp.pinyin import COMBINATIONS_MAX, name_initials
from trainees.models import Candidate, Person
from trainees.selectors import candidates_for_camp, trainee_search
from trainees.services.candidates import candidate_create, candidate_update

from ..factories import PersonFactory, TraineeFactory


def test_it_gives_the_initials_of_a_plain_name():
    assert name_initials("张华生") == "zhs"


def test_it_keeps_every_reading_of_a_heteronym():
    # 单 reads dān, chán and shàn (the surname): a user may type any of them.
    assert set(name_initials("单田芳").split()) == {"dtf", "ctf", "stf"}


def test_it_keeps_every_combination_of_several_heteronyms():
    combos = set(name_initials("曾乐乐").split())
    assert {"zll", "cyy", "zyl", "cly"} <= combos


def test_it_bounds_the_combinations_of_a_name_of_many_heteronyms():
    assert len(name_initials("单曾乐朝单曾乐朝").split()) == COMBINATIONS_MAX


def test_it_keeps_latin_letters_and_digits_and_drops_spaces():
    assert name_initials("Anna 李") == "annal"
    assert name_initials("学员001") == "xy001"
    assert name_initials("  ") == ""


PROFILE = {
    "name": "单田芳",
    "gender": "male",
    "birth_date": datetime.date(1990, 5, 1),
    "unit": "湖州市曲艺团",
    "rank": "deputy_section_chief",
}


def _profile(**changes):
    return {**PROFILE, **changes}


def test_the_service_that_writes_a_name_stores_its_initials(cast):
    staff, camp = cast.staff, cast.camp
    candidate = candidate_create(camp=camp, data=_profile(), by=staff)
    assert set(Person.objects.get(pk=candidate.person_id).name_initials.split()) == {
        "dtf",
        "ctf",
        "stf",
    }
    candidate_update(candidate=candidate, data=_profile(name="张华生"), by=staff)
    assert Person.objects.get(pk=candidate.person_id).name_initials == "zhs"


@pytest.mark.parametrize("typed", ["张华生", "华生", "zhs", "ZHS", "hs"])
def test_the_candidate_list_finds_a_name_in_full_by_fragment_or_by_initials(cast, typed):
    person = PersonFactory(name="张华生")
    Candidate.objects.create(camp=cast.camp, person=person)
    PersonFactory(name="李四")
    found = candidates_for_camp(cast.camp, search=typed)
    assert [c.person.name for c in found] == ["张华生"]


def test_a_heteronym_is_found_by_any_of_its_readings(cast):
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="单田芳"))
    for typed in ("dtf", "stf"):
        assert [t.person.name for t in trainee_search(terms=[typed])] == ["单田芳"]
    assert list(trainee_search(terms=["xtf"])) == []


def test_the_migration_fills_the_initials_of_people_written_before(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trainees.migrations.0006_person_name_initials")
    person = PersonFactory(name="张华生")
    Person.objects.filter(pk=person.pk).update(name_initials="")
    migration.backfill(apps, None)
    assert Person.objects.get(pk=person.pk).name_initials == "zhs"
