"""The main pages through the test client (time and query count) against their floors.

A page is measured only if its URL name exists: pages that have not landed in the app yet are
reported as missing, never timed as something else. Each floor is a minimal Django view (mounted
by bench/urls.py next to the app's URLs, so the request goes through the same middleware) that
returns the page's rows as plain text from one or two queries.
"""

from __future__ import annotations

import datetime
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, path, reverse

SEARCH_PAGE_SIZE = 20


@dataclass
class Personas:
    """The users and objects the pages are asked for: a camp (B001 unless asked), its group 1."""

    staff: object
    orgdept: object
    counselor: object
    trainee_user: object
    camp: object
    group: object
    trainee: object
    search_term: str
    month: datetime.date


def personas(month: datetime.date, code: str = "B001") -> Personas:
    from camp.models import Camp, User
    from trainees.models import StudyGroup, Trainee

    camp = Camp.objects.get(code=code)
    group = StudyGroup.objects.select_related("counselor__user").get(camp=camp, number=1)
    trainee = (
        Trainee.objects.active()
        .filter(group=group)
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    return Personas(
        staff=User.objects.get(username="bench-staff"),
        orgdept=User.objects.get(username="bench-orgdept"),
        counselor=group.counselor.user,
        trainee_user=trainee.person.user,
        camp=camp,
        group=group,
        trainee=trainee,
        # A common surname: the search returns many pages across every camp.
        search_term="王",
        month=month,
    )


@dataclass
class Page:
    label: str
    url_names: tuple[str, ...]  # the first that resolves is used
    who: str  # attribute of Personas
    args: Callable[[Personas], list]
    query: Callable[[Personas], dict]
    floor: str  # URL name of the floor view


PAGES = [
    Page(
        "class ranking",
        ("assessment-ranking",),
        "staff",
        lambda p: [p.camp.code],
        lambda p: {},
        "floor-ranking",
    ),
    Page(
        "group dashboard",
        ("assessment-group-scores",),
        "counselor",
        lambda p: [p.group.pk],
        lambda p: {},
        "floor-group",
    ),
    Page(
        "trainee's scores",
        ("assessment-trainee-scores",),
        "trainee_user",
        lambda p: [p.trainee.pk],
        lambda p: {},
        "floor-scores",
    ),
    Page("roster", ("roster",), "staff", lambda p: [p.camp.code], lambda p: {}, "floor-roster"),
    Page(
        "orgdept trainee search",
        ("trainee-search", "orgdept-search", "person-search", "search"),
        "orgdept",
        lambda p: [],
        lambda p: {"q": p.search_term, "page": 2},
        "floor-search",
    ),
]


def resolve(page: Page, people: Personas) -> str | None:
    for name in page.url_names:
        for args in (page.args(people), []):
            try:
                return reverse(name, args=args)
            except NoReverseMatch:
                continue
    return None


def _timed(client, url: str, query: dict, runs: int, *, cold: bool = False) -> dict:
    """Median time and queries of `runs` requests after a warm-up; `cold` empties the cache
    before each, as the first reader after a change to the camp's scores finds it."""
    from django.core.cache import cache

    response = client.get(url, query)  # warm: templates compiled, caches filled
    times, counts = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, query)
            times.append(time.perf_counter() - started)
        counts.append(len(queries))
    return {
        "status": response.status_code,
        "ms": statistics.median(times) * 1000,
        "queries": statistics.median(counts),
        "bytes": len(response.content),
    }


def measure_pages(month: datetime.date, runs: int = 5) -> list[dict]:
    from django.test import Client
    from django.test.utils import override_settings

    people = personas(month)
    results = []
    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        for page in PAGES:
            client = Client()
            client.force_login(getattr(people, page.who))
            row = {"page": page.label, "as": page.who}
            url = resolve(page, people)
            if url is None:
                row["missing"] = True
                results.append(row)
                continue
            row["url"] = url
            row["app"] = _timed(client, url, page.query(people), runs)
            row["app_cold"] = _timed(client, url, page.query(people), runs, cold=True)
            floor_url = reverse(page.floor, args=page.args(people) if page.args(people) else [])
            row["floor"] = _timed(client, floor_url, page.query(people), runs)
            results.append(row)
    return results


