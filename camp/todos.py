"""The 待办 (to-do) list on every role's home page, and its count in the menu.

A to-do is open work computed from the data: a check-in open now, a leave to close, a weekly
review to write. It links to the page where the work is done and disappears once it is. camp
cannot import the apps that know the work, so each contributes from AppConfig.ready():

    register_todos(roles={Role.TRAINEE}, order=20, items=lambda request, camp: [...])

`items` returns Todo objects (or nothing). The role's main task comes first (`main=True`),
then the rest by the source's order. Figures that are not work (a trainee's current total and
rank) come from the source's `figures`, marked `open=False`: they are shown on the home page
and neither counted nor computed for the menu's badge (a trainee's figures read the camp's
standing, which the badge on every other page has no use for).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache

from .access import has_role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    detail: str = ""
    main: bool = False
    open: bool = True
    count: int | None = None


@dataclass(frozen=True)
class TodoSource:
    roles: frozenset[str]
    order: int
    items: Callable
    figures: Callable | None = None


class TodoList(list):
    """The to-dos, main tasks first; `open_count` is what the menu counts."""

    @property
    def open_count(self) -> int:
        return sum(1 for todo in self if todo.open)


TODO_SOURCES: list[TodoSource] = []

# The menu's count on pages other than the home is read from here for this long: the home page
# always computes afresh (and stores what it found), and the user's own writes drop it (see
# `todos_touched`), so the count lags only behind work done by others or a window opening on
# the clock, and by this much at most, while an ordinary page costs no query for it. Computing
# it runs every source's queries (six to eleven), and a training Saturday's users come back to
# a page about once a minute: a minute's keeping recomputed it on nearly every page.
MENU_COUNT_TIMEOUT = 300


def register_todos(
    *, roles: Iterable[str], order: int, items: Callable, figures: Callable | None = None
) -> None:
    source = TodoSource(roles=frozenset(roles), order=order, items=items, figures=figures)
    if source not in TODO_SOURCES:
        TODO_SOURCES.append(source)


def todos_for(request, camp) -> TodoList:
    """This user's to-do list in this camp, main tasks first. Computed once per request."""
    cached = getattr(request, "_camp_todos", None)
    if cached is not None and cached[0] == getattr(camp, "pk", None):
        return cached[1]
    todos = _computed(request, camp, figures=True)
    request._camp_todos = (getattr(camp, "pk", None), todos)
    return todos


def _computed(request, camp, *, figures: bool) -> TodoList:
    todos = TodoList()
    if camp is not None:
        for source in sorted(TODO_SOURCES, key=lambda s: s.order):
            if has_role(request.user, *source.roles):
                todos.extend(source.items(request, camp) or ())
                if figures and source.figures is not None:
                    todos.extend(source.figures(request, camp) or ())
    todos.sort(key=lambda todo: not todo.main)  # stable: the sources' order within each part
    try:
        cache.set(
            _count_key(request.user, camp), (todos.open_count, time.time()), MENU_COUNT_TIMEOUT
        )
    except Exception:
        logger.warning("cache unavailable; the to-do count is not kept", exc_info=True)
    return todos


def _count_key(user, camp) -> str:
    return f"camp-todos:{user.pk}:{getattr(camp, 'pk', None)}"


def _touched_key(user) -> str:
    return f"camp-todos-touched:{user.pk}"


def todos_touched(user) -> None:
    """The user has just written something (camp.middleware.TodoCountMiddleware: any POST that
    did not fail): a count kept before now may miss that they did the work, in any camp."""
    try:
        cache.set(_touched_key(user), time.time(), MENU_COUNT_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable; the to-do count may lag", exc_info=True)


def _kept_count(user, camp) -> int | None:
    """The count kept for the menu, unless the user has written something since."""
    key = _count_key(user, camp)
    try:
        kept = cache.get_many([key, _touched_key(user)])
    except Exception:
        logger.warning("cache unavailable; computing the to-do count", exc_info=True)
        return None
    count, computed_at = kept.get(key) or (None, 0.0)
    if count is None or computed_at <= kept.get(_touched_key(user), 0.0):
        return None
    return count


def open_todo_count(request, camp) -> int:
    """The number of open to-dos, for the menu badge: this request's list if the page computed
    it, else the count cached from the last computation (no query), else computed now."""
    user = request.user
    if not user.is_authenticated:
        return 0
    cached = getattr(request, "_camp_todos", None)
    if cached is not None and cached[0] == getattr(camp, "pk", None):
        return cached[1].open_count
    count = getattr(request, "_camp_todo_count", None)
    if count is None:
        count = _kept_count(user, camp)
    if count is None:
        count = _computed(request, camp, figures=False).open_count
    request._camp_todo_count = count
    return count
