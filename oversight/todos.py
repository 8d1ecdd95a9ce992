"""The organization department's to-dos on the home page: the shortlist rounds with trainees
still to decide on. They follow the assessment's (the month's summary, order 10)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from camp.roles import Role
from camp.todos import Todo, register_todos

from .models import ShortlistEntry


def _shortlist_todos(request, camp) -> list[Todo]:
    rounds = (
        ShortlistEntry.objects.filter(round__camp=camp, decided_at__isnull=True)
        .values("round_id", "round__title")
        .annotate(n=Count("pk"))
        .order_by("-round__date", "-round_id")
    )
    return [
        Todo(
            label=_("进行中的比选：%(title)s") % {"title": row["round__title"]},
            detail=_("%(n)d 人待决定") % {"n": row["n"]},
            url=reverse("shortlist-detail", args=[row["round_id"]]),
            count=row["n"],
        )
        for row in rounds
    ]


def register() -> None:
    register_todos(roles={Role.ORGDEPT}, order=11, items=_shortlist_todos)
