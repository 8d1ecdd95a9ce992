"""The cross-camp trainee search's selector: what matches, in which order, read how."""

import pytest

from camp.services.camps import camp_create
from trainees.models import Rank, TraineeStatus
from trainees.selectors import search_camps, trainee_search

from ..factories import PersonFactory, TraineeFactory


@pytest.fixture
def camp_2025(db):
    return camp_create(code="2025", name="2025届南太湖新锐特训营", year=2025)


def group(camp, number):
    return camp.groups.get(number=number)


def names(qs) -> list[str]:
    return [(t.person.name, t.camp.code) for t in qs]


def test_it_finds_a_name_in_every_camp_one_row_per_traineeship(cast, camp_2025):
    wang = PersonFactory(name="王强")
    TraineeFactory(camp=camp_2025, person=wang, group=group(camp_2025, 1))
    TraineeFactory(camp=cast.camp, person=wang, group=cast.group_2)
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="王芳"))

    found = names(trainee_search(terms=["王"]))

    assert sorted(found) == sorted([("王强", "2025"), ("王强", "2026"), ("王芳", "2026")])
    # By name, then by pk: the same person's editions stay side by side, older first.
    assert found.index(("王强", "2026")) == found.index(("王强", "2025")) + 1
    assert ("张三", "2026") not in found


def test_each_term_must_appear_in_the_name_the_unit_or_the_position(cast):
    TraineeFactory(
        camp=cast.camp, person=PersonFactory(name="王强", unit="吴兴区织里镇", position="镇长")
    )
    TraineeFactory(
        camp=cast.camp, person=PersonFactory(name="王芳", unit="南浔区", position="副镇长")
    )

    assert names(trainee_search(terms=["王", "吴兴"])) == [("王强", "2026")]
    assert {n for n, _ in names(trainee_search(terms=["镇长"]))} == {"王强", "王芳"}
    assert names(trainee_search(terms=["王", "吴兴", "南浔"])) == []


def test_a_phone_matches_the_whole_number_only(cast):
    assert names(trainee_search(phone="13800001111")) == [("张三", "2026")]
    assert names(trainee_search(phone="1380000")) == []
    assert names(trainee_search(phone="0001111")) == []


def test_a_phone_stored_with_separators_or_a_country_code_is_found_by_its_digits(cast):
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="赵敏", phone="0572-2345678"))
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="钱伟", phone="+86 139 0000 2222"))
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="孙丽", phone="(0572)3456789"))
    assert names(trainee_search(phone="05722345678")) == [("赵敏", "2026")]
    assert names(trainee_search(phone="13900002222")) == [("钱伟", "2026")]
    assert names(trainee_search(phone="05723456789")) == [("孙丽", "2026")]
    assert names(trainee_search(phone="2345678")) == []  # still the whole number only


def test_latin_letters_in_a_term_match_in_either_case(cast):
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="周杰", unit="市大数据局IT科"))
    assert names(trainee_search(terms=["it科"])) == [("周杰", "2026")]


def test_the_filters_narrow_by_camp_group_status_and_rank(cast, camp_2025):
    TraineeFactory(
        camp=camp_2025,
        group=group(camp_2025, 2),
        status=TraineeStatus.WITHDRAWN,
        person=PersonFactory(name="王明", rank=Rank.SECTION_CHIEF),
    )
    TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="王军"))

    assert names(trainee_search(terms=["王"], camp_code="2025")) == [("王明", "2025")]
    assert names(trainee_search(terms=["王"], group_number=1)) == [("王军", "2026")]
    assert names(trainee_search(terms=["王"], group_number=2)) == [("王明", "2025")]
    assert names(trainee_search(terms=["王"], status=TraineeStatus.WITHDRAWN)) == [("王明", "2025")]
    assert names(trainee_search(terms=["王"], rank=Rank.SECTION_CHIEF)) == [("王明", "2025")]
    # Without a term, the filters alone list a camp.
    assert len(trainee_search(camp_code="2026")) == 2 + 1


def test_it_reads_a_page_in_one_query_with_only_the_shown_columns(
    cast, camp_2025, django_assert_num_queries
):
    for index in range(5):
        TraineeFactory(camp=camp_2025, group=group(camp_2025, 1 + index % 6))

    with django_assert_num_queries(1):  # trainees joined with person, camp and group
        rows = list(trainee_search(terms=["学员"])[:20])
        shown = [
            (t.person.name, t.person.unit, t.camp.code, t.group and t.group.number, t.status)
            for t in rows
        ]

    assert len(shown) == 5
    # The personal data the page does not show is never read.
    assert "id_number" in rows[0].person.get_deferred_fields()
    assert "birth_date" in rows[0].person.get_deferred_fields()


def test_the_camp_filter_lists_every_edition_newest_first(cast, camp_2025):
    assert [c.code for c in search_camps()] == ["2026", "2025"]
