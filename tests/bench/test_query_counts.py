"""Issue 7: the main pages run the same number of queries at any size. Each page is pinned at
two sizes of camp (6 and 30 extra trainees with entries and a published month), so a query per
row (N+1) fails here instead of in production."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessment.models import AssessmentItem, ScoreEntry
from assessment.services.summaries import monthly_summary_compute

from ..factories import TraineeFactory

SIZES = (6, 30)
TODAY = datetime.date(2026, 11, 27)


def build_camp(cast, size: int) -> list:
    """`size` more trainees over groups 1 and 2, each with entries on three kinds of item, and
    October's summary published. Returns the new trainees."""
    items = {item.number: item for item in AssessmentItem.objects.filter(scheme__camp=cast.camp)}
    groups = [cast.group_1, cast.group_2]
    entries, trainees = [], []
    for index in range(size):
        trainee = TraineeFactory(camp=cast.camp, group=groups[index % 2])
        trainees.append(trainee)
        for number, points in ((3, "8.5"), (17, "1.0"), (2, "0.5")):
            entries.append(
                ScoreEntry(
                    trainee=trainee,
                    item=items[number],
                    points=Decimal(points),
                    date=datetime.date(2026, 10, 10),
                )
            )
    ScoreEntry.objects.bulk_create(entries)
    monthly_summary_compute(camp=cast.camp, month=datetime.date(2026, 10, 1))
    return trainees


def assert_shows_the_camp(page: str, cast, response, trainees) -> None:
    """The page shows the data it was built with, so a count from an empty page cannot pass."""
    html = response.content.decode()
    names = [t.person.name for t in trainees]
    in_group_1 = [t.person.name for t in trainees if t.group_id == cast.group_1.pk]
    if page in ("class ranking", "roster"):
        assert all(name in html for name in names)
    elif page == "group dashboard":
        assert all(name in html for name in in_group_1)
    elif page == "trainee's scores":
        assert response.context["score"] is not None
        assert cast.trainee_in_group_1.person.name in html
    else:
        assert any(name in html for name in names)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


# A standing computed cold also looks for the camp's kept standing (camp/camp_cache.py; none in a
# new database), reads the camp's database version to keep it under, and keeps it: 3 queries
# around scores_as_of's 4.
KEEP = 3

# The count is the same at every size; each query is named once. The last three of every page
# are the session's save (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release).
SESSION = 3
LOGIN = 2  # session, user
# The menu's to-do count on a cold cache (camp/todos.py), which it then keeps for a minute: staff:
# pending leave, roll calls not closed, unverified training days, summarised months, failed summary
# runs and exports; a counselor: their groups, reviews written, first training day, the scheme's
# items and those they record, members per group, filled cells (one GROUP BY), the grading inbox
# (their items (2), their groups, the count), members without a recent talk; a trainee: the trainee,
# sessions to rate or check in to, their attendance, leave to close, items taking submissions, their
# submissions, the conduct code (standing shared with the page's cache); orgdept: the latest
# published month, undecided shortlist entries by round.
MENU_TODOS = {"staff": 6, "counselor_1": 11, "trainee_1": 6, "orgdept": 2}

PAGES = {
    "roster": (
        "staff",
        lambda cast: reverse("roster", args=[cast.camp.code]),
        # camp, trainees with person/group/counselor/candidate, their 学时 (curriculum's roster
        # column), headcount, the navigation's current camp, the groups of the filter
        LOGIN + 6 + SESSION + MENU_TODOS["staff"],
    ),
    "class ranking": (
        "staff",
        lambda cast: reverse("assessment-ranking", args=[cast.camp.code]),
        # camp; scores_as_of: items, first training day, entry aggregates, trainees; the
        # trainees with person and group; the groups; the navigation's current camp
        LOGIN + 8 + KEEP + SESSION + MENU_TODOS["staff"],
    ),
    "group dashboard": (
        "counselor_1",
        lambda cast: reverse("assessment-group-scores", args=[cast.group_1.pk]),
        # group with camp and counselor, the counselor's groups; scores_as_of (4); members;
        # counselor monthly items; entries recorded this month; weekly reviews written, the
        # first training day for the missing weeks, this week's review; the navigation's
        # counselor and group
        LOGIN + 14 + KEEP + SESSION + MENU_TODOS["counselor_1"],
    ),
    "trainee's scores": (
        "trainee_1",
        lambda cast: reverse("assessment-trainee-scores", args=[cast.trainee_in_group_1.pk]),
        # trainee with camp/group/person; the scheme's items; scores_as_of (4); the monthly
        # trend; whether a final graduation appraisal exists (its link); the navigation's
        # person and trainee; the entries with item and recorder
        LOGIN + 11 + KEEP + SESSION + MENU_TODOS["trainee_1"],
    ),
    "orgdept trainee search": (
        "orgdept",
        # Every camp's trainees whose name, unit or position holds the term (the generated
        # names are 学员NNN), 20 to a page.
        lambda cast: reverse("trainee-search") + "?" + urlencode({"q": "学员"}),
        # the camps of the filter; the count; the page's trainees with person, camp and group;
        # the navigation's current camp
        LOGIN + 4 + SESSION + MENU_TODOS["orgdept"],
    ),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("size", SIZES)
def test_a_main_page_runs_the_same_queries_at_any_size(
    client, cast, fixed_today, django_assert_num_queries, page, size
):
    trainees = build_camp(cast, size)
    persona, url, expected = PAGES[page]
    client.force_login(getattr(cast, persona))
    with django_assert_num_queries(expected):
        response = client.get(url(cast))
    assert response.status_code == 200
    assert response.content.count(b"\n") > 20
    assert_shows_the_camp(page, cast, response, trainees)


# scores_as_of's four queries (items, first training day, trainees, entry aggregates), which a
# score page skips while the camp's standing is cached.
STANDING = 4
SCORE_PAGES = ("class ranking", "group dashboard", "trainee's scores")


@pytest.mark.parametrize("page", SCORE_PAGES)
@pytest.mark.parametrize("size", SIZES)
def test_a_score_page_reads_the_cached_standing_at_any_size(
    client, cast, fixed_today, django_assert_num_queries, page, size
):
    trainees = build_camp(cast, size)
    persona, url, expected = PAGES[page]
    client.force_login(getattr(cast, persona))
    client.get(url(cast))  # computes and caches the camp's standing, stamps the session
    # Neither the standing nor, within its refresh interval, the session write again; nor the
    # menu's to-do count, kept from the first request.
    with django_assert_num_queries(expected - STANDING - KEEP - SESSION - MENU_TODOS[persona]):
        response = client.get(url(cast))
    assert response.status_code == 200
    assert response.content.count(b"\n") > 20
    assert_shows_the_camp(page, cast, response, trainees)


@pytest.mark.parametrize("page", SCORE_PAGES)
def test_after_the_cache_is_emptied_a_score_page_reads_the_kept_standing(
    client, cast, fixed_today, django_assert_num_queries, page
):
    """A deploy or a Redis restart empties the cache: the camp's standing, unchanged since, is
    read from the database in one query instead of computed again."""
    trainees = build_camp(cast, SIZES[0])
    persona, url, expected = PAGES[page]
    client.force_login(getattr(cast, persona))
    client.get(url(cast))  # computes the standing, caches and keeps it, stamps the session
    cache.clear()
    # The kept standing with the camp's version, in one query; the menu's to-do count again.
    with django_assert_num_queries(expected - STANDING - KEEP + 1 - SESSION):
        response = client.get(url(cast))
    assert response.status_code == 200
    assert_shows_the_camp(page, cast, response, trainees)
