"""Seeing the scores: my scores, one trainee's scores, the group dashboard and the ranking, for
every persona; rank visibility; fixed query counts on the lists. The training record's page is
tested in tests/oversight/test_records.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.services.summaries import monthly_summary_compute
from camp.models import RankVisibility
from curriculum.services.attendance import attendance_record
from tests.factories import SessionFactory, TraineeFactory, TrainingDayFactory
from tests.personas import PERSONAS as CAST_PERSONAS
from tests.personas import status_as

from .conftest import raw_entry

PERSONAS = CAST_PERSONAS[1:]  # everyone but anonymous


def _status(client, cast, persona, url):
    return status_as(client, cast.everyone()[persona], url)


def test_a_trainees_scores_by_every_persona(client, cast):
    url = reverse("assessment-trainee-scores", args=[cast.trainee_in_group_1.pk])
    expected = {
        "anonymous": 302,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 200,
        "trainee_2": 404,  # another trainee's page: not even a hint it exists
        "orgdept": 200,
        "leader": 200,
    }
    assert {p: _status(client, cast, p, url) for p in expected} == expected


def test_my_scores_shows_totals_entries_trend_and_never_others(client, cast):
    me, other = cast.trainee_in_group_1, cast.trainee_in_group_2
    raw_entry(me, 3, "8", datetime.date(2026, 3, 10), reason="三月学习笔记")
    raw_entry(other, 3, "4", datetime.date(2026, 3, 10), reason="别人的笔记")
    monthly_summary_compute(camp=cast.camp, month=datetime.date(2026, 3, 1))
    client.force_login(cast.trainee_1)
    page = client.get(reverse("assessment-my-scores", args=["2026"])).content.decode()
    assert "三月学习笔记" in page
    assert "别人的笔记" not in page
    assert other.person.name not in page
    assert 'id="score-trend"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "js/charts.js" in page  # the one chart script of the app
    assert "2026-03" in page  # the same numbers as a table
    assert "未考核" in page  # graded items with no grade yet
    assert 'data-testid="rank"' in page  # default: own rank shown


def test_my_scores_shows_the_latest_entries_and_links_to_all_of_them(client, cast):
    me = cast.trainee_in_group_1
    for day in range(1, 26):
        raw_entry(me, 3, "8", datetime.date(2026, 3, day), reason=f"笔记{day:02d}")
    client.force_login(cast.trainee_1)
    response = client.get(reverse("assessment-my-scores", args=["2026"]))
    entries = response.context["entries"]
    assert [e.reason for e in entries] == [f"笔记{day:02d}" for day in range(25, 5, -1)]
    page = response.content.decode()
    assert "笔记06" in page
    assert "笔记05" not in page
    assert reverse("assessment-entries", args=[me.pk]) in page
    assert "查看全部记分明细" in page
    assert "最近 20 条考核记录" in page


def test_my_scores_lists_every_entry_when_there_are_few(client, cast):
    raw_entry(cast.trainee_in_group_1, 3, "8", datetime.date(2026, 3, 10), reason="唯一一条")
    client.force_login(cast.trainee_1)
    page = client.get(reverse("assessment-my-scores", args=["2026"])).content.decode()
    assert "全部考核记录" in page
    assert "唯一一条" in page
    assert "查看全部记分明细" not in page


def test_a_trainee_sees_no_rank_when_the_camp_hides_it(client, cast):
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    client.force_login(cast.trainee_1)
    page = client.get(reverse("assessment-my-scores", args=["2026"])).content.decode()
    assert 'data-testid="rank"' not in page
    client.force_login(cast.staff)
    page = client.get(
        reverse("assessment-trainee-scores", args=[cast.trainee_in_group_1.pk])
    ).content.decode()
    assert 'data-testid="rank"' in page


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        (
            "assessment-my-scores",
            ["2026"],
            {"staff": 403, "counselor_1": 403, "trainee_1": 200, "orgdept": 403, "leader": 403},
        ),
        (
            "assessment-ranking",
            ["2026"],
            {"staff": 200, "counselor_1": 403, "trainee_1": 403, "orgdept": 200, "leader": 200},
        ),
        (
            "assessment-my-group-scores",
            ["2026"],
            {"staff": 403, "counselor_1": 302, "trainee_1": 403, "orgdept": 403, "leader": 403},
        ),
    ],
)
def test_the_camp_pages_by_persona(client, cast, name, args, expected):
    url = reverse(name, args=args)
    assert {p: _status(client, cast, p, url) for p in expected} == expected
    assert _status(client, cast, "anonymous", url) == 302


def test_the_group_dashboard_by_persona(client, cast):
    url = reverse("assessment-group-scores", args=[cast.group_1.pk])
    expected = {
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 403,
        "orgdept": 200,
        "leader": 200,
    }
    assert {p: _status(client, cast, p, url) for p in expected} == expected


def test_the_group_dashboard_shows_members_missing_items_and_averages(client, cast):
    raw_entry(cast.trainee_in_group_1, 3, "8", timezone.localdate())
    client.force_login(cast.counselor_1)
    response = client.get(reverse("assessment-group-scores", args=[cast.group_1.pk]))
    page = response.content.decode()
    assert cast.trainee_in_group_1.person.name in page
    assert cast.trainee_in_group_2.person.name not in page
    assert "本周讲评尚未撰写" in page
    assert response.context["group_average"] is not None
    assert response.context["class_average"] is not None
    missing = {i.number for i in response.context["rows"][0]["missing_items"]}
    assert 3 not in missing  # recorded this month
    assert 10 in missing  # 个人修养要则践行: monthly, by the counselor, not yet recorded


def _ranking_queries(client, cast, django_assert_num_queries, extra):
    for n in range(extra):
        raw_entry(TraineeFactory(camp=cast.camp, group=cast.group_2), 3, str(5 + n % 5))
    client.force_login(cast.staff)
    # session, user; camp; scores_as_of: items, first training day, aggregates, trainees;
    # the trainees with person and group; the groups; the menu's current camp; the session's
    # idle-timeout stamp saved (savepoint, update, release).
    # + 6 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): pending
    # leave, roll calls not closed, unverified training days, summarised months, failed summary
    # runs, failed exports.
    # + 3 around scores_as_of for today's standing kept in the database (camp/camp_cache.py):
    # the kept standing (none yet), the camp's database version, keeping the one computed.
    with django_assert_num_queries(22):
        response = client.get(reverse("assessment-ranking", args=["2026"]))
    assert response.status_code == 200
    assert len(response.context["ranking"]["rows"]) == 2 + extra


def test_the_ranking_takes_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    _ranking_queries(client, cast, django_assert_num_queries, 2)


def test_the_ranking_takes_the_same_queries_for_more_trainees(
    client, cast, django_assert_num_queries
):
    _ranking_queries(client, cast, django_assert_num_queries, 25)


def _dashboard_queries(client, cast, django_assert_num_queries, extra):
    for _n in range(extra):
        TraineeFactory(camp=cast.camp, group=cast.group_1)
    client.force_login(cast.counselor_1)
    # session, user; the counselor's groups; the group; scores_as_of (4); members with
    # person; counselor items; entries this month; first training day and reviews for the
    # missing weeks (2); this week's review; the menu's current camp (2); the session's
    # idle-timeout stamp (savepoint, update, release).
    # + 11 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): their
    # groups, the reviews written, the first training day, the scheme's items and those
    # they record, members per group, filled cells (one GROUP BY), the grading inbox (their
    # items (2), their groups, the count), members without a recent talk.
    # + 3 around scores_as_of for today's standing kept in the database (camp/camp_cache.py):
    # the kept standing (none yet), the camp's database version, keeping the one computed.
    with django_assert_num_queries(33):
        response = client.get(reverse("assessment-group-scores", args=[cast.group_1.pk]))
    assert len(response.context["rows"]) == 1 + extra


def test_the_group_dashboard_takes_a_fixed_number_of_queries(
    client, cast, django_assert_num_queries
):
    _dashboard_queries(client, cast, django_assert_num_queries, 1)


def test_the_group_dashboard_queries_do_not_grow(client, cast, django_assert_num_queries):
    _dashboard_queries(client, cast, django_assert_num_queries, 15)


def test_the_ranking_filters_by_group_and_name(client, cast):
    client.force_login(cast.staff)
    url = reverse("assessment-ranking", args=["2026"])
    rows = client.get(url, {"group": cast.group_2.pk}).context["ranking"]["rows"]
    assert [r["pk"] for r in rows] == [cast.trainee_in_group_2.pk]
    assert rows[0]["group"] == str(cast.group_2)
    rows = client.get(url, {"q": cast.trainee_in_group_1.person.name}).context["ranking"]["rows"]
    assert [r["pk"] for r in rows] == [cast.trainee_in_group_1.pk]


def test_my_scores_link_to_my_entries_and_to_my_appraisal_form_once_final(client, cast):
    from assessment.models import Graduation

    me = cast.trainee_in_group_1
    client.force_login(cast.trainee_1)
    url = reverse("assessment-my-scores", args=["2026"])
    form_url = reverse("graduation-form", args=[me.pk])
    page = client.get(url).content.decode()
    assert reverse("assessment-entries", args=[me.pk]) in page
    assert form_url not in page  # nothing to read yet
    graduation = Graduation.objects.create(trainee=me, appraisal="鉴定意见", updated_by=cast.staff)
    assert form_url not in client.get(url).content.decode()  # a draft stays staff's
    graduation.finalized_at = timezone.now()
    graduation.save()
    assert form_url in client.get(url).content.decode()
    assert "鉴定意见" in client.get(form_url).content.decode()


def test_the_training_record_shows_the_trainees_study_hours(client, cast):
    # A day long past, whatever the clock says: the camp runs 2026.
    day = TrainingDayFactory(camp=cast.camp, slot_date=datetime.date(2026, 1, 10))
    trip = SessionFactory(training_day=day, counts_as_half_days=2)
    attendance_record(session=trip, marks={cast.trainee_in_group_1.pk: "late"}, by=cast.staff)
    client.force_login(cast.trainee_1)
    url = reverse("assessment-training-record", args=[cast.trainee_in_group_1.pk])
    assert "学时：已修 8.0，应修 8.0。" in client.get(url).content.decode()
