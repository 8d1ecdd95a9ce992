"""Leave tells people: a request reaches staff's inbox, a decision the trainee's."""

from camp.notifications.models import Kind, Notification
from curriculum.services.leave import leave_decide, leave_request


def _ask(cast, year):
    return leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="morning",
        reason="单位公务",
        by=cast.trainee_1,
    )


def test_a_request_reaches_its_approver_and_its_decision_reaches_the_trainee(cast, year):
    leave = _ask(cast, year)
    [to_approve] = Notification.objects.filter(kind=Kind.LEAVE_TO_APPROVE)
    assert to_approve.user == cast.counselor_1  # a half-day: the group's counselor holds it
    assert str(cast.trainee_in_group_1) in to_approve.title
    assert to_approve.url.endswith(f"/camps/{cast.camp.code}/leave/")
    leave_decide(leave=leave, approve=False, by=cast.staff, note="当天有考核")
    [decided] = Notification.objects.filter(kind=Kind.LEAVE_DECIDED)
    assert decided.user == cast.trainee_1
    assert "未批准" in decided.title
    assert "当天有考核" in decided.body


def test_an_approval_tells_the_trainee_when_to_close(cast, year):
    leave_decide(leave=_ask(cast, year), approve=True, by=cast.staff, note="同意")
    decided = Notification.objects.get(kind=Kind.LEAVE_DECIDED)
    assert "已批准" in decided.title
    assert "2026-03-17" in decided.body


def test_staff_recording_and_approving_at_once_tells_only_the_trainee(cast, year):
    leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=year.day,
        half_day="",
        reason="电话请假",
        by=cast.staff,
        approve=True,
    )
    assert not Notification.objects.filter(kind=Kind.LEAVE_TO_APPROVE).exists()
    assert Notification.objects.get(kind=Kind.LEAVE_DECIDED).user == cast.trainee_1
