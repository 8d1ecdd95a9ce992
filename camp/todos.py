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

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache

from .access import has_role


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
# always computes afresh (and stores what it found), so the count lags at most this far behind
# work done elsewhere, while an ordinary page costs no query for it.
MENU_COUNT_TIMEOUT = 60


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
    cache.set(_count_key(request.user, camp), todos.open_count, MENU_COUNT_TIMEOUT)
    return todos


def _count_key(user, camp) -> str:
    return f"camp-todos:{user.pk}:{getattr(camp, 'pk', None)}"


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
        count = cache.get(_count_key(user, camp))
    if count is None:
        count = _computed(request, camp, figures=False).open_count
    request._camp_todo_count = count
    return count
