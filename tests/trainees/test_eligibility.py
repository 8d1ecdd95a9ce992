import datetime

import pytest

from tests.factories import CampFactory, CandidateFactory, PersonFactory
from trainees.eligibility import (
    DEPUTY_SECTION_CHIEF_90,
    SECTION_CHIEF_85,
    eligibility_of,
    eligibility_path_label,
)
from trainees.models import CadreType, Person, Rank
from trainees.selectors import candidates_for_camp

D = datetime.date


def person(**fields) -> Person:
    defaults = {
        "name": "测试",
        "birth_date": D(1990, 1, 1),
        "rank": Rank.STAFF_MEMBER,
        "cadre_type": CadreType.OTHER,
        "recruitment_year": None,
    }
    return Person(**{**defaults, **fields})


@pytest.fixture
def camp():
    # Not saved: eligibility needs only the recruitment window (2023-2025 for 2026).
    return CampFactory.build(year=2026)


@pytest.mark.parametrize(
    ("birth", "met"), [(D(1984, 12, 31), False), (D(1985, 1, 1), True), (D(1995, 6, 1), True)]
)
def test_a_section_chief_meets_the_rules_when_born_in_1985_or_later(camp, birth, met):
    result = eligibility_of(person(birth_date=birth, rank=Rank.SECTION_CHIEF), camp)
    assert result.met is met
    assert result.path == (SECTION_CHIEF_85 if met else None)


@pytest.mark.parametrize(
    ("birth", "met"), [(D(1989, 12, 31), False), (D(1990, 1, 1), True), (D(1998, 1, 1), True)]
)
def test_a_deputy_section_chief_meets_the_rules_when_born_in_1990_or_later(camp, birth, met):
    result = eligibility_of(person(birth_date=birth, rank=Rank.DEPUTY_SECTION_CHIEF), camp)
    assert result.met is met
    assert result.path == (DEPUTY_SECTION_CHIEF_90 if met else None)


@pytest.mark.parametrize(
    "rank",
    [
        Rank.BUREAU_CHIEF,
        Rank.DEPUTY_BUREAU_CHIEF,
        Rank.DIVISION_CHIEF,
        Rank.DEPUTY_DIVISION_CHIEF,
        Rank.STAFF_MEMBER,
    ],
)
def test_other_ranks_meet_no_rank_rule_even_when_young(camp, rank):
    result = eligibility_of(person(birth_date=D(1995, 1, 1), rank=rank), camp)
    assert not result.met
    assert "非正科级或副科级" in result.explanation


@pytest.mark.parametrize(
    ("year", "met"), [(2022, False), (2023, True), (2024, True), (2025, True), (2026, False)]
)
@pytest.mark.parametrize("cadre_type", [CadreType.SELECTED_GRADUATE, CadreType.RECRUITED_GRADUATE])
def test_graduates_meet_the_rules_inside_the_window_both_ends_included(camp, cadre_type, year, met):
    result = eligibility_of(
        person(birth_date=D(1980, 1, 1), cadre_type=cadre_type, recruitment_year=year), camp
    )
    assert result.met is met
    assert result.path == (cadre_type if met else None)


def test_a_graduate_type_other_never_meets_the_window_rule(camp):
    result = eligibility_of(person(cadre_type=CadreType.OTHER, recruitment_year=2024), camp)
    assert not result.met


def test_the_window_follows_the_camp_not_the_calendar():
    later = CampFactory.build(year=2027)  # window 2024-2026
    graduate = person(cadre_type=CadreType.SELECTED_GRADUATE, recruitment_year=2026)
    assert eligibility_of(graduate, later).met


def test_it_explains_why_nobody_rule_is_met_as_the_issue_words_it(camp):
    result = eligibility_of(person(birth_date=D(1984, 6, 1), rank=Rank.DEPUTY_SECTION_CHIEF), camp)
    assert (
        result.explanation == "1984-06-01出生，不属于85后；副科级，不属于90后副科；非选调生/选聘生"
    )
    assert result.verdict == "不符合"


def test_it_explains_which_rule_is_met(camp):
    result = eligibility_of(person(birth_date=D(1988, 3, 2), rank=Rank.SECTION_CHIEF), camp)
    assert result.explanation == "1988-03-02出生，正科级，符合85后正科级"
    assert result.verdict == "符合"
    assert result.path_label == "85后正科级"


def test_it_explains_a_graduate_outside_the_window(camp):
    result = eligibility_of(
        person(cadre_type=CadreType.SELECTED_GRADUATE, recruitment_year=2020), camp
    )
    assert "选调生，2020年录用，不在2023—2025年录用范围内" in result.explanation


def test_path_labels_are_chinese():
    assert eligibility_path_label(None) == ""
    assert eligibility_path_label("deputy_section_chief_90") == "90后副科级"
    assert eligibility_path_label("recruited_graduate") == "近三年选聘生"


CASES = [
    {"birth_date": D(1984, 12, 31), "rank": Rank.SECTION_CHIEF},
    {"birth_date": D(1985, 1, 1), "rank": Rank.SECTION_CHIEF},
    {"birth_date": D(1989, 12, 31), "rank": Rank.DEPUTY_SECTION_CHIEF},
    {"birth_date": D(1990, 1, 1), "rank": Rank.DEPUTY_SECTION_CHIEF},
    {"birth_date": D(1995, 1, 1), "rank": Rank.STAFF_MEMBER},
    {"cadre_type": CadreType.SELECTED_GRADUATE, "recruitment_year": 2022},
    {"cadre_type": CadreType.SELECTED_GRADUATE, "recruitment_year": 2023},
    {"cadre_type": CadreType.RECRUITED_GRADUATE, "recruitment_year": 2025},
    {"cadre_type": CadreType.RECRUITED_GRADUATE, "recruitment_year": 2026},
    {"cadre_type": CadreType.OTHER, "recruitment_year": 2024},
]


@pytest.mark.django_db
def test_the_database_filter_agrees_with_the_explained_verdict():
    camp = CampFactory()
    for index, fields in enumerate(CASES):
        CandidateFactory(
            camp=camp,
            person=PersonFactory(
                name=f"人{index}",
                **{"birth_date": D(1980, 1, 1), "rank": Rank.STAFF_MEMBER, **fields},
            ),
        )
    for candidate in candidates_for_camp(camp):
        assert candidate.eligible == eligibility_of(candidate.person, camp).met, candidate.person
    assert candidates_for_camp(camp, verdict="met").count() == 4
    assert candidates_for_camp(camp, verdict="unmet").count() == 6
