"""Admission: decisions, capacity, exceptions with reasons, withdrawal and replacement.
These run on PostgreSQL in CI too (DATABASE_URL)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from camp.models import User
from camp.roles import Role
from tests.factories import CampFactory, CandidateFactory, PersonFactory, UserFactory
from trainees.models import (
    Decision,
    Post,
    Rank,
    Trainee,
    TraineeStatus,
    WithdrawalKind,
)
from trainees.selectors import camp_headcount, waitlist_next
from trainees.services.admission import (
    candidate_decide,
    trainee_admit,
    trainee_set_post,
    trainee_withdraw,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def staff():
    return UserFactory(username="staff", role=Role.STAFF)


def eligible(camp, **person):
    return CandidateFactory(
        camp=camp,
        person=PersonFactory(birth_date=D(1991, 1, 1), rank=Rank.DEPUTY_SECTION_CHIEF, **person),
    )


def ineligible(camp, **person):
    return CandidateFactory(
        camp=camp,
        person=PersonFactory(birth_date=D(1980, 1, 1), rank=Rank.DEPUTY_SECTION_CHIEF, **person),
    )


def test_admitting_creates_an_active_trainee_with_a_login(staff):
    camp = CampFactory()
    candidate = eligible(camp, name="王五")
    trainee = trainee_admit(
        candidate=candidate, by=staff, username="t001", admitted_on=D(2026, 1, 5)
    )
    candidate.refresh_from_db()
    assert candidate.decision == Decision.ADMITTED
    assert candidate.decided_by == staff
    assert trainee.status == TraineeStatus.ACTIVE
    assert trainee.admitted_on == D(2026, 1, 5)
    user = trainee.person.user
    assert (user.username, user.role, user.full_name, user.is_active) == (
        "t001",
        Role.TRAINEE,
        "王五",
        True,
    )
    assert not user.has_usable_password()  # handed out later on the printed sheet


def test_the_default_username_is_readable_and_unique(staff):
    camp = CampFactory()
    UserFactory(username="t2026001", role=Role.TRAINEE)
    first = trainee_admit(candidate=eligible(camp), by=staff)
    second = trainee_admit(candidate=eligible(camp), by=staff)
    assert first.person.user.username == "t2026002"
    assert second.person.user.username == "t2026003"


def test_a_taken_username_is_refused(staff):
    camp = CampFactory()
    UserFactory(username="t001")
    with pytest.raises(ValidationError, match="已被占用"):
        trainee_admit(candidate=eligible(camp), by=staff, username="t001")
    assert not Trainee.objects.exists()


def test_a_returning_person_keeps_their_login(staff):
    earlier = CampFactory(code="2025", year=2025)
    camp = CampFactory()
    person = PersonFactory(birth_date=D(1991, 1, 1))
    old = trainee_admit(
        candidate=CandidateFactory(camp=earlier, person=person), by=staff, admitted_on=D(2025, 1, 5)
    )
    trainee_withdraw(
        trainee=old, kind=WithdrawalKind.LEFT, reason="结业", on=D(2025, 12, 1), by=staff
    )
    person.refresh_from_db()
    assert not person.user.is_active
    again = trainee_admit(candidate=CandidateFactory(camp=camp, person=person), by=staff)
    assert again.person.user_id == old.person.user_id
    assert User.objects.get(pk=again.person.user_id).is_active


def test_admitting_an_ineligible_candidate_needs_a_written_reason_which_is_kept(staff):
    camp = CampFactory()
    candidate = ineligible(camp)
    with pytest.raises(ValidationError, match="破格录取须填写理由"):
        trainee_admit(candidate=candidate, by=staff, reason="  ")
    assert not Trainee.objects.exists()
    trainee_admit(candidate=candidate, by=staff, reason="重点项目急需")
    candidate.refresh_from_db()
    assert candidate.decision_reason == "重点项目急需"


def test_admitting_beyond_capacity_is_refused_and_writes_nothing(staff):
    camp = CampFactory(capacity=2)
    trainee_admit(candidate=eligible(camp), by=staff)
    trainee_admit(candidate=eligible(camp), by=staff)
    third = eligible(camp)
    with pytest.raises(ValidationError, match="本期已满员（2/2人）"):
        candidate_decide(candidate=third, decision=Decision.ADMITTED, by=staff)
    third.refresh_from_db()
    assert third.decision == Decision.PENDING
    assert third.person.user is None
    assert camp_headcount(camp).active == 2


def test_a_withdrawal_frees_a_place_for_the_next_on_the_waitlist(staff):
    camp = CampFactory(capacity=1)
    first = trainee_admit(candidate=eligible(camp, name="甲"), by=staff, admitted_on=D(2026, 1, 5))
    later = eligible(camp, name="乙")
    priority = eligible(camp, name="丙", township_chief_experience=True)
    candidate_decide(candidate=later, decision=Decision.WAITLISTED, by=staff)
    candidate_decide(candidate=priority, decision=Decision.WAITLISTED, by=staff, reason="名额已满")
    assert waitlist_next(camp) == priority  # township chiefs first

    trainee_withdraw(
        trainee=first, kind=WithdrawalKind.PROMOTED, reason="提拔任职", on=D(2026, 6, 1), by=staff
    )
    headcount = camp_headcount(camp)
    assert (headcount.active, headcount.withdrawn, headcount.free) == (0, 1, 1)

    candidate_decide(candidate=waitlist_next(camp), decision=Decision.ADMITTED, by=staff)
    assert camp.trainees.active().get().person.name == "丙"
    assert waitlist_next(camp) == later


def test_withdrawal_disables_the_login_and_keeps_the_history(staff):
    camp = CampFactory()
    trainee = trainee_admit(candidate=eligible(camp), by=staff, admitted_on=D(2026, 1, 5))
    trainee_withdraw(
        trainee=trainee,
        kind=WithdrawalKind.TRANSFERRED,
        reason="调往外地",
        on=D(2026, 5, 1),
        by=staff,
    )
    trainee.refresh_from_db()
    assert trainee.status == TraineeStatus.WITHDRAWN
    assert (trainee.withdrawn_on, trainee.withdrawal_reason) == (D(2026, 5, 1), "调往外地")
    assert not trainee.person.user.is_active
    assert trainee.history.count() >= 2
    assert trainee.candidate.decision == Decision.ADMITTED


def test_withdrawal_needs_kind_reason_and_a_date_after_admission(staff):
    camp = CampFactory()
    trainee = trainee_admit(candidate=eligible(camp), by=staff, admitted_on=D(2026, 1, 10))
    for kwargs in (
        {"kind": "fired", "reason": "x", "on": D(2026, 2, 1)},
        {"kind": WithdrawalKind.LEFT, "reason": " ", "on": D(2026, 2, 1)},
        {"kind": WithdrawalKind.LEFT, "reason": "x", "on": D(2026, 1, 9)},
    ):
        with pytest.raises(ValidationError):
            trainee_withdraw(trainee=trainee, by=staff, **kwargs)
    trainee.refresh_from_db()
    assert trainee.status == TraineeStatus.ACTIVE
    trainee_withdraw(trainee=trainee, kind="left", reason="x", on=D(2026, 2, 1), by=staff)
    with pytest.raises(ValidationError, match="已于"):
        trainee_withdraw(trainee=trainee, kind="left", reason="x", on=D(2026, 2, 2), by=staff)


def test_an_admitted_candidate_cannot_be_waitlisted_or_admitted_twice(staff):
    camp = CampFactory()
    candidate = eligible(camp)
    trainee_admit(candidate=candidate, by=staff)
    with pytest.raises(ValidationError, match="已录取"):
        candidate_decide(candidate=candidate, decision=Decision.REJECTED, by=staff)
    with pytest.raises(ValidationError, match="无需重复录取"):
        trainee_admit(candidate=candidate, by=staff)


def test_reject_and_pending_record_who_and_why(staff):
    camp = CampFactory()
    candidate = ineligible(camp)
    candidate_decide(candidate=candidate, decision=Decision.REJECTED, by=staff, reason="不符合")
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.decision_reason, candidate.decided_by) == (
        Decision.REJECTED,
        "不符合",
        staff,
    )
    candidate_decide(candidate=candidate, decision=Decision.PENDING, by=staff)
    candidate.refresh_from_db()
    assert candidate.decided_by is None


def test_a_group_has_one_group_leader_and_a_class_officer_needs_no_group(cast):
    other = Trainee.objects.create(
        camp=cast.camp,
        person=PersonFactory(),
        candidate=CandidateFactory(camp=cast.camp),
        group=cast.group_1,
        admitted_on=D(2026, 1, 1),
    )
    trainee_set_post(trainee=cast.trainee_in_group_1, post=Post.GROUP_LEADER, by=cast.staff)
    with pytest.raises(ValidationError, match="本组已有组长张三"):
        trainee_set_post(trainee=other, post=Post.GROUP_LEADER, by=cast.staff)
    trainee_set_post(trainee=other, post=Post.CLASS_OFFICER, by=cast.staff)
    other.refresh_from_db()
    assert other.post == Post.CLASS_OFFICER
    with pytest.raises(ValidationError):
        trainee_set_post(trainee=other, post="monitor", by=cast.staff)


def test_a_person_whose_login_serves_another_role_is_not_silently_turned_into_a_trainee(staff):
    camp = CampFactory()
    counselor_login = UserFactory(username="counselor9", role=Role.COUNSELOR)
    candidate = eligible(camp, user=counselor_login)
    with pytest.raises(ValidationError, match="已用于其他角色"):
        trainee_admit(candidate=candidate, by=staff)
    counselor_login.refresh_from_db()
    assert counselor_login.role == Role.COUNSELOR
    assert not Trainee.objects.exists()


def test_the_history_names_who_acted_even_outside_a_web_request(staff):
    """A command or a background task has no request for the history middleware to read: the
    services name the actor themselves."""
    camp = CampFactory()
    waitlisted = eligible(camp)
    candidate_decide(candidate=waitlisted, decision=Decision.WAITLISTED, by=staff, reason="待递补")
    assert waitlisted.history.latest().history_user == staff

    trainee = trainee_admit(candidate=eligible(camp), by=staff, admitted_on=D(2026, 1, 5))
    assert trainee.history.latest().history_user == staff
    assert trainee.candidate.history.latest().history_user == staff

    trainee_withdraw(
        trainee=trainee, kind=WithdrawalKind.PROMOTED, reason="提拔", on=D(2026, 6, 1), by=staff
    )
    assert trainee.history.latest().history_user == staff
