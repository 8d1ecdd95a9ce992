import datetime

import pytest
from django.core.exceptions import ValidationError

from camp.models import User
from camp.roles import Role
from trainees.access import counselor_group_ids
from trainees.models import Counselor, CounselorTerm, Rank
from trainees.services.counselors import counselor_create, group_counselor_replace


def new_counselor(username="counselor9", rank=Rank.DIVISION_CHIEF, **extra):
    return counselor_create(
        username=username,
        name=extra.pop("name", "沈建华"),
        unit="湖州市发展和改革委员会",
        position="副主任",
        rank=rank,
        **extra,
    )


@pytest.mark.django_db
def test_it_creates_a_counselor_with_a_login():
    counselor = new_counselor(password="Counsel-2026-pass")
    user = User.objects.get(username="counselor9")
    assert (user.role, user.full_name, counselor.user) == (Role.COUNSELOR, "沈建华", user)
    assert user.check_password("Counsel-2026-pass")


@pytest.mark.django_db
def test_without_a_password_the_login_cannot_be_used_yet():
    counselor = new_counselor()
    assert not counselor.user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize("rank", [Rank.DEPUTY_DIVISION_CHIEF, Rank.SECTION_CHIEF])
def test_it_refuses_a_rank_below_division_chief(rank):
    with pytest.raises(ValidationError, match="正处级及以上"):
        new_counselor(rank=rank)
    assert not User.objects.filter(username="counselor9").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("rank", [Rank.DIVISION_CHIEF, Rank.DEPUTY_BUREAU_CHIEF, Rank.BUREAU_CHIEF])
def test_it_accepts_division_chief_and_above(rank):
    assert new_counselor(rank=rank).rank == rank


@pytest.mark.django_db
def test_it_refuses_a_taken_username():
    new_counselor()
    with pytest.raises(ValidationError, match="已被使用"):
        new_counselor(name="另一人")
    assert Counselor.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_weak_password():
    with pytest.raises(ValidationError):
        new_counselor(password="123")
    assert not User.objects.filter(username="counselor9").exists()


def test_replacing_a_counselor_keeps_who_counseled_when(cast):
    successor = new_counselor()
    on = datetime.date(2026, 6, 1)
    term = group_counselor_replace(
        group=cast.group_1, counselor=successor, on=on, by=cast.staff, reason="工作调动"
    )
    cast.group_1.refresh_from_db()
    assert cast.group_1.counselor == successor
    terms = list(CounselorTerm.objects.filter(group=cast.group_1).order_by("started_on"))
    assert [(t.counselor, t.started_on, t.ended_on) for t in terms] == [
        (cast.counselor_of_group_1, datetime.date(2026, 1, 1), datetime.date(2026, 5, 31)),
        (successor, on, None),
    ]
    assert term.reason == "工作调动"
    last = cast.group_1.history.first()
    assert (last.counselor_id, last.history_user_id) == (successor.pk, cast.staff.pk)


def test_the_first_assignment_opens_a_term(cast):
    group = cast.camp.groups.get(number=3)
    counselor = new_counselor()
    group_counselor_replace(
        group=group, counselor=counselor, on=datetime.date(2026, 1, 1), by=cast.staff
    )
    assert CounselorTerm.objects.get(group=group).counselor == counselor


def test_the_successor_inherits_the_groups_records_and_the_predecessor_loses_them(cast):
    successor = new_counselor()
    group_counselor_replace(
        group=cast.group_1, counselor=successor, on=datetime.date(2026, 6, 1), by=cast.staff
    )
    assert counselor_group_ids(successor.user) == {cast.group_1.pk}
    assert counselor_group_ids(cast.counselor_1) == set()


def test_it_refuses_a_date_not_after_the_current_term(cast):
    with pytest.raises(ValidationError, match="须晚于"):
        group_counselor_replace(
            group=cast.group_1,
            counselor=new_counselor(),
            on=datetime.date(2026, 1, 1),
            by=cast.staff,
        )
    assert CounselorTerm.objects.filter(group=cast.group_1).count() == 1


def test_it_refuses_the_current_counselor(cast):
    with pytest.raises(ValidationError, match="无需更换"):
        group_counselor_replace(
            group=cast.group_1,
            counselor=cast.counselor_of_group_1,
            on=datetime.date(2026, 6, 1),
            by=cast.staff,
        )


def test_it_refuses_a_counselor_of_another_group_in_the_camp(cast):
    with pytest.raises(ValidationError, match="每组一名"):
        group_counselor_replace(
            group=cast.group_1,
            counselor=cast.counselor_of_group_2,
            on=datetime.date(2026, 6, 1),
            by=cast.staff,
        )
    cast.group_1.refresh_from_db()
    assert cast.group_1.counselor == cast.counselor_of_group_1


def test_it_refuses_a_counselor_whose_rank_was_lowered(cast):
    counselor = new_counselor()
    Counselor.objects.filter(pk=counselor.pk).update(rank=Rank.SECTION_CHIEF)
    counselor.refresh_from_db()
    with pytest.raises(ValidationError, match="正处级及以上"):
        group_counselor_replace(
            group=cast.group_1, counselor=counselor, on=datetime.date(2026, 6, 1), by=cast.staff
        )
