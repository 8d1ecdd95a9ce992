"""The talks list pages, sorts and filters through its URL: group, month and the trainee's name
in full, as a fragment or as pinyin initials."""

import datetime

import pytest
from django.urls import reverse

from curriculum.models import ChiefProject, Talk
from tests.factories import PersonFactory, TraineeFactory


@pytest.fixture
def talks(cast):
    """30 talks in group 1 in March (one with 张华生), 2 in group 2 in April."""
    zhang = TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="张华生"))
    rows = [
        Talk(
            trainee=zhang if n == 0 else cast.trainee_in_group_1,
            group=cast.group_1,
            counselor=cast.counselor_of_group_1,
            held_on=datetime.date(2026, 3, 1 + n % 28),
            topics=f"三月主题{n:02d}",
            summary="……",
        )
        for n in range(30)
    ]
    rows += [
        Talk(
            trainee=cast.trainee_in_group_2,
            group=cast.group_2,
            counselor=cast.counselor_of_group_2,
            held_on=datetime.date(2026, 4, 2 + n),
            topics=f"四月主题{n}",
            summary="……",
        )
        for n in range(2)
    ]
    Talk.objects.bulk_create(rows)
    return rows


def _get(client, cast, **params):
    client.force_login(cast.staff)
    return client.get(reverse("curriculum-talks", args=[cast.camp.code]), params)


def _topics(response):
    return [t.topics for t in response.context["listing"].rows]


def test_it_pages_the_talks_25_at_a_time_by_default(client, cast, talks):
    first = _get(client, cast)
    assert len(_topics(first)) == 25
    assert first.context["listing"].count == 32
    second = _get(client, cast, page=2)
    assert len(_topics(second)) == 7
    assert not set(_topics(first)) & set(_topics(second))


def test_it_shows_50_or_100_a_page_when_asked_and_25_for_any_other_size(client, cast, talks):
    assert len(_topics(_get(client, cast, per=50))) == 32
    assert _get(client, cast, per=7).context["listing"].per_page == 25


def test_a_page_past_the_end_shows_the_last_page(client, cast, talks):
    response = _get(client, cast, page=99)
    assert response.status_code == 200
    assert response.context["listing"].page.number == 2


@pytest.mark.parametrize("typed", ["张华生", "华生", "zhs"])
def test_it_finds_a_trainees_talks_by_name_fragment_or_initials(client, cast, talks, typed):
    assert _topics(_get(client, cast, q=typed)) == ["三月主题00"]


def test_it_filters_by_group_and_month(client, cast, talks):
    assert sorted(_topics(_get(client, cast, group=cast.group_2.pk))) == ["四月主题0", "四月主题1"]
    assert len(_topics(_get(client, cast, month="2026-04"))) == 2
    assert _get(client, cast, month="2026-03").context["listing"].count == 30


def test_a_bad_month_says_so_in_chinese_and_filters_nothing_away(client, cast, talks):
    response = _get(client, cast, month="2026-13")
    assert response.status_code == 200
    assert "月份请写成 YYYY-MM" in response.content.decode()
    assert response.context["listing"].count == 32


def test_it_sorts_by_date_either_way(client, cast, talks):
    oldest_first = [
        t.held_on for t in _get(client, cast, sort="date", per=100).context["listing"].rows
    ]
    assert oldest_first == sorted(oldest_first)
    assert oldest_first[0] == datetime.date(2026, 3, 1)
    assert _topics(_get(client, cast, sort="-date"))[0] == "四月主题1"


def test_the_page_links_keep_the_filters_so_a_link_shows_the_same_view(client, cast, talks):
    page = _get(client, cast, month="2026-03", sort="date").content.decode()
    assert 'href="?month=2026-03&amp;sort=date&amp;page=2"' in page
    again = _get(client, cast, month="2026-03", sort="date", page=2)
    assert len(_topics(again)) == 5
    assert all(topic.startswith("三月") for topic in _topics(again))


