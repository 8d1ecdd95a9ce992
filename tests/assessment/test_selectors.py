"""The assessment's reads that depend on who asks."""

import pytest

from assessment.selectors import recordable_groups


@pytest.mark.parametrize(
    ("persona", "groups"),
    [
        ("staff", {1, 2, 3, 4, 5, 6}),
        ("counselor_1", {1}),
        ("counselor_2", {2}),
        ("trainee_1", set()),
        ("orgdept", set()),
        ("leader", set()),
    ],
)
def test_the_grid_groups_are_every_group_for_staff_and_a_counselors_own(cast, persona, groups):
    user = cast.everyone()[persona]
    numbers = {g.number for g in recordable_groups(user, cast.camp)}
    assert numbers == groups
