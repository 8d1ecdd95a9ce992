"""List pages answer in a fixed number of queries, however much the year holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.services.leave import leave_request
from tests.factories import InstructorFactory, SessionFactory, TraineeFactory


def _grow(cast, year):
    """More sessions, instructors and trainees: the counts below must not move."""
    for day in year.days[6:10]:
        session = SessionFactory(training_day=day)
        session.instructors.add(InstructorFactory(), InstructorFactory(source="industry"))
    for _ in range(3):
        TraineeFactory(camp=cast.camp, group=cast.group_1)


def _count(client, url):
    client.get(url)  # the first visit writes the session (and a feed token): not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "name",
    [
        "curriculum-calendar",
        "curriculum-attendance",
        "curriculum-leave",
        "curriculum-plan",
        "curriculum-instructors",
        "curriculum-research",
        "curriculum-chief-projects",
        "curriculum-task-forces",
        "curriculum-talks",
        "curriculum-evaluations",
    ],
)
def test_list_pages_do_not_grow_with_the_data(client, cast, year, name):
    client.force_login(cast.staff)
    url = reverse(name, args=[cast.camp.code])
    before, _sql = _count(client, url)
    _grow(cast, year)
    after, sql = _count(client, url)
    assert after == before, "\n".join(sql)


# Every page pays 3 for the login and the menu (session, user, the menu's current camp); the
# session, stamped by the first visit, is not written again within the minute.
def test_the_calendar_in_a_pinned_number_of_queries(client, cast, year, django_assert_num_queries):
    client.force_login(cast.staff)
    url = reverse("curriculum-calendar", args=[cast.camp.code])
    _grow(cast, year)
    client.get(url)
    # 3 login and menu; 1 camp by code; 2 training days and their sessions (with kind,
    # group and day joined); 1 those sessions' instructors; 1 the entered official
    # arrangements of the year (what each day is held on); 1 sessions off the training days.
    # The month filter and the page of days work on the days already read: no query.
    with django_assert_num_queries(9):
        client.get(url)


def test_attendance_rates_in_a_pinned_number_of_queries(
    client, cast, year, django_assert_num_queries
):
    client.force_login(cast.staff)
    url = reverse("curriculum-attendance", args=[cast.camp.code])
    _grow(cast, year)
    client.get(url)
    # 3 login and menu; 1 camp by code; 1 training-day count (the 1/7 limit);
    # 1 unexcused absences; 1 trainees over the leave limit; 3 rates per group, day and trainee,
    # each one GROUP BY query; 1 the class's pooled rate (one aggregate, added with 全班);
    # 1 the filters' group choices (the per-trainee lines filter by name, group and month).
    with django_assert_num_queries(12):
        client.get(url)


def test_the_leave_list_in_a_pinned_number_of_queries(
    client, cast, year, django_assert_num_queries
):
    client.force_login(cast.staff)
    url = reverse("curriculum-leave", args=[cast.camp.code])
    _grow(cast, year)
    day = year.days[10]
    pending = [(cast.trainee_in_group_1, "单位值班"), (cast.trainee_in_group_2, "家中有事")]
    for trainee, reason in pending:
        leave_request(trainee=trainee, training_day=day, half_day="", reason=reason, by=cast.staff)
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.days[11],
        half_day="",
        reason="外出调研",
        by=cast.staff,
        approve=True,
    )
    client.get(url)
    # 3 login and menu; 1 camp by code; 3 the form to enter leave on a trainee's
    # behalf: its trainees with person and group, the camp's days for the first day and again
    # for the last day of a multi-day leave; 1 pending requests, with trainee, person, group,
    # first and last day and decider joined; 1 the filters' group choices; 2 one page of the
    # decided requests: their count, then the page, joined as the pending ones; 2 their
    # approval steps (who holds a pending one), one prefetch per list.
    with django_assert_num_queries(13):
        response = client.get(url)
    page = response.content.decode()
    assert all(reason in page for reason in ("单位值班", "家中有事", "外出调研"))


def test_my_schedule_in_a_fixed_number_of_queries(client, cast, year):
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-my-schedule")
    before, _sql = _count(client, url)
    _grow(cast, year)
    after, sql = _count(client, url)
    assert after == before, "\n".join(sql)
