"""The trainees app's to-dos (camp/todos.py): a trainee's missing conduct code.

`request_trainee` is the logged-in trainee in a camp, looked up once per request: every app's
to-dos for a trainee start from it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from camp.roles import Role
from camp.todos import Todo, register_todos

from .access import trainee_for_user
from .models import ConductCode


def request_trainee(request, camp):
    key = ("_todo_trainee", camp.pk)
    cached = getattr(request, "_todo_trainee", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    trainee = trainee_for_user(request.user, camp)
    request._todo_trainee = (key, trainee)
    return trainee


def conduct_code_todos(request, camp):
    trainee = request_trainee(request, camp)
    if trainee is None or ConductCode.objects.filter(trainee=trainee).exists():
        return []
    return [
        Todo(
            label=_("填写个人修养要则"),
            detail=_("尚未填写，请写下自己的个人修养要则。"),
            url=reverse("conduct-mine", args=[camp.code]),
        )
    ]


def register() -> None:
    register_todos(roles={Role.TRAINEE}, order=60, items=conduct_code_todos)
