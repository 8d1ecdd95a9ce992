"""The access matrix: every URL of the project, tried by every persona, against one table.

Each row names a URL, says how to fill in its arguments from `World` (the cast plus the objects
made below), and pins what each persona gets:

    200        the page
    LOGIN      302 to the login page (anonymous)
    REDIRECT   302 elsewhere (a page that forwards, e.g. home to the role's home)
    403 / 404  refused: 404 where the user may not know the object exists
    405        the URL takes POST only

A URL without a row fails `test_every_url_pattern_has_a_row`, naming it. To add one, add an
entry to ROWS; if it needs an object, add it to `World` and `build_world`.

The personas are the backbone's: a trainee of group 1, the counselor of group 1, staff, orgdept
and a leader. `other_args` point the same URL at trainee 2 / group 2, whom the trainee and the
counselor of group 1 may not touch: `test_a_trainee_and_a_counselor_cannot_reach_others` tries
them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trainees.models import RankAlias

LOGIN = "login"
REDIRECT = "redirect"
PERSONAS = ("anonymous", "trainee", "counselor", "staff", "orgdept", "leader")
# Where the matrix does not look: Django's own admin and language switch, and static files.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")


def expect(
    *, anonymous=LOGIN, trainee=403, counselor=403, staff=403, orgdept=403, leader=403
) -> dict:
    return {
        "anonymous": anonymous,
        "trainee": trainee,
        "counselor": counselor,
        "staff": staff,
        "orgdept": orgdept,
        "leader": leader,
    }


EVERYONE = expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=200)
STAFF_ONLY = expect(staff=200)
STAFF_POST_ONLY = expect(staff=405)


@dataclass
class World:
    """The cast and one of every object a URL can point at, in group 1 / trainee 1, plus their
    counterparts in group 2 / trainee 2 for the object-level checks."""

    cast: object
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def code(self) -> str:
        return self.cast.camp.code

    @property
    def trainee(self):
        return self.cast.trainee_in_group_1

    @property
    def other_trainee(self):
        return self.cast.trainee_in_group_2


def build_world(cast) -> World:
    world = World(cast=cast)
    return world


def no_args(world: World) -> list:
    return []


def camp_args(world: World) -> list:
    return [world.code]


SELECTION_READ = expect(trainee=404, counselor=404, staff=200, orgdept=200, leader=404)
SELECTION_EDIT = {**SELECTION_READ, "orgdept": 403}


def other_trainee_args(world: World) -> list:
    return [world.other_trainee.pk]


@dataclass
class Row:
    expect: dict
    args: Callable[[World], list] = no_args
    query: dict | None = None
    # The same URL aimed at another trainee's or group's object (see module docstring), and
    # who of trainee 1 and the counselor of group 1 must be refused there.
    other_args: Callable[[World], list] | None = None
    refused_on_others: tuple[str, ...] = ("trainee", "counselor")


ROWS: dict[str, Row] = {
    # --- camp: login, homes, editions, audit -------------------------------------------------
    "login": Row(expect(anonymous=200, **dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "logout": Row(expect(anonymous=405, **dict.fromkeys(PERSONAS[1:], 405))),
    "password-change": Row(EVERYONE),
    "home": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "camp-list": Row(EVERYONE),
    "camp-new": Row(STAFF_ONLY),
    "camp-detail": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT)), camp_args),
    "camp-edit": Row(STAFF_ONLY, camp_args),
    "sensitive-log": Row(STAFF_ONLY),
    "history-index": Row(STAFF_ONLY),
    "history-trainee": Row(STAFF_ONLY, lambda w: [w.trainee.pk]),
    "history-object": Row(STAFF_ONLY, lambda w: ["trainees.trainee", w.trainee.pk]),
    # --- selection: candidates are staff's to edit, orgdept's to read, nobody else's ----------
    **{
        name: Row(SELECTION_READ, args)
        for name, args in (
            ("candidate-list", camp_args),
            ("candidate-template", no_args),
            ("candidate-detail", lambda w: [w.trainee.candidate_id]),
        )
    },
    **{
        name: Row(SELECTION_EDIT, args)
        for name, args in (
            ("candidate-new", camp_args),
            ("candidate-import", camp_args),
            ("candidate-edit", lambda w: [w.trainee.candidate_id]),
            ("candidate-decide", lambda w: [w.trainee.candidate_id]),
            ("rank-alias-list", no_args),
        )
    },
    "rank-alias-delete": Row(
        {**SELECTION_EDIT, "staff": 405}, lambda w: [RankAlias.objects.order_by("pk")[0].pk]
    ),
    # --- the camp page, roster and profiles -------------------------------------------------
    "overview-current": Row(expect(**dict.fromkeys(PERSONAS[1:], REDIRECT))),
    "camp-overview": Row(EVERYONE, camp_args),
    "roster": Row(EVERYONE, camp_args),
    "initial-passwords": Row(STAFF_ONLY, camp_args),
    "trainee-detail": Row(EVERYONE, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "trainee-reveal": Row(
        expect(staff=405, orgdept=405), lambda w: [w.trainee.pk], other_args=other_trainee_args
    ),
    "trainee-withdraw": Row(STAFF_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "trainee-reset-password": Row(
        STAFF_POST_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args
    ),
    "trainee-post": Row(STAFF_POST_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    "export-download": Row(
        expect(counselor=200, staff=200, orgdept=200), lambda w: [w.code, "roster"]
    ),
    # --- homes, groups, conduct codes ----------------------------------------------------------
    "trainee-home": Row(expect(trainee=200)),
    "counselor-home": Row(expect(counselor=200)),
    "group-list": Row(EVERYONE, camp_args),
    "group-detail": Row(EVERYONE, lambda w: [w.cast.group_1.pk]),
    "group-placement": Row(expect(staff=200, orgdept=200, leader=200), camp_args),
    "group-counselor": Row(STAFF_ONLY, lambda w: [w.cast.group_1.pk]),
    "trainee-move": Row(STAFF_ONLY, lambda w: [w.trainee.pk], other_args=other_trainee_args),
    # The trainee writes their own; their counselor, staff and orgdept read; leaders never.
    "conduct-mine": Row(expect(trainee=REDIRECT), camp_args),  # to their own code
    "conduct-code": Row(
        expect(trainee=200, counselor=200, staff=200, orgdept=200, leader=404),
        lambda w: [w.trainee.pk],
        other_args=other_trainee_args,
    ),
}


@functools.cache
def url_names() -> dict[str, str]:
    """Every named URL pattern of the project: name → route, outside the skipped prefixes."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {route}>"
                found.setdefault(name, route)

    walk(get_resolver(), "", "")
    return found


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith(reverse("login")) else REDIRECT
    return response.status_code


