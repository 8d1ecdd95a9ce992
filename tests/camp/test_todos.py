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
