"""Attendance: the bulk sheet with history, check-in by venue code, rates and warnings. What the
assessment deducts for it is tested with the deductions (assessment/test_attendance_deductions)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from curriculum.check_in_codes import code_now
from curriculum.models import Attendance, AttendanceSource, AttendanceStatus, LeaveRequest
from curriculum.rate_selectors import attendance_by_day, attendance_by_group, attendance_by_trainee
from curriculum.selectors import unexcused_absences
from curriculum.services.attendance import (
    attendance_check_in,
    attendance_record,
    check_in_token,
)
from curriculum.services.leave import leave_decide, leave_request
from tests.factories import SessionFactory

A = AttendanceStatus


def test_a_whole_sheet_is_recorded_at_once_with_history(cast, year):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    created, updated = attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ABSENT}, by=cast.staff
    )
    assert (created, updated) == (2, 0)
    created, updated = attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.LATE}, by=cast.staff
    )
    assert (created, updated) == (0, 1)
    row = Attendance.objects.get(session=year.morning, trainee=t2)
    assert row.status == A.LATE
    statuses = list(row.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == [A.ABSENT, A.LATE]
    assert row.history.first().history_user == cast.staff


def test_a_sheet_with_a_stranger_or_bad_status_writes_nothing(cast, year):
    with pytest.raises(ValidationError):
        attendance_record(
            session=year.morning,
            marks={cast.trainee_in_group_1.pk: "sleeping"},
            by=cast.staff,
        )
    with pytest.raises(ValidationError):
        attendance_record(session=year.morning, marks={999999: A.PRESENT}, by=cast.staff)
    assert not Attendance.objects.exists()


def test_check_in_works_only_inside_the_session_window(cast, year, clock):
    token = check_in_token(year.morning)  # 09:00-11:30 on 2026-03-14
    trainee = cast.trainee_in_group_1
    clock.at(datetime.datetime(2026, 3, 14, 8, 29))
    with pytest.raises(ValidationError, match="签到尚未开始"):
        attendance_check_in(token=token, trainee=trainee, code=code_now(year.morning))
    clock.at(datetime.datetime(2026, 3, 14, 11, 31))
    with pytest.raises(ValidationError, match="签到已关闭"):
        attendance_check_in(token=token, trainee=trainee, code=code_now(year.morning))
    assert not Attendance.objects.exists()
    clock.at(datetime.datetime(2026, 3, 14, 8, 31))
    row = attendance_check_in(token=token, trainee=trainee, code=code_now(year.morning))
    assert row.status == A.PRESENT
    assert row.source == AttendanceSource.CHECK_IN


def test_the_check_in_window_is_shanghai_time_whatever_zone_is_active(cast, year, clock):
    token = check_in_token(year.morning)  # 09:00-11:30 on 2026-03-14 in Huzhou
    utc = datetime.UTC
    with timezone.override("UTC"):
        assert year.morning.starts_at == datetime.datetime(2026, 3, 14, 1, 0, tzinfo=utc)
        clock.at(datetime.datetime(2026, 3, 14, 0, 29, tzinfo=utc))  # 08:29 in Huzhou
        with pytest.raises(ValidationError, match="03-14 08:30"):
            attendance_check_in(
                token=token, trainee=cast.trainee_in_group_1, code=code_now(year.morning)
            )
        clock.at(datetime.datetime(2026, 3, 14, 0, 31, tzinfo=utc))
        row = attendance_check_in(
            token=token, trainee=cast.trainee_in_group_1, code=code_now(year.morning)
        )
    assert row.status == A.PRESENT


def test_check_in_after_five_minutes_is_late_and_a_second_scan_changes_nothing(cast, year, clock):
    token = check_in_token(year.morning)
    clock.at(datetime.datetime(2026, 3, 14, 9, 6))
    row = attendance_check_in(
        token=token, trainee=cast.trainee_in_group_2, code=code_now(year.morning)
    )
    assert row.status == A.LATE
    clock.at(datetime.datetime(2026, 3, 14, 9, 1))
    again = attendance_check_in(
        token=token, trainee=cast.trainee_in_group_2, code=code_now(year.morning)
    )
    assert again.pk == row.pk
    assert again.status == A.LATE
    assert Attendance.objects.count() == 1


def test_check_in_refuses_a_forged_token_and_another_groups_session(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 9, 0))
    with pytest.raises(ValidationError, match="签到码无效"):
        attendance_check_in(
            token="forged:token", trainee=cast.trainee_in_group_1, code=code_now(year.morning)
        )
    round_table = SessionFactory(training_day=year.day, group=cast.group_2, topic="圆桌会")
    with pytest.raises(ValidationError, match="不在您的课表"):
        attendance_check_in(
            token=check_in_token(round_table),
            trainee=cast.trainee_in_group_1,
            code=code_now(year.morning),
        )


def test_rates_per_trainee_group_and_day_are_counted_by_the_database(
    cast, year, django_assert_num_queries
):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ABSENT}, by=cast.staff
    )
    attendance_record(
        session=year.afternoon, marks={t1.pk: A.LATE, t2.pk: A.PRESENT}, by=cast.staff
    )
    qs = Attendance.objects.filter(session__camp=cast.camp)
    with django_assert_num_queries(1):
        by_trainee = {row["trainee_id"]: row for row in attendance_by_trainee(qs)}
    assert by_trainee[t1.pk]["rate"] == 100
    assert by_trainee[t2.pk]["rate"] == 50
    with django_assert_num_queries(1):  # the group on the day and its number are subqueries
        rows = attendance_by_group(qs, year.morning.date)
    by_group = {row["trainee__group__number"]: row["rate"] for row in rows}
    assert by_group == {1: 100, 2: 50}
    (day,) = attendance_by_day(qs)
    assert day["rate"] == 75
    assert day["absent"] == 1


def test_an_unexcused_absence_is_flagged_at_once(cast, year):
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_2.pk: A.ABSENT}, by=cast.staff
    )
    flagged = list(unexcused_absences(Attendance.objects.all()))
    assert [a.trainee_id for a in flagged] == [cast.trainee_in_group_2.pk]
    assert LeaveRequest.objects.count() == 0


def test_changes_tell_the_registered_hooks_after_commit(
    cast, year, clock, monkeypatch, django_capture_on_commit_callbacks
):
    from curriculum.services import attendance as attendance_services

    calls = []
    monkeypatch.setattr(
        attendance_services,
        "ATTENDANCE_CHANGED_HOOKS",
        [lambda **kwargs: calls.append(kwargs)],
    )
    t2 = cast.trainee_in_group_2
    with django_capture_on_commit_callbacks(execute=False) as pending:
        attendance_record(session=year.morning, marks={t2.pk: A.ABSENT}, by=cast.staff)
    assert calls == []  # nothing before the commit
    for callback in pending:
        callback()
    assert calls == [{"camp": cast.camp, "trainee_ids": [t2.pk], "by": cast.staff}]
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(session=year.morning, marks={t2.pk: A.ABSENT}, by=cast.staff)
    assert calls == []  # no change, no call
    with django_capture_on_commit_callbacks(execute=True):
        leave = leave_request(
            trainee=t2, training_day=year.day, half_day="afternoon", reason="x", by=cast.trainee_2
        )
        leave_decide(leave=leave, approve=True, by=cast.staff)
    assert calls == [{"camp": cast.camp, "trainee_ids": [t2.pk], "by": cast.staff}]


def _check_in_page(client, cast, year):
    from django.urls import reverse

    client.force_login(cast.trainee_1)
    return client.get(reverse("curriculum-check-in", args=[check_in_token(year.morning)]))


def test_a_closed_check_in_says_so_and_offers_no_button(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 11, 45))  # the morning ended at 11:30
    body = _check_in_page(client, cast, year).content.decode()
    assert "签到已关闭" in body
    assert "确认签到" not in body
    clock.at(datetime.datetime(2026, 3, 14, 7, 0))
    body = _check_in_page(client, cast, year).content.decode()
    assert "签到尚未开始" in body
    assert "08:30" in body
    assert "确认签到" not in body


def test_a_completed_check_in_says_when_it_happened_and_offers_no_button(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 8, 47))
    attendance_check_in(
        token=check_in_token(year.morning),
        trainee=cast.trainee_in_group_1,
        code=code_now(year.morning),
    )
    clock.at(datetime.datetime(2026, 3, 14, 9, 20))
    body = _check_in_page(client, cast, year).content.decode()
    assert "已签到" in body
    assert "08:47" in body
    assert "确认签到" not in body


def test_leave_and_absence_count_as_required_but_not_attended(cast, year):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ON_LEAVE}, by=cast.staff
    )
    attendance_record(
        session=year.afternoon, marks={t1.pk: A.LEFT_EARLY, t2.pk: A.PRESENT}, by=cast.staff
    )
    qs = Attendance.objects.filter(session__camp=cast.camp)
    by_trainee = {row["trainee_id"]: row for row in attendance_by_trainee(qs)}
    # Leave is a required session not attended: 1 of 2, never "1 of 1".
    assert by_trainee[t2.pk]["rate"] == Decimal("50.0")
    assert (by_trainee[t2.pk]["attended"], by_trainee[t2.pk]["required"]) == (1, 2)
    assert by_trainee[t1.pk]["rate"] == Decimal("100.0")
    (day,) = attendance_by_day(qs)
    assert day["rate"] == Decimal("75.0")


def test_a_rate_is_pooled_and_rounded_half_up_to_a_tenth():
    from curriculum.rate_selectors import attendance_rate, pooled_rate

    assert attendance_rate(1, 16) == Decimal("6.3")  # 6.25: half-up, not half-even's 6.2
    assert attendance_rate(1015, 1027) == Decimal("98.8")
    assert attendance_rate(0, 0) is None
    # Pooled: 2 of 4 sessions is 50.0, not the mean (66.7) of 100 % and 33.3 %.
    assert pooled_rate([(1, 1), (1, 3)]) == Decimal("50.0")


def test_a_groups_rate_counts_each_trainee_in_the_group_they_were_in_on_the_periods_last_day(
    cast, year, clock
):
    from trainees.services.grouping import trainee_move

    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ABSENT}, by=cast.staff
    )
    clock.at(datetime.datetime(2026, 4, 10, 9, 0))
    trainee_move(  # recorded in April, in effect from 20 March
        trainee=t2,
        to_group=cast.group_1,
        by=cast.staff,
        reason="工作调整",
        effective_on=datetime.date(2026, 3, 20),
    )
    qs = Attendance.objects.filter(session__camp=cast.camp)

    def rates(day):
        return {r["trainee__group__number"]: r["rate"] for r in attendance_by_group(qs, day)}

    assert rates(datetime.date(2026, 3, 19)) == {1: 100, 2: 0}
    assert rates(datetime.date(2026, 3, 31)) == {1: 50}
