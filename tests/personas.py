"""The fixed cast of personas every view is tried by, and the one way a test acts as one.

`build_cast()` makes the cast (tests/conftest.py's `cast` fixture returns it); `log_in_as`,
`status_as`, `try_everyone` and `clients_for` make a request as a persona, and `outcome` reads
the answer the way the access tables write it."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from camp.models import Camp, User
from camp.roles import Role
from camp.services.camps import camp_create
from trainees.models import Counselor, StudyGroup, Trainee

from .factories import (
    CounselorFactory,
    PersonFactory,
    TraineeFactory,
    UserFactory,
    assign_counselor,
)

# The cast's names for its people, anonymous first (as `Cast.everyone` orders them).
PERSONAS = (
    "anonymous",
    "staff",
    "counselor_1",
    "counselor_2",
    "trainee_1",
    "trainee_2",
    "orgdept",
    "leader",
)
LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 elsewhere


@dataclass
class Cast:
    """The fixed personas every view is tried by."""

    camp: Camp
    group_1: StudyGroup
    group_2: StudyGroup
    staff: User
    counselor_1: User
    counselor_2: User
    trainee_1: User
    trainee_2: User
    orgdept: User
    leader: User
    trainee_in_group_1: Trainee
    trainee_in_group_2: Trainee
    counselor_of_group_1: Counselor
    counselor_of_group_2: Counselor

    def everyone(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "staff": self.staff,
            "counselor_1": self.counselor_1,
            "counselor_2": self.counselor_2,
            "trainee_1": self.trainee_1,
            "trainee_2": self.trainee_2,
            "orgdept": self.orgdept,
            "leader": self.leader,
        }


def build_cast() -> Cast:
    """One camp of two groups, each with its counselor and a trainee, plus staff, orgdept and
    a leader."""
    camp = camp_create(code="2026", name="2026届南太湖新锐特训营", year=2026)
    group_1, group_2 = camp.groups.order_by("number")[:2]
    counselor_of_group_1 = CounselorFactory(
        user=UserFactory(username="counselor1", full_name="周辅导", role=Role.COUNSELOR)
    )
    counselor_of_group_2 = CounselorFactory(
        user=UserFactory(username="counselor2", full_name="吴辅导", role=Role.COUNSELOR)
    )
    assign_counselor(group_1, counselor_of_group_1)
    assign_counselor(group_2, counselor_of_group_2)
    trainee_in_group_1 = TraineeFactory(
        camp=camp,
        group=group_1,
        person=PersonFactory(
            name="张三",
            user=UserFactory(username="t001", full_name="张三", role=Role.TRAINEE),
            id_number="330502199001011234",
            phone="13800001111",
        ),
    )
    trainee_in_group_2 = TraineeFactory(
        camp=camp,
        group=group_2,
        person=PersonFactory(
            name="李四",
            user=UserFactory(username="t002", full_name="李四", role=Role.TRAINEE),
        ),
    )
    return Cast(
        camp=camp,
        group_1=group_1,
        group_2=group_2,
        staff=UserFactory(username="staff", full_name="王管理", role=Role.STAFF),
        counselor_1=counselor_of_group_1.user,
        counselor_2=counselor_of_group_2.user,
        trainee_1=trainee_in_group_1.person.user,
        trainee_2=trainee_in_group_2.person.user,
        orgdept=UserFactory(username="orgdept", full_name="赵组织", role=Role.ORGDEPT),
        leader=UserFactory(username="leader", full_name="钱领导", role=Role.LEADER),
        trainee_in_group_1=trainee_in_group_1,
        trainee_in_group_2=trainee_in_group_2,
        counselor_of_group_1=counselor_of_group_1,
        counselor_of_group_2=counselor_of_group_2,
    )


def log_in_as(client: Client, user: User | None, *, fresh: bool = False) -> Client:
    """The client, logged in as `user` (anonymous for None). `fresh` reloads the user first,
    for when an earlier request changed their password hash."""
    client.logout()
    if user is not None:
        if fresh:
            user.refresh_from_db()
        client.force_login(user)
    return client


def outcome(response) -> int | str:
    """200, 403, 404, 405 …, LOGIN (302 to the login page) or REDIRECT (302 elsewhere)."""
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
    return response.status_code


def status_as(client: Client, user, url: str, method="get", data=None, *, fresh=False) -> int:
    """The status code of one request made as `user`."""
    log_in_as(client, user, fresh=fresh)
    return getattr(client, method)(url, data or {}).status_code


def try_everyone(client: Client, cast: Cast, url: str, *, method="get", data=None) -> dict:
    """{persona: outcome} of one request made by every persona of the cast."""
    results = {}
    for persona, user in cast.everyone().items():
        log_in_as(client, user)
        results[persona] = outcome(getattr(client, method)(url, data or {}))
    client.logout()
    return results


def clients_for(users: dict[str, User | None]) -> dict[str, Client]:
    """One client per persona, each logged in as its user (anonymous for None)."""
    return {persona: log_in_as(Client(), user) for persona, user in users.items()}


# One persona per role, and anonymous: the access matrix's columns, as people of the cast.
ONE_PER_ROLE = {
    "anonymous": "anonymous",
    "trainee": "trainee_1",
    "counselor": "counselor_1",
    "staff": "staff",
    "orgdept": "orgdept",
    "leader": "leader",
}


def one_per_role(cast: Cast) -> dict[str, User | None]:
    everyone = cast.everyone()
    return {role: everyone[persona] for role, persona in ONE_PER_ROLE.items()}
