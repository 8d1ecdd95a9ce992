"""The to-do registry: each role gets its own sources' items, main tasks first, computed once
per request; the menu's count is the open items only."""

from django.test import RequestFactory

from camp import todos as registry
from camp.todos import Todo, open_todo_count, register_todos, todos_for


def test_a_roles_main_tasks_come_first_and_figures_are_not_counted(cast, monkeypatch):
    monkeypatch.setattr(registry, "TODO_SOURCES", [])
    calls = []

    def staff_items(request, camp):
        calls.append(camp.pk)
        return [
            Todo(label="次要", url="/a/"),
            Todo(label="数字", url="/b/", open=False),
            Todo(label="主要", url="/c/", main=True),
        ]

    register_todos(roles={"staff"}, order=10, items=staff_items)
    register_todos(roles={"leader"}, order=5, items=lambda r, c: [Todo(label="领导", url="/")])
    request = RequestFactory().get("/")
    request.user = cast.staff
    todos = todos_for(request, cast.camp)
    assert [t.label for t in todos] == ["主要", "次要", "数字"]
    assert todos.open_count == 2
    assert open_todo_count(request, cast.camp) == 2
    todos_for(request, cast.camp)
    assert calls == [cast.camp.pk]  # once per request


def test_the_menus_count_never_computes_the_figures(cast, monkeypatch):
    monkeypatch.setattr(registry, "TODO_SOURCES", [])
    figured = []

    def figures(request, camp):
        figured.append(camp.pk)
        return [Todo(label="当前总分", url="/s/", open=False)]

    register_todos(
        roles={"staff"}, order=10, items=lambda r, c: [Todo(label="待办", url="/")], figures=figures
    )
    request = RequestFactory().get("/")
    request.user = cast.staff
    assert open_todo_count(request, cast.camp) == 1
    assert figured == []
    # The home page shows them after the source's items.
    home = RequestFactory().get("/")
    home.user = cast.staff
    assert [t.label for t in todos_for(home, cast.camp)] == ["待办", "当前总分"]
    assert figured == [cast.camp.pk]


def _counting_source(monkeypatch, open_items: list) -> list:
    """A staff source whose open items are `open_items`' current length; returns its calls."""
    monkeypatch.setattr(registry, "TODO_SOURCES", [])
    calls = []

    def items(request, camp):
        calls.append(request.method)
        return [Todo(label=f"待办{n}", url="/") for n in range(len(open_items))]

    register_todos(roles={"staff"}, order=10, items=items)
    return calls


def _badge(client) -> str:
    page = client.get("/notifications/").content.decode()
    return page.split("data-menu-todos", 1)[1].split("</span>", 1)[0].rsplit(">", 1)[1]


def test_the_menus_count_is_kept_between_a_users_pages(client, cast, monkeypatch):
    work = ["a", "b"]
    calls = _counting_source(monkeypatch, work)
    client.force_login(cast.staff)
    assert _badge(client) == "2"
    work.append("c")  # work done by someone else shows within MENU_COUNT_TIMEOUT, not at once
    assert _badge(client) == "2"
    assert calls == ["GET"]


def test_a_users_own_write_drops_their_kept_count(client, cast, monkeypatch):
    work = ["a", "b"]
    calls = _counting_source(monkeypatch, work)
    client.force_login(cast.staff)
    assert _badge(client) == "2"
    work.pop()
    # Any write of theirs that did not fail: here, marking their notifications read.
    response = client.post("/notifications/read-all/")
    assert response.status_code < 400
    assert _badge(client) == "1"
    assert calls == ["GET", "GET"]


def test_a_refused_write_keeps_the_count(client, cast, monkeypatch):
    calls = _counting_source(monkeypatch, ["a"])
    client.force_login(cast.staff)
    _badge(client)
    assert client.post("/camps/NOPE/ranking/").status_code == 404
    _badge(client)
    assert calls == ["GET"]


def test_the_count_is_computed_live_when_the_cache_is_down(client, cast, monkeypatch):
    from tests.camp.test_camp_cache import Broken

    calls = _counting_source(monkeypatch, ["a", "b", "c"])
    client.force_login(cast.staff)
    monkeypatch.setattr("camp.todos.cache", Broken())
    assert _badge(client) == "3"
    assert client.post("/notifications/read-all/").status_code < 400
    assert _badge(client) == "3"
    assert len(calls) == 2
