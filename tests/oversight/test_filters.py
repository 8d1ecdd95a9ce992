"""The organization department's lists find things (oversight/filters.py): the interviews and
the tracked trainees page, sort and filter by group, category, month and a name typed in full,
as a fragment or as pinyin initials, all in the URL."""

import datetime

import pytest
from django.urls import reverse

from oversight.models import InspectionNote, Interview, InterviewCategory, TrackedTrainee
from tests.factories import PersonFactory, TraineeFactory
from tests.personas import log_in_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(cast):
    return TraineeFactory(camp=cast.camp, group=cast.group_2, person=PersonFactory(name="张华生"))


def interview(cast, trainee, date, category=None):
    return Interview.objects.create(
        trainee=trainee,
        category=category or InterviewCategory.objects.first(),
        date=date,
        interviewers="组织部",
        notes="……",
        author=cast.orgdept,
    )


def names(response, key="listing"):
    return [row.trainee.person.name for row in response.context[key].rows]


def test_the_interview_list_filters_by_initials_group_category_and_month(client, cast, zhang):
    growth, duty = InterviewCategory.objects.all()[:2]
    interview(cast, zhang, datetime.date(2026, 3, 5), growth)
    interview(cast, zhang, datetime.date(2026, 4, 2), duty)
    interview(cast, cast.trainee_in_group_1, datetime.date(2026, 3, 9), growth)
    log_in_as(client, cast.orgdept)
    url = reverse("interview-list", args=["2026"])
    assert len(client.get(url).context["listing"].rows) == 3
    assert names(client.get(url, {"q": "zhs"})) == ["张华生", "张华生"]
    assert names(client.get(url, {"q": "华生"})) == ["张华生", "张华生"]
    assert names(client.get(url, {"group": cast.group_1.pk})) == [
        cast.trainee_in_group_1.person.name
    ]
    by_category = client.get(url, {"category": duty.pk}).context["listing"].rows
    assert [i.date for i in by_category] == [datetime.date(2026, 4, 2)]
    march = client.get(url, {"month": "2026-03", "q": "zhs"}).context["listing"].rows
    assert [i.date for i in march] == [datetime.date(2026, 3, 5)]


def test_an_interview_list_link_shows_the_same_view(client, cast, zhang):
    for day in range(1, 4):
        interview(cast, zhang, datetime.date(2026, 3, day))
    interview(cast, cast.trainee_in_group_1, datetime.date(2026, 3, 9))
    log_in_as(client, cast.staff)
    url = reverse("interview-list", args=["2026"])
    page = client.get(url, {"q": "zhs", "sort": "date", "per": "25"})
    body = page.content.decode()
    # The form keeps what was typed, so the next click (or a shared link) asks the same.
    assert 'value="zhs"' in body
    assert [i.date.day for i in page.context["listing"].rows] == [1, 2, 3]
    again = client.get(f"{url}?q=zhs&sort=date&per=25")
    assert [i.pk for i in again.context["listing"].rows] == [
        i.pk for i in page.context["listing"].rows
    ]


def test_the_interview_list_pages_and_a_bad_month_says_so(client, cast, zhang):
    for day in range(1, 28):
        interview(cast, zhang, datetime.date(2026, 3, day))
    log_in_as(client, cast.orgdept)
    url = reverse("interview-list", args=["2026"])
    first = client.get(url).context["listing"]
    assert (first.count, len(first.rows), first.page.paginator.num_pages) == (27, 25, 2)
    second = client.get(url, {"page": 2}).context["listing"]
    assert len(second.rows) == 2
    bad = client.get(url, {"month": "2026-13"})
    assert bad.status_code == 200
    assert bad.context["listing"].filters.form.errors["month"]


def test_the_interview_list_runs_in_a_fixed_number_of_queries(
    client, cast, zhang, django_assert_num_queries
):
    for day in range(1, 11):
        interview(cast, zhang, datetime.date(2026, 3, day))
    interview(cast, cast.trainee_in_group_1, datetime.date(2026, 3, 20))
    log_in_as(client, cast.orgdept)
    url = reverse("interview-list", args=["2026"])
    # session, user, camp, the page's count, one page of interviews with trainee/person/group/
    # category/author, the filter's categories and groups (its selects), the category badges,
    # the menu's current camp, and the idle-timeout session save (savepoint, update, release)
    # + 2 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): the
    # latest published month, the undecided shortlist entries by round.
    with django_assert_num_queries(14):
        response = client.get(url, {"q": "zhs"})
    assert response.content.decode().count('data-testid="interview-row"') == 10


def test_the_tracking_list_filters_by_initials_group_and_month(client, cast, zhang):
    TrackedTrainee.objects.create(trainee=zhang, marked_by=cast.orgdept, reason="重点培养")
    TrackedTrainee.objects.create(trainee=cast.trainee_in_group_1, marked_by=cast.orgdept)
    InspectionNote.objects.create(
        trainee=zhang,
        date=datetime.date(2026, 3, 3),
        occasion="现场教学",
        observation="发言有见地",
        author=cast.orgdept,
    )
    InspectionNote.objects.create(
        trainee=cast.trainee_in_group_1,
        date=datetime.date(2026, 3, 4),
        occasion="小组讨论",
        observation="准备充分",
        author=cast.orgdept,
    )
    log_in_as(client, cast.leader)
    url = reverse("tracking-list", args=["2026"])
    assert len(client.get(url).context["listing"].rows) == 2
    found = client.get(url, {"q": "zhs"})
    assert names(found) == ["张华生"]
    # The notes below follow the same filters.
    assert [n.trainee.person.name for n in found.context["notes"]] == ["张华生"]
    assert names(client.get(url, {"group": cast.group_1.pk})) == [
        cast.trainee_in_group_1.person.name
    ]
    marked = TrackedTrainee.objects.get(trainee=zhang).marked_at
    other_month = "2025-01" if marked.year != 2025 else "2024-01"
    assert names(client.get(url, {"month": f"{marked:%Y-%m}", "q": "华生"})) == ["张华生"]
    assert names(client.get(url, {"month": other_month})) == []
    assert "没有符合筛选条件的学员" in client.get(url, {"month": other_month}).content.decode()
