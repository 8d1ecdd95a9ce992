"""The daily schedule: `send_reminders` and the curriculum's reminders."""

import datetime
from io import StringIO

from django.core.management import call_command

from camp.notifications.models import Kind, Notification, Reminder
from curriculum.models import LeaveRequest
from curriculum.services.leave import leave_request


def _run(today: str) -> list[str]:
    out = StringIO()
    call_command("send_reminders", "--today", today, stdout=out)
    return out.getvalue().splitlines()


def test_send_reminders_prints_one_line_per_kind_and_a_second_run_makes_none(cast, year, clock):
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="morning",
        reason="单位公务",
        by=cast.trainee_1,
    )
    clock.at(datetime.datetime(2026, 3, 13, 18, 0))  # the leave has waited three days
    lines = _run("2026-03-13")
    assert lines == [
        "training_day_tomorrow: 2",  # both trainees have sessions on the 14th
        "review_due: 2",  # both counselors: the weeks since the first training day
        "roll_call_open: 0",  # no session held yet
        "leave_waiting: 1",  # staff: the morning leave
    ]
    assert _run("2026-03-13") == [
        "training_day_tomorrow: 0",
        "review_due: 0",
        "roll_call_open: 0",
        "leave_waiting: 0",
    ]
    assert Reminder.objects.count() == 5
    clock.at(datetime.datetime(2026, 3, 15, 18, 0))
    # A new day: the reviews are still due, the 14th's roll call is still open a day after,
    # the leave still waits; nothing tomorrow.
    assert _run("2026-03-15") == [
        "training_day_tomorrow: 0",
        "review_due: 2",
        "roll_call_open: 1",
        "leave_waiting: 1",
    ]
    tomorrow = Notification.objects.get(kind=Kind.TRAINING_DAY_TOMORROW, user=cast.trainee_1)
    assert "坚定理想信念" in tomorrow.body
    assert "14:00" in tomorrow.body


def test_a_roll_call_is_reminded_a_day_after_its_session_until_it_is_closed(cast, year, clock):
    from curriculum.reminders import roll_calls_open_a_day_after
    from curriculum.services.roll_call import roll_call_close

    # The 14th's sessions end that day: on the 14th less than a day has passed.
    assert roll_calls_open_a_day_after(cast.camp, datetime.date(2026, 3, 14)) == []
    clock.at(datetime.datetime(2026, 3, 15, 18, 0))
    today = datetime.date(2026, 3, 15)
    assert {s.pk for s in roll_calls_open_a_day_after(cast.camp, today)} == {
        year.morning.pk,
        year.afternoon.pk,
    }
    roll_call_close(session=year.morning, by=cast.staff)
    assert {s.pk for s in roll_calls_open_a_day_after(cast.camp, today)} == {year.afternoon.pk}


def test_leave_waiting_less_than_a_day_is_not_reminded(cast, year, clock):
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="单位公务",
        by=cast.trainee_1,
    )
    assert LeaveRequest.objects.count() == 1
    assert _run("2026-03-10")[-1] == "leave_waiting: 0"


def test_approved_leave_to_close_is_reminded_without_a_line_of_its_own(cast, year, clock):
    from curriculum.services.leave import leave_decide

    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="单位公务",
        by=cast.trainee_1,
    )
    leave_decide(leave=leave, approve=True, by=cast.staff, note="同意")
    clock.at(datetime.datetime(2026, 3, 15, 18, 0))
    lines = _run("2026-03-15")
    assert [line.split(":")[0] for line in lines] == [
        "training_day_tomorrow",
        "review_due",
        "roll_call_open",
        "leave_waiting",
    ]
    reminder = Notification.objects.get(kind=Kind.LEAVE_TO_CLOSE)
    assert reminder.user == cast.trainee_1
    assert "2026-03-17" in reminder.title
    _run("2026-03-18")  # past the deadline: no more reminders
    assert Notification.objects.filter(kind=Kind.LEAVE_TO_CLOSE).count() == 1
