"""The trainees app's access helpers: the counselor's group in a camp, said once."""

from camp.services.camps import camp_create
from tests.factories import CounselorFactory, UserFactory, assign_counselor
from trainees.access import counseled_group_in, counseled_groups_in


def test_a_counselor_counsels_their_own_group_in_the_camp(cast):
    assert list(counseled_groups_in(cast.counselor_1, cast.camp)) == [cast.group_1]
    assert counseled_group_in(cast.counselor_2, cast.camp) == cast.group_2


def test_a_counselors_group_of_another_edition_is_not_theirs_in_this_one(cast):
    later = camp_create(code="2027", name="2027届", year=2027)
    assert counseled_group_in(cast.counselor_1, later) is None
    assign_counselor(later.groups.order_by("number").first(), cast.counselor_of_group_1)
    assert counseled_group_in(cast.counselor_1, later).camp == later
    assert counseled_group_in(cast.counselor_1, cast.camp) == cast.group_1


def test_nobody_but_an_active_counselor_counsels_a_group(cast):
    for user in (cast.staff, cast.orgdept, cast.leader, cast.trainee_1):
        assert counseled_group_in(user, cast.camp) is None
    cast.counselor_1.is_active = False
    assert counseled_group_in(cast.counselor_1, cast.camp) is None


def test_a_counselor_without_a_group_counsels_none(cast):
    spare = CounselorFactory(user=UserFactory(username="counselor9", role="counselor"))
    assert list(counseled_groups_in(spare.user, cast.camp)) == []
