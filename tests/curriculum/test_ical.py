"""The trainee's private iCal feed: parsed back with icalendar, follows moves, revocable."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from camp.models import User
from camp.services.logins import user_disable
from curriculum.models import CalendarFeedToken
from curriculum.services.calendar import training_day_move
from curriculum.services.feed import feed_token_get_or_create, feed_token_revoke
from curriculum.services.sessions import session_update
from tests.factories import SessionFactory
from trainees.models import Trainee, TraineeStatus, WithdrawalKind
from trainees.services.admission import trainee_withdraw


def _events(client, token):
    response = client.get(reverse("curriculum-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_the_trainees_sessions_and_follows_a_move(client, cast, year):
    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    other_group = SessionFactory(training_day=year.day, group=cast.group_2, topic="第二组圆桌会")
    events = _events(client, token)
    assert len(events) == 2  # the other group's round table is not theirs
    assert all(str(e["summary"]) != "第二组圆桌会" for e in events.values())
    morning = events[next(uid for uid in events if f"session-{year.morning.pk}@" in uid)]
    # 09:00 in Huzhou, i.e. 01:00 UTC: an aware time, not a floating one.
    assert morning.decoded("dtstart") == datetime.datetime(2026, 3, 14, 1, 0, tzinfo=datetime.UTC)
    assert morning.decoded("dtend") == datetime.datetime(2026, 3, 14, 3, 30, tzinfo=datetime.UTC)
    assert "坚定理想信念" in str(morning["summary"])
    assert "陈教授" in str(morning["description"])

    training_day_move(
        day=year.day, to_date=datetime.date(2026, 3, 21), by=cast.staff, reason="会议"
    )
    moved = _events(client, token)
    morning = moved[next(uid for uid in moved if f"session-{year.morning.pk}@" in uid)]
    assert morning.decoded("dtstart").date() == datetime.date(2026, 3, 21)
    assert str(morning["summary"]).startswith("【已变更】")
    assert "3月14日" in str(morning["description"])
    assert other_group.pk not in [int(uid.split("-")[1].split("@")[0]) for uid in moved]


def test_a_changed_place_is_shown_as_changed(client, cast, year):
    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    session_update(
        session=year.afternoon, by=cast.staff, reason="场地调整", place="市行政中心会议室"
    )
    events = _events(client, token)
    afternoon = events[next(uid for uid in events if f"session-{year.afternoon.pk}@" in uid)]
    assert str(afternoon["location"]) == "市行政中心会议室"
    assert "地点：市委党校报告厅 → 市行政中心会议室" in str(afternoon["description"])


def test_a_revoked_token_is_a_404_and_the_new_one_works(client, cast, year):
    old = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    new = feed_token_revoke(trainee=cast.trainee_in_group_1).token
    assert new != old
    assert client.get(reverse("curriculum-feed", args=[old])).status_code == 404
    assert client.get(reverse("curriculum-feed", args=[new])).status_code == 200
    assert client.get(reverse("curriculum-feed", args=["made-up"])).status_code == 404


def test_the_trainee_revokes_from_my_schedule(client, cast, year):
    client.force_login(cast.trainee_1)
    page = client.get(reverse("curriculum-my-schedule"))
    old = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    assert old in page.content.decode()
    assert client.post(reverse("curriculum-feed-revoke")).status_code == 302
    assert client.get(reverse("curriculum-feed", args=[old])).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "counselor_1", "orgdept", "leader"])
def test_my_schedule_is_only_for_trainees(client, cast, persona):
    client.force_login(cast.everyone()[persona])
    assert client.get(reverse("curriculum-my-schedule")).status_code == 403


def test_my_schedule_puts_the_next_training_day_first(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 12, 8, 0))
    client.force_login(cast.trainee_1)
    response = client.get(reverse("curriculum-my-schedule"))
    assert response.context["next_day"] == year.day
    body = response.content.decode()
    assert body.index("下一个培训日") < body.index("后续安排")
    assert "坚定理想信念" in body


def test_the_next_training_day_shows_a_trainee_only_their_own_groups_sessions(
    client, cast, year, clock
):
    SessionFactory(training_day=year.day, group=cast.trainee_in_group_2.group, topic="二组研讨")
    SessionFactory(training_day=year.day, group=cast.trainee_in_group_1.group, topic="一组研讨")
    clock.at(datetime.datetime(2026, 3, 12, 8, 0))
    client.force_login(cast.trainee_1)
    next_day = client.get(reverse("curriculum-my-schedule")).context["next_day"]
    topics = {session.topic for session in next_day.sessions.all()}
    assert topics == {"坚定理想信念", "湖州经济形势", "一组研讨"}


def test_the_feed_carries_its_time_zone(client, cast, year):
    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    body = client.get(reverse("curriculum-feed", args=[token])).content
    calendar = Calendar.from_ical(body)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Shanghai"
    assert b"DTSTART;TZID=Asia/Shanghai:20260314T090000" in body


def _feed_status(client, token) -> int:
    return client.get(reverse("curriculum-feed", args=[token])).status_code


def test_withdrawal_revokes_the_feed(client, cast, year):
    trainee = cast.trainee_in_group_1
    token = feed_token_get_or_create(trainee=trainee).token
    trainee_withdraw(
        trainee=trainee,
        kind=WithdrawalKind.PROMOTED,
        reason="提拔任职",
        on=datetime.date(2026, 6, 1),
        by=cast.staff,
    )
    assert not CalendarFeedToken.objects.filter(trainee=trainee).exists()
    assert _feed_status(client, token) == 404


def test_disabling_the_login_revokes_the_feed(client, cast, year):
    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    user_disable(user=cast.trainee_1)
    assert not CalendarFeedToken.objects.filter(token=token).exists()
    assert _feed_status(client, token) == 404


def test_the_feed_refuses_a_withdrawn_trainee_or_a_disabled_login_even_with_a_live_token(
    client, cast, year
):
    """A token that escaped revocation (written before it existed, or by hand) still ends."""
    trainee = cast.trainee_in_group_1
    token = feed_token_get_or_create(trainee=trainee).token
    User.objects.filter(pk=cast.trainee_1.pk).update(is_active=False)
    assert _feed_status(client, token) == 404
    User.objects.filter(pk=cast.trainee_1.pk).update(is_active=True)
    assert _feed_status(client, token) == 200
    Trainee.objects.filter(pk=trainee.pk).update(status=TraineeStatus.WITHDRAWN)
    assert _feed_status(client, token) == 404
