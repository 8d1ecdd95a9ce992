"""Leave approved by the right person: the camp's steps, each recorded and told, and a step
that waits too long passing to staff."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from camp.notifications.models import Kind, Notification
from curriculum.models import LeaveStatus, StepState
from curriculum.services.leave import leave_decide, leave_request
from curriculum.services.leave_approval import (
    approval_policy,
    leave_holder_label,
    leave_step_decide,
    leave_steps_pass_overdue,
)


def _ask(cast, year, *, half_day="", last=None):
    return leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day=half_day,
        reason="单位公务",
        by=cast.trainee_1,
        last_training_day=last,
    )


def _roles(leave):
    return list(leave.approval_steps.values_list("role", flat=True))


def test_the_default_steps_follow_the_length_of_the_leave(cast, year):
    assert _roles(_ask(cast, year, half_day="morning")) == ["counselor"]
    later = year.days[year.days.index(year.day) + 2]
    whole_day = leave_request(
        trainee=cast.trainee_in_group_2,
        training_day=year.day,
        half_day="",
        reason="单位公务",
        by=cast.trainee_2,
    )
    assert _roles(whole_day) == ["staff"]
    long = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.days[year.days.index(year.day) + 1],
        half_day="",
        reason="外出学习",
        by=cast.trainee_1,
        last_training_day=later,
    )
    assert _roles(long) == ["staff", "orgdept"]


def test_the_group_counselor_decides_a_half_day_and_the_trainee_is_told(cast, year):
    leave = _ask(cast, year, half_day="morning")
    assert "周辅导" in leave_holder_label(leave)
    with pytest.raises(PermissionDenied):
        leave_step_decide(leave=leave, by=cast.counselor_2, approve=True)
    leave = leave_step_decide(leave=leave, by=cast.counselor_1, approve=True, comment="同意")
    assert leave.status == LeaveStatus.APPROVED
    step = leave.approval_steps.get()
    assert (step.state, step.decided_by, step.comment) == (
        StepState.APPROVED,
        cast.counselor_1,
        "同意",
    )
    assert step.decided_at is not None
    assert Notification.objects.filter(user=cast.trainee_1, kind=Kind.LEAVE_DECIDED).count() == 1


def test_a_longer_leave_goes_from_staff_to_orgdept_telling_the_trainee_at_each_step(cast, year):
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="外出学习",
        by=cast.trainee_1,
        last_training_day=year.days[year.days.index(year.day) + 1],
    )
    leave = leave_step_decide(leave=leave, by=cast.staff, approve=True, comment="同意")
    assert leave.status == LeaveStatus.PENDING
    assert "组织部" in leave_holder_label(leave)
    assert Notification.objects.filter(user=cast.orgdept, kind=Kind.LEAVE_TO_APPROVE).exists()
    with pytest.raises(ValidationError, match="填写理由"):
        leave_step_decide(leave=leave, by=cast.orgdept, approve=False)
    leave = leave_step_decide(leave=leave, by=cast.orgdept, approve=False, comment="时间过长")
    assert leave.status == LeaveStatus.REFUSED
    told = Notification.objects.filter(user=cast.trainee_1, kind=Kind.LEAVE_DECIDED)
    assert told.count() == 2
    assert "组织部" in told.order_by("pk").first().body  # the trainee sees who holds it next
    assert [s.state for s in leave.approval_steps.all()] == [StepState.APPROVED, StepState.REFUSED]


def test_a_trainee_without_a_counselor_is_decided_by_staff(cast, year):
    cast.group_1.counselor = None
    cast.group_1.save()
    leave = _ask(cast, year, half_day="morning")
    leave = leave_step_decide(leave=leave, by=cast.staff, approve=True)
    assert leave.status == LeaveStatus.APPROVED


def test_a_step_waiting_past_the_camps_limit_passes_to_staff(cast, year, clock):
    approval_policy(cast.camp)  # default: 48 h
    leave = _ask(cast, year, half_day="morning")
    assert leave_steps_pass_overdue(now=clock.now + datetime.timedelta(hours=47)) == 0
    assert leave_steps_pass_overdue(now=clock.now + datetime.timedelta(hours=49)) == 1
    step = leave.approval_steps.get()
    assert (step.role, step.passed_from) == ("staff", "counselor")
    assert "党校管理员" in leave_holder_label(leave)
    with pytest.raises(PermissionDenied):
        leave_step_decide(leave=leave, by=cast.counselor_1, approve=True)
    assert leave_step_decide(leave=leave, by=cast.staff, approve=True).status == "approved"


def test_staff_deciding_the_whole_leave_closes_its_steps(cast, year):
    leave = _ask(cast, year, half_day="")
    leave_decide(leave=leave, approve=True, by=cast.staff, note="同意")
    assert [s.state for s in leave.approval_steps.all()] == [StepState.APPROVED]


def test_the_camp_sets_its_own_steps(cast, year):
    policy = approval_policy(cast.camp)
    policy.half_day_steps = ["staff", "orgdept"]
    policy.save()
    assert _roles(_ask(cast, year, half_day="morning")) == ["staff", "orgdept"]


def test_the_trainee_sees_who_holds_their_pending_leave(client, cast, year):
    from django.urls import reverse

    _ask(cast, year, half_day="morning")
    client.force_login(cast.trainee_1)
    page = client.get(reverse("curriculum-leave", args=[cast.camp.code])).content.decode()
    assert "第1步：小组辅导员审批中" in page


def test_the_counselor_decides_their_step_from_the_leave_page(client, cast, year):
    from django.urls import reverse

    leave = _ask(cast, year, half_day="morning")
    client.force_login(cast.counselor_1)
    page = client.get(reverse("curriculum-leave", args=[cast.camp.code])).content.decode()
    assert reverse("curriculum-leave-decide", args=[leave.pk]) in page
    client.post(reverse("curriculum-leave-decide", args=[leave.pk]), {"approve": "1", "note": ""})
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert leave.decided_by == cast.counselor_1


def test_a_leave_from_before_the_steps_is_decided_by_staff_only(cast, year):
    leave = _ask(cast, year, half_day="morning")
    leave.approval_steps.all().delete()  # as a leave pending when the steps came in
    for user in (cast.counselor_1, cast.orgdept):
        with pytest.raises(PermissionDenied):
            leave_step_decide(leave=leave, by=user, approve=True)
    leave_step_decide(leave=leave, by=cast.staff, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_a_withdrawn_leave_skips_its_open_steps(cast, year):
    from curriculum.services.leave import leave_cancel

    leave = _ask(cast, year, half_day="morning")
    leave_cancel(leave=leave, by=cast.trainee_1)
    assert set(leave.approval_steps.values_list("state", flat=True)) == {StepState.SKIPPED}