def test_the_talks_list_in_a_pinned_number_of_queries(
    client, cast, talks, django_assert_num_queries
):
    client.force_login(cast.staff)
    url = reverse("curriculum-talks", args=[cast.camp.code])
    client.get(url)
    # 3 login and menu; 1 camp by code; 2 one page of talks: their count, then the page with
    # trainee, person, group and counselor joined; 1 the filters' group choices. Staff record
    # no talks, so no form and no list of trainees without a talk.
    with django_assert_num_queries(7):
        client.get(url, {"q": "zhs", "month": "2026-03"})


@pytest.fixture
def projects(cast):
    """27 chief projects in group 1, one led by 单田芳, and one in group 2."""
    shan = TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="单田芳"))
    leaders = [shan, cast.trainee_in_group_2] + [
        TraineeFactory(camp=cast.camp, group=cast.group_1) for _ in range(26)
    ]
    ChiefProject.objects.bulk_create(
        ChiefProject(trainee=t, title=f"项目{n:02d}", goal="……") for n, t in enumerate(leaders)
    )


def test_chief_projects_page_and_filter_by_group_and_initials(client, cast, projects):
    client.force_login(cast.orgdept)
    url = reverse("curriculum-chief-projects", args=[cast.camp.code])
    assert len(client.get(url).context["listing"].rows) == 25
    assert len(client.get(url, {"page": 2}).context["listing"].rows) == 3
    by_group = client.get(url, {"group": cast.group_2.pk}).context["listing"].rows
    assert [p.title for p in by_group] == ["项目01"]
    assert [p.title for p in client.get(url, {"q": "stf"}).context["listing"].rows] == ["项目00"]


def test_chief_projects_in_a_pinned_number_of_queries(
    client, cast, projects, django_assert_num_queries
):
    client.force_login(cast.staff)
    url = reverse("curriculum-chief-projects", args=[cast.camp.code])
    client.get(url)
    # 3 login and menu; 1 camp by code; 1 the group asked for, checked to be the camp's;
    # 2 one page of projects: their count, then the page with trainee, person and group
    # joined; 1 the filters' group choices.
    with django_assert_num_queries(8):
        client.get(url, {"group": cast.group_1.pk, "sort": "title"})


def test_the_calendar_pages_its_days_and_filters_them_by_month(client, cast, year):
    client.force_login(cast.staff)
    url = reverse("curriculum-calendar", args=[cast.camp.code])
    whole = client.get(url).context["listing"]
    assert whole.count == len(year.days)
    assert len(whole.rows) == min(25, len(year.days))
    march = client.get(url, {"month": "2026-03"}).context["days"]
    assert {day.date.month for day in march} == {3}
    assert datetime.date(2026, 3, 14) in {day.date for day in march}
    empty = client.get(url, {"month": "2030-01"})
    assert "这个月没有培训日。" in empty.content.decode()
    # The plan's 24 days fit one page of 25; 50 and 100 are offered too.
    assert whole.page.paginator.num_pages == 1


@pytest.fixture
def sheet_class(cast, year):
    """张华生 joins group 2, and the morning's marks so far: 张三 absent, nobody else."""
    from curriculum.services.attendance import attendance_record

    zhang = TraineeFactory(camp=cast.camp, group=cast.group_2, person=PersonFactory(name="张华生"))
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_1.pk: "absent"}, by=cast.staff
    )
    return zhang


def _sheet_names(response):
    return [trainee.person.name for trainee, _field, _label in response.context["form"].rows]


def test_a_sessions_attendance_sheet_filters_by_initials_group_and_mark_and_stays_whole(
    client, cast, year, sheet_class
):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    assert len(_sheet_names(client.get(url))) == 3
    assert _sheet_names(client.get(url, {"q": "zhs"})) == ["张华生"]
    assert sorted(_sheet_names(client.get(url, {"group": 2}))) == ["张华生", "李四"]
    assert _sheet_names(client.get(url, {"mark": "absent"})) == ["张三"]
    assert sorted(_sheet_names(client.get(url, {"mark": "unmarked"}))) == ["张华生", "李四"]
    assert _sheet_names(client.get(url, {"mark": "unmarked", "q": "ls"})) == ["李四"]
    # The group links keep the name typed, so a link shows the same sheet.
    body = client.get(url, {"q": "zhs"}).content.decode()
    assert "?q=zhs&amp;group=2" in body
    assert "data-pagination" not in body


