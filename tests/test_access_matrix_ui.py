"""The access matrix, seen on the screen: each persona's header menu shows exactly the pages of
the matrix that persona may open, and each action button shows exactly for the personas whose
request it would serve (tests/test_access_matrix.py's ROWS say who may).

A menu entry or a button that leads to a refusal, or one hidden from a persona who may use it,
is one wrong cell; each test collects them all."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from camp.navigation import MENU, navigation_for
from tests.personas import one_per_role

from .test_access_matrix import (
    ALLOWED,
    REDIRECT,
    ROWS,
    TODAY_IN_THE_WORLD,
    _clients,
    build_world,
    url_names,
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
    """The matrix's personas who log in."""
    return {role: user for role, user in one_per_role(cast).items() if user is not None}


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


class _Targets(HTMLParser):
    """The links and forms inside a page's <main> (the header menu is checked above)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.depth = 0
        self.found: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.depth += 1
        if not self.depth:
            return
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.found.add(("get", attrs["href"]))
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.found.add((method, attrs.get("action") or self.page_url))

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


def _targets(response, page_url: str) -> set[tuple[str, str]]:
    parser = _Targets(page_url)
    parser.feed(response.content.decode())
    return {(method, urlsplit(url).path) for method, url in parser.found}


def _may_use(row, persona: str, method: str) -> bool:
    """A GET that opens, or a POST that is not refused (by the matrix's own table)."""
    if method == "get":
        return row.expect[persona] in OPENS
    if row.post is not None:
        return row.post[persona] == ALLOWED
    return row.expect[persona] in {*OPENS, 405}


def _aimed_at(world, name: str, path: str) -> str | None:
    """Whether `path` is the matrix's own object for this row ("own"), the other trainee's or
    group's ("other"), or neither (None: an object the matrix does not know)."""
    row = ROWS[name]
    if reverse(name, args=row.args(world)) == path:
        return "own"
    if row.other_args is not None and reverse(name, args=row.other_args(world)) == path:
        return "other"
    return None


def test_each_link_and_form_in_a_page_is_one_its_reader_may_use(world):
    """Every page, as every persona who may open it: each link and form in it leads somewhere
    that persona may go (GET opens, POST is not refused). A button that leads to a refusal is
    one wrong cell."""
    clients = _clients(world.cast)
    wrong, tried = [], 0
    for page, row in ROWS.items():
        if page not in url_names():
            continue
        page_url = reverse(page, args=row.args(world))
        for persona in _users(world.cast):
            if row.expect[persona] != 200:
                continue
            response = clients[persona].get(page_url, row.query or {})
            if "html" not in response.get("Content-Type", ""):
                continue
            for method, path in _targets(response, page_url):
                try:
                    name = resolve(path).view_name
                except Resolver404:
                    continue
                if name not in ROWS or name not in url_names():
                    continue
                aimed = _aimed_at(world, name, path)
                if aimed is None:
                    continue
                tried += 1
                refused = not _may_use(ROWS[name], persona, method) or (
                    aimed == "other" and persona in ROWS[name].refused_on_others
                )
                if refused:
                    wrong.append(f"{page} as {persona}: {method.upper()} {name} would be refused")
    assert not wrong, "\n".join(sorted(set(wrong)))
    assert tried


# The main pages with action buttons, and their actions (method, url name): forms to create,
# change, decide or close, linked from the list and detail pages that offer them.
ACTIONS = {
    "camp-list": [("get", "camp-new")],
    "candidate-list": [("get", "candidate-new"), ("get", "candidate-import")],
    "candidate-detail": [("get", "candidate-edit"), ("get", "candidate-decide")],
    "roster": [("get", "initial-passwords")],
    "trainee-detail": [
        ("get", "trainee-withdraw"),
        ("get", "history-trainee"),
        ("post", "trainee-reset-password"),
        ("post", "trainee-reveal"),
    ],
    "group-list": [("get", "counselor-new")],
    "group-detail": [("get", "group-counselor"), ("get", "trainee-move")],
    "curriculum-calendar": [
        ("get", "curriculum-session-new"),
        ("get", "curriculum-arrangements"),
        ("post", "curriculum-plan-run"),
    ],
    "curriculum-day": [("get", "curriculum-session-new"), ("post", "curriculum-day-move")],
    "curriculum-session": [
        ("get", "curriculum-session-edit"),
        ("get", "curriculum-session-qr"),
        ("get", "curriculum-session-sheet"),
    ],
    "curriculum-plan": [
        ("post", "curriculum-kind-new"),
        ("post", "curriculum-plan-defaults"),
        ("post", "curriculum-target-count"),
    ],
    "curriculum-research-topic": [
        ("post", "curriculum-research-member"),
        ("post", "curriculum-research-milestone"),
        ("post", "curriculum-research-report"),
    ],
    "curriculum-chief-project": [
        ("post", "curriculum-progress-note"),
        ("post", "curriculum-progress-comment"),
    ],
    "trainee-oversight": [
        ("get", "inspection-note-new"),
        ("get", "interview-new"),
        ("post", "tracking-toggle"),
    ],
    "interview-list": [("post", "interview-category-new")],
    "shortlist-detail": [
        ("get", "shortlist-decide"),
        ("post", "shortlist-add"),
        ("post", "shortlist-refresh"),
    ],
    "graduation-list": [
        ("get", "graduation-edit"),
        ("post", "graduation-policy"),
        ("post", "graduation-certificates"),
    ],
    "assessment-scheme": [
        ("get", "assessment-item-edit"),
        ("get", "assessment-attendance-rules"),
        ("post", "assessment-scheme-status"),
    ],
    "assessment-entries": [("get", "assessment-entry-new")],
    "assessment-summaries": [("post", "assessment-summary-start")],
    "assessment-contests": [("get", "assessment-contest-new")],
    "assessment-contest": [("post", "assessment-contest-close")],
    "assessment-comments": [("get", "assessment-comment-new")],
    "assessment-review-group": [("get", "assessment-review-write")],
}


def test_each_action_button_shows_to_everyone_who_may_use_it(world):
    """The other way round, on the main pages with action buttons: each of a page's actions is
    offered to every persona who opens the page and may use the action (by the matrix)."""
    clients = _clients(world.cast)
    wrong, tried = [], 0
    for page, actions in ACTIONS.items():
        row = ROWS[page]
        page_url = reverse(page, args=row.args(world))
        for persona in _users(world.cast):
            if row.expect[persona] != 200:
                continue
            response = clients[persona].get(page_url, row.query or {})
            offered = set()
            for method, path in _targets(response, page_url):
                try:
                    name = resolve(path).view_name
                except Resolver404:
                    continue
                # the matrix's own object, or one it does not know (e.g. this week's review)
                if name in ROWS and _aimed_at(world, name, path) != "other":
                    offered.add((method, name))
            for method, name in actions:
                if _may_use(ROWS[name], persona, method):
                    tried += 1
                    if (method, name) not in offered:
                        wrong.append(f"{page} hides {method.upper()} {name} from {persona}")
    assert not wrong, "\n".join(wrong)
    assert tried