def _clients(cast) -> dict[str, Client]:
    users = {
        "trainee": cast.trainee_1,
        "counselor": cast.counselor_1,
        "staff": cast.staff,
        "orgdept": cast.orgdept,
        "leader": cast.leader,
    }
    clients = {"anonymous": Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    return clients


def _try(client: Client, method: str, url: str, query: dict | None) -> int | str:
    try:
        if method == "get":
            return _outcome(client.get(url, query or {}))
        return _outcome(client.post(url, {}))
    except Exception as error:  # a crash is one more wrong cell to report
        return f"raised {type(error).__name__}: {error}"[:160]


def test_every_url_pattern_has_a_row():
    missing = sorted(
        f"{name}  ({route})" for name, route in url_names().items() if name not in ROWS
    )
    assert not missing, (
        "these URLs have no row in tests/test_access_matrix.py ROWS; add what each persona "
        "should get:\n  " + "\n  ".join(missing)
    )


def test_the_table_names_only_existing_urls():
    stale = sorted(set(ROWS) - set(url_names()))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_every_url_answers_each_persona_as_the_table_says(cast):
    """GET every URL as every persona. One test collects every wrong cell, so a failure shows
    the whole picture at once."""
    world = build_world(cast)
    clients = _clients(cast)
    wrong = []
    for name, row in ROWS.items():
        if name not in url_names():
            continue  # reported by test_the_table_names_only_existing_urls
        url = reverse(name, args=row.args(world))
        for persona in PERSONAS:
            got = _try(clients[persona], "get", url, row.query)
            if got != row.expect[persona]:
                wrong.append(f"{name} as {persona}: expected {row.expect[persona]}, got {got}")
    assert not wrong, "\n".join(wrong)


DENIED = {LOGIN, 403, 404}


@pytest.mark.django_db
def test_a_post_is_refused_to_whoever_may_not_get_the_page(cast):
    """Every form's POST checks the same rules as its GET: a persona refused the page is
    refused the POST too, with nothing written."""
    world = build_world(cast)
    clients = _clients(cast)
    wrong = []
    for name, row in ROWS.items():
        if name not in url_names():
            continue
        url = reverse(name, args=row.args(world))
        for persona in PERSONAS:
            if row.expect[persona] not in DENIED:
                continue
            got = _try(clients[persona], "post", url, None)
            if got not in DENIED:
                wrong.append(f"POST {name} as {persona}: GET is {row.expect[persona]}, POST {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_trainee_and_a_counselor_cannot_reach_others(cast):
    """Trainee 1 and the counselor of group 1 aim every object URL at trainee 2 / group 2."""
    world = build_world(cast)
    clients = _clients(cast)
    wrong = []
    tried = 0
    for name, row in ROWS.items():
        if row.other_args is None or name not in url_names():
            continue
        url = reverse(name, args=row.other_args(world))
        for persona in row.refused_on_others:
            tried += 1
            for method in ("get", "post"):
                got = _try(clients[persona], method, url, row.query)
                if got not in {403, 404}:
                    wrong.append(f"{method.upper()} {name} as {persona} on others': got {got}")
    assert not wrong, "\n".join(wrong)
    assert tried or not any(row.other_args for row in ROWS.values())
