"""The access matrix, seen from the menu: each persona's header menu shows exactly the pages of
the matrix that persona may open (tests/test_access_matrix.py's ROWS say who may).

A menu entry that leads to a refusal, or a page a persona may open that the menu hides from
them, is one wrong cell; one test collects them all."""

from __future__ import annotations

import pytest

from camp.navigation import MENU, navigation_for

from .test_access_matrix import (
    REDIRECT,
    ROWS,
    TODAY_IN_THE_WORLD,
    _clients,
    build_world,
)

OPENS = {200, REDIRECT}


@pytest.fixture
def world(cast, monkeypatch):
    import datetime

    from django.utils import timezone

    moment = timezone.make_aware(
        datetime.datetime.combine(TODAY_IN_THE_WORLD, datetime.time(12, 0))
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return build_world(cast)


def _users(cast) -> dict:
    return {
        "trainee": cast.trainee_1,
        "counselor": cast.counselor_1,
        "staff": cast.staff,
        "orgdept": cast.orgdept,
        "leader": cast.leader,
    }


def test_each_menu_entry_opens_for_whoever_sees_it(world):
    """Every entry a persona's menu shows answers that persona with its page (following a
    forward, e.g. "my group's scores" to the group's page)."""
    clients = _clients(world.cast)
    wrong = []
    for persona, user in _users(world.cast).items():
        for item in navigation_for(user)["menu_items"]:
            response = clients[persona].get(item["url"], follow=True)
            if response.status_code != 200:
                wrong.append(f"{item['name']} shown to {persona}, who gets {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_menu_shows_each_persona_every_page_it_may_open(world):
    """A page with a menu entry is in the menu of every persona the matrix lets open it, and of
    nobody else."""
    menu_names = {entry[1] for entry in MENU}
    assert menu_names <= set(ROWS), sorted(menu_names - set(ROWS))
    wrong = []
    for persona, user in _users(world.cast).items():
        shown = {item["name"] for item in navigation_for(user)["menu_items"]}
        for name in sorted(menu_names):
            opens = ROWS[name].expect[persona] in OPENS
            if opens and name not in shown:
                wrong.append(f"{name}: {persona} may open it, but the menu hides it")
            if not opens and name in shown:
                wrong.append(f"{name}: shown to {persona}, who gets {ROWS[name].expect[persona]}")
    assert not wrong, "\n".join(wrong)