def test_saving_a_filtered_sheet_marks_only_the_rows_shown(client, cast, year, sheet_class):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-attendance", args=[year.morning.pk])
    client.post(f"{url}?q=zhs", {"unmarked_as": "present"})
    statuses = dict(year.morning.attendances.values_list("trainee__person__name", "status"))
    assert statuses == {"张三": "absent", "张华生": "present"}


def test_the_printed_sign_in_sheet_filters_by_initials_and_group(client, cast, year, sheet_class):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-sheet", args=[year.morning.pk])
    names = lambda response: [t.person.name for t in response.context["trainees"]]  # noqa: E731
    assert len(names(client.get(url))) == 3
    assert names(client.get(url, {"q": "zhs"})) == ["张华生"]
    assert names(client.get(url, {"group": 1})) == ["张三"]


def test_the_attendance_overviews_trainee_lines_filter_but_the_rates_stay(
    client, cast, year, sheet_class, clock
):
    from curriculum.services.attendance import attendance_record

    clock.at(datetime.datetime(2026, 3, 20, 12, 0))  # after the session: its rates count
    attendance_record(session=year.morning, marks={sheet_class.pk: "present"}, by=cast.staff)
    client.force_login(cast.staff)
    url = reverse("curriculum-attendance", args=[cast.camp.code])
    lines = lambda response: [r["trainee__person__name"] for r in response.context["by_trainee"]]  # noqa: E731
    whole = client.get(url)
    assert sorted(lines(whole)) == ["张三", "张华生"]
    found = client.get(url, {"q": "zhs"})
    assert lines(found) == ["张华生"]
    assert found.context["by_group"] == whole.context["by_group"]
    assert lines(client.get(url, {"group": cast.group_1.pk})) == ["张三"]
    march = client.get(url, {"month": "2026-03", "q": "zhs"})
    assert lines(march) == ["张华生"]
    assert march.context["month"].month == 3
    # The period links keep the name typed, so a link shows the same lines.
    assert "q=zhs&amp;month=" in found.content.decode()


def test_the_calendar_finds_sessions_by_topic_kind_or_instructor(client, cast, year):
    from tests.factories import SessionFactory

    round_table = SessionFactory(
        camp=cast.camp, training_day=None, date=datetime.date(2026, 4, 3), topic="青年干部座谈"
    )
    round_table.instructors.add(year.morning.instructors.get())  # 陈教授
    SessionFactory(
        camp=cast.camp, training_day=None, date=datetime.date(2026, 4, 9), topic="读书分享"
    )
    client.force_login(cast.staff)
    url = reverse("curriculum-calendar", args=[cast.camp.code])
    by_instructor = client.get(url, {"text": "陈教"})
    assert [day.date for day in by_instructor.context["days"]] == [datetime.date(2026, 3, 14)]
    assert [s.topic for s in by_instructor.context["off_day_sessions"]] == ["青年干部座谈"]
    by_topic = client.get(url, {"text": "湖州经济"})
    assert [day.date for day in by_topic.context["days"]] == [datetime.date(2026, 3, 14)]
    assert list(by_topic.context["off_day_sessions"]) == []
    assert 'value="湖州经济"' in by_topic.content.decode()
    nothing = client.get(url, {"text": "没有这门课", "month": "2026-03"})
    assert nothing.context["days"] == []


def test_searching_the_calendar_costs_no_extra_query(client, cast, year, django_assert_num_queries):
    client.force_login(cast.staff)
    url = reverse("curriculum-calendar", args=[cast.camp.code])
    client.get(url)
    # As the calendar's pin (test_views_queries): 3 login and menu; 1 camp; 2 days and their
    # sessions; 1 their instructors; 1 official arrangements; 1 sessions off the training
    # days, the text matched in that same query. The days are searched in what was read.
    with django_assert_num_queries(9):
        client.get(url, {"text": "陈教授"})