# The floor views ---------------------------------------------------------------------------------


def _text(rows) -> HttpResponse:
    return HttpResponse(
        "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows),
        content_type="text/plain; charset=utf-8",
    )


def _live(camp_id: int) -> list[tuple]:
    from django.utils import timezone

    from .floors import live_scores

    return live_scores(camp_id=camp_id, as_of=timezone.localdate())


def floor_ranking(request, code):
    """The live class ranking: one statement for the scores, one for the names."""
    from camp.models import Camp
    from trainees.models import Trainee

    camp = Camp.objects.get(code=code)
    names = dict(Trainee.objects.filter(camp=camp).values_list("pk", "person__name").order_by())
    rows = sorted(_live(camp.pk), key=lambda row: (row[9] is None, row[9] or 0, row[0]))
    return _text([(row[9], names[row[0]], row[1], row[7], row[8], row[10]) for row in rows])


def floor_group(request, pk):
    """The group's active members with their live totals and the group and class averages."""
    from trainees.models import StudyGroup, Trainee

    group = StudyGroup.objects.get(pk=pk)
    members = dict(Trainee.objects.active().filter(group=group).values_list("pk", "person__name"))
    return _text(
        (members[row[0]], row[7], row[8], row[9], row[10], row[11])
        for row in _live(group.camp_id)
        if row[0] in members
    )


def floor_scores(request, pk):
    """The trainee's 26 live item scores and rank, their entries, and their monthly lines."""
    from assessment.models import MonthlySummaryRow, ScoreEntry
    from trainees.models import Trainee

    trainee = Trainee.objects.get(pk=pk)
    mine = next(row for row in _live(trainee.camp_id) if row[0] == trainee.pk)
    entries = (
        ScoreEntry.objects.filter(trainee_id=pk)
        .order_by("-date", "-pk")
        .values_list("date", "item__number", "item__name", "points", "reason")
    )
    months = MonthlySummaryRow.objects.filter(trainee_id=pk).order_by("month")
    return _text(
        [
            *sorted(json.loads(mine[3]).items(), key=lambda pair: int(pair[0])),
            mine[4:10],
            *entries,
            *months.values_list("month", "total", "class_rank", "group_rank"),
        ]
    )


def floor_roster(request, code):
    from trainees.models import Trainee

    return _text(
        Trainee.objects.filter(camp__code=code)
        .order_by("status", "group__number", "person__name", "pk")
        .values_list(
            "person__name",
            "person__gender",
            "person__unit",
            "person__position",
            "person__phone",
            "group__number",
            "status",
            "post",
        )[:300]
    )


def floor_search(request):
    from trainees.models import Trainee

    page = int(request.GET.get("page", 1))
    start = (page - 1) * SEARCH_PAGE_SIZE
    matches = Trainee.objects.filter(person__name__contains=request.GET.get("q", ""))
    return _text(
        [
            (matches.count(),),
            *matches.order_by("person__name", "pk").values_list(
                "person__name", "person__unit", "camp__code", "group__number", "status"
            )[start : start + SEARCH_PAGE_SIZE],
        ]
    )


floor_urlpatterns = [
    path("bench-floor/ranking/<str:code>/", floor_ranking, name="floor-ranking"),
    path("bench-floor/group/<int:pk>/", floor_group, name="floor-group"),
    path("bench-floor/scores/<int:pk>/", floor_scores, name="floor-scores"),
    path("bench-floor/roster/<str:code>/", floor_roster, name="floor-roster"),
    path("bench-floor/search/", floor_search, name="floor-search"),
]
