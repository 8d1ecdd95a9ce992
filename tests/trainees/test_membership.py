"""The dated group membership: a move takes effect on a day staff choose, within the trainee's
membership and the camp, and `groups_on` / `members_of_group_on` read who was where."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from trainees.membership import groups_on
from trainees.models import GroupMove, Trainee
from trainees.services.grouping import trainee_move

MARCH_10 = datetime.date(2026, 3, 10)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _mid_year():
    """Today is 2026-06-30 for every test here: "today" bounds a move's date."""
    with time_machine.travel(datetime.datetime(2026, 6, 30, 10, tzinfo=SHANGHAI), tick=False):
        yield


def _move(cast, on, trainee=None, to_group=None):
    return trainee_move(
        trainee=trainee or cast.trainee_in_group_1,
        to_group=to_group or cast.group_2,
        by=cast.staff,
        reason="便于参加本组调研",
        effective_on=on,
    )


def test_a_back_dated_move_puts_the_trainee_in_the_new_group_from_that_day(cast):
    trainee = cast.trainee_in_group_1
    _move(cast, MARCH_10)

    trainee.refresh_from_db()
    assert trainee.group == cast.group_2  # the current group, kept by the service
    assert groups_on(cast.camp, datetime.date(2026, 3, 9))[trainee.pk] == cast.group_1.pk
    assert groups_on(cast.camp, MARCH_10)[trainee.pk] == cast.group_2.pk
    before = Trainee.objects.members_of_group_on(cast.group_1, datetime.date(2026, 3, 9))
    after = Trainee.objects.members_of_group_on(cast.group_1, MARCH_10)
    assert trainee in before
    assert trainee not in after
    assert trainee in Trainee.objects.members_of_group_on(cast.group_2, MARCH_10)


def test_groups_on_and_the_queryset_agree_after_several_moves(cast):
    trainee = cast.trainee_in_group_1
    _move(cast, datetime.date(2026, 2, 1))
    _move(cast, datetime.date(2026, 4, 1), to_group=cast.group_1)
    for day, group in [
        (datetime.date(2026, 1, 31), cast.group_1),
        (datetime.date(2026, 2, 1), cast.group_2),
        (datetime.date(2026, 3, 31), cast.group_2),
        (datetime.date(2026, 4, 1), cast.group_1),
    ]:
        assert groups_on(cast.camp, day)[trainee.pk] == group.pk, day
        annotated = Trainee.objects.with_group_on(day).get(pk=trainee.pk)
        assert annotated.group_on == group.pk, day


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (datetime.date(2025, 12, 31), "生效日期须在本期培训期间"),
        (datetime.date(2027, 1, 1), "生效日期须在本期培训期间"),
        (datetime.date(2026, 12, 31), "不能晚于今天"),
    ],
)
def test_a_move_outside_the_camp_or_in_the_future_is_refused(cast, on, message):
    with pytest.raises(ValidationError, match=message):
        _move(cast, on)
    assert not GroupMove.objects.exists()


def test_a_move_cannot_take_effect_before_admission(cast):
    trainee = cast.trainee_in_group_1
    Trainee.objects.filter(pk=trainee.pk).update(admitted_on=datetime.date(2026, 6, 22))
    with pytest.raises(ValidationError, match="不能早于该学员的入营日期（2026-06-22）"):
        _move(cast, datetime.date(2026, 6, 21))
    assert not GroupMove.objects.exists()


def test_a_move_cannot_take_effect_after_withdrawal(cast):
    trainee = cast.trainee_in_group_1
    # Withdrawal recorded ahead of its day: still active, but not a member after it.
    Trainee.objects.filter(pk=trainee.pk).update(withdrawn_on=datetime.date(2026, 5, 31))
    with pytest.raises(ValidationError, match="不能晚于该学员的退出日期（2026-05-31）"):
        _move(cast, datetime.date(2026, 6, 1))


def test_a_move_cannot_take_effect_before_the_previous_move(cast):
    _move(cast, datetime.date(2026, 4, 1))
    with pytest.raises(
        ValidationError, match="不能早于该学员上一次小组调整的生效日期（2026-04-01）"
    ):
        _move(cast, datetime.date(2026, 3, 31), to_group=cast.group_1)
    assert GroupMove.objects.count() == 1


def test_staff_back_date_a_move_on_the_form(client, cast):
    client.force_login(cast.staff)
    url = reverse("trainee-move", args=[cast.trainee_in_group_1.pk])
    data = {"to_group": cast.group_2.pk, "reason": "工作调整", "effective_on": "2026-03-10"}
    assert client.post(url, data).status_code == 302
    assert GroupMove.objects.get().effective_on == MARCH_10


def test_the_form_shows_a_refused_date_and_moves_nobody(client, cast):
    client.force_login(cast.staff)
    Trainee.objects.filter(pk=cast.trainee_in_group_1.pk).update(
        admitted_on=datetime.date(2026, 6, 22)
    )
    url = reverse("trainee-move", args=[cast.trainee_in_group_1.pk])
    data = {"to_group": cast.group_2.pk, "reason": "工作调整", "effective_on": "2026-03-10"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "不能早于该学员的入营日期" in response.content.decode()
    assert not GroupMove.objects.exists()


def test_the_backfill_dates_a_placement_from_admission_and_later_moves_on_their_day(cast):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("trainees.migrations.0005_group_move_effective_on")
    trainee = cast.trainee_in_group_1
    Trainee.objects.filter(pk=trainee.pk).update(admitted_on=datetime.date(2026, 1, 5))
    placed = _move(cast, datetime.date(2026, 2, 1))
    moved = _move(cast, datetime.date(2026, 3, 1), to_group=cast.group_1)
    recorded = {
        placed.pk: datetime.datetime(2025, 12, 20, 9, tzinfo=SHANGHAI),  # before admission
        moved.pk: datetime.datetime(2026, 4, 2, 23, 30, tzinfo=SHANGHAI),  # 15:30 UTC
    }
    for pk, at in recorded.items():
        GroupMove.objects.filter(pk=pk).update(at=at, effective_on=datetime.date(2026, 1, 1))

    migration.backfill(apps, None)

    days = dict(GroupMove.objects.values_list("pk", "effective_on"))
    assert days[placed.pk] == datetime.date(2026, 1, 5)  # from admission
    assert days[moved.pk] == timezone.localdate(recorded[moved.pk]) == datetime.date(2026, 4, 2)
