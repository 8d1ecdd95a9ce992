"""Absences escalated (预警): who is told, closing with a talk, withdrawal by an excuse."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from camp.notifications.models import Kind, Notification
from curriculum.models import Escalation, EscalationReason, EscalationState
from curriculum.services.attendance import attendance_record
from curriculum.services.escalations import escalation_close
from tests.factories import SessionFactory


def _absent(session, trainee, by, django_capture_on_commit_callbacks, status="absent"):
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(session=session, marks={trainee.pk: status}, by=by)


def _told(user):
    return Notification.objects.filter(user=user, kind=Kind.ESCALATION).count()


def test_an_absence_tells_the_counselor_and_a_second_tells_staff(
    cast, year, django_capture_on_commit_callbacks
):
    trainee = cast.trainee_in_group_1
    _absent(year.morning, trainee, cast.staff, django_capture_on_commit_callbacks)
    assert _told(cast.counselor_1) == 1
    assert _told(cast.staff) == 0
    _absent(year.afternoon, trainee, cast.staff, django_capture_on_commit_callbacks)
    assert _told(cast.counselor_1) == 2
    assert _told(cast.staff) == 1
    reasons = sorted(Escalation.objects.values_list("reason", flat=True))
    assert reasons == ["absence", "absence", "repeated"]
    # A second sync (another change) raises nothing twice.
    _absent(year.afternoon, trainee, cast.staff, django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 3


def test_absences_on_two_consecutive_training_days_tell_staff(
    cast, year, django_capture_on_commit_callbacks
):
    trainee = cast.trainee_in_group_2
    next_day = year.days[year.days.index(year.day) + 1]
    later = SessionFactory(training_day=next_day, topic="基层治理")
    _absent(year.morning, trainee, cast.staff, django_capture_on_commit_callbacks)
    _absent(later, trainee, cast.staff, django_capture_on_commit_callbacks)
    assert Escalation.objects.filter(reason=EscalationReason.CONSECUTIVE).count() == 1


def test_an_absence_later_excused_withdraws_its_escalation_which_stays_visible(
    cast, year, django_capture_on_commit_callbacks
):
    trainee = cast.trainee_in_group_1
    _absent(year.morning, trainee, cast.staff, django_capture_on_commit_callbacks)
    _absent(year.morning, trainee, cast.staff, django_capture_on_commit_callbacks, "on_leave")
    escalation = Escalation.objects.get()
    assert escalation.state == EscalationState.WITHDRAWN
    assert escalation.withdrawn_at is not None


def test_closing_records_the_talk_and_orgdept_sees_only_that_it_was_held(
    client, cast, year, clock, django_capture_on_commit_callbacks
):
    _absent(year.morning, cast.trainee_in_group_1, cast.staff, django_capture_on_commit_callbacks)
    escalation = Escalation.objects.get()
    with pytest.raises(PermissionDenied):
        escalation_close(
            escalation=escalation, by=cast.counselor_2, talk_on=clock.now.date(), note="x"
        )
    with pytest.raises(ValidationError, match="谈话日期"):
        escalation_close(escalation=escalation, by=cast.counselor_1, talk_on=None, note="x")
    client.force_login(cast.counselor_1)
    client.post(
        reverse("curriculum-escalation-close", args=[escalation.pk]),
        {"talk_on": "2026-03-10", "note": "家中有事，已提醒遵守纪律"},
    )
    escalation.refresh_from_db()
    assert escalation.state == EscalationState.CLOSED
    assert escalation.talk_on == datetime.date(2026, 3, 10)
    page = reverse("curriculum-escalations", args=[cast.camp.code])
    assert "已提醒遵守纪律" in client.get(page).content.decode()
    client.force_login(cast.orgdept)
    html = client.get(page).content.decode()
    assert "2026-03-10" in html
    assert "已提醒遵守纪律" not in html
    client.force_login(cast.counselor_2)  # another group's counselor: not listed
    assert "张三" not in client.get(page).content.decode()


def test_an_absence_under_a_pending_leave_waits_for_the_decision(
    cast, year, clock, django_capture_on_commit_callbacks
):
    from curriculum.services.leave import leave_request
    from curriculum.services.leave_approval import leave_step_decide

    trainee = cast.trainee_in_group_1
    leave = leave_request(
        trainee=trainee, training_day=year.day, half_day="morning", reason="急事", by=cast.trainee_1
    )
    clock.at(datetime.datetime(2026, 3, 14, 13, 0))  # the morning session is over
    _absent(year.morning, trainee, cast.staff, django_capture_on_commit_callbacks)
    assert not Escalation.objects.exists()  # pending, not 旷课, until decided
    with django_capture_on_commit_callbacks(execute=True):
        leave_step_decide(leave=leave, by=cast.counselor_1, approve=False, comment="理由不充分")
    assert Escalation.objects.filter(reason=EscalationReason.ABSENCE).count() == 1


def test_approved_leave_past_a_seventh_of_the_year_tells_staff_and_orgdept_once(
    cast, year, clock, django_capture_on_commit_callbacks
):
    from curriculum.services.leave import leave_decide, leave_request

    clock.at(datetime.datetime(2026, 1, 1, 9, 0))
    days = list(cast.camp.training_days.order_by("date"))[:4]
    for day in days:  # a morning and an afternoon session each (48 / 7 = 6.86 half-days)
        SessionFactory(training_day=day)
        SessionFactory(
            training_day=day,
            half_day="afternoon",
            start_time=datetime.time(14),
            end_time=datetime.time(17),
        )
    for day in days:
        leave = leave_request(
            trainee=cast.trainee_in_group_1,
            training_day=day,
            half_day="",
            reason="单位公务",
            by=cast.trainee_1,
        )
        with django_capture_on_commit_callbacks(execute=True):
            leave_decide(leave=leave, approve=True, by=cast.staff, note="同意")
    escalation = Escalation.objects.get(reason=EscalationReason.LEAVE_LIMIT)
    assert escalation.trainee == cast.trainee_in_group_1
    assert escalation.audience == "staff,orgdept"
    assert _told(cast.staff) == 1
    assert _told(cast.orgdept) == 1


def test_the_counselors_escalation_page_reads_their_groups_once_however_many_rows(
    client, cast, year, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = reverse("curriculum-escalations", args=[cast.camp.code])
    client.force_login(cast.counselor_1)
    _absent(year.morning, cast.trainee_in_group_1, cast.staff, django_capture_on_commit_callbacks)
    client.get(page)  # warm the menu's cached to-do count
    with CaptureQueriesContext(connection) as one_row:
        client.get(page)
    _absent(year.afternoon, cast.trainee_in_group_1, cast.staff, django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 3  # two absences and "repeated"
    client.get(page)
    with CaptureQueriesContext(connection) as three_rows:
        response = client.get(page)
    assert len(response.context["rows"]) == 3
    assert len(three_rows) == len(one_row)
