"""Staff set who approves which leave (curriculum/views/approval.py and the policy service)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import LeaveApprovalPolicy, TrainingDay
from curriculum.services.leave import leave_request
from curriculum.services.leave_approval import approval_policy, leave_approval_policy_update

FORM = {
    "wait_hours": "24",
    "half_day_steps_1": "staff",
    "one_day_steps_1": "counselor",
    "one_day_steps_2": "staff",
    "longer_steps_1": "counselor",
    "longer_steps_2": "staff",
    "longer_steps_3": "orgdept",
}


def test_staff_set_the_steps_and_a_new_request_follows_them(client, cast):
    client.force_login(cast.staff)
    url = reverse("curriculum-leave-approval-policy", args=[cast.camp.code])
    assert client.get(url).status_code == 200
    assert client.post(url, FORM).status_code == 302
    policy = LeaveApprovalPolicy.objects.get(camp=cast.camp)
    assert policy.half_day_steps == ["staff"]
    assert policy.one_day_steps == ["counselor", "staff"]
    assert policy.longer_steps == ["counselor", "staff", "orgdept"]
    assert policy.wait_hours == 24

    day = TrainingDay.objects.create(
        camp=cast.camp,
        number=9,
        slot_date=datetime.date(2027, 1, 9),
        date=datetime.date(2027, 1, 9),
    )
    leave = leave_request(
        trainee=cast.trainee_in_group_1,
        training_day=day,
        half_day="",
        reason="单位重点项目验收",
        by=cast.trainee_1,
    )
    assert [step.role for step in leave.approval_steps.order_by("order")] == [
        "counselor",
        "staff",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"longer_steps_2": "", "longer_steps_3": "orgdept"}, "依次填写"),
        ({"one_day_steps_2": "counselor"}, "不能出现两次"),
        ({"half_day_steps_1": ""}, "这个字段是必填项"),
        ({"wait_hours": "0"}, "wait_hours"),
    ],
)
def test_bad_steps_are_refused_in_chinese_and_write_nothing(client, cast, change, message):
    client.force_login(cast.staff)
    before = approval_policy(cast.camp)
    response = client.post(
        reverse("curriculum-leave-approval-policy", args=[cast.camp.code]), {**FORM, **change}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert message in str(form.errors) or message in form.errors
    after = LeaveApprovalPolicy.objects.get(camp=cast.camp)
    assert (after.half_day_steps, after.one_day_steps, after.longer_steps, after.wait_hours) == (
        before.half_day_steps,
        before.one_day_steps,
        before.longer_steps,
        before.wait_hours,
    )


def test_the_service_refuses_an_empty_or_repeated_list(cast):
    with pytest.raises(ValidationError):
        leave_approval_policy_update(
            camp=cast.camp,
            half_day_steps=[],
            one_day_steps=["staff"],
            longer_steps=["staff"],
            wait_hours=48,
            by=cast.staff,
        )
    with pytest.raises(ValidationError):
        leave_approval_policy_update(
            camp=cast.camp,
            half_day_steps=["staff", "staff"],
            one_day_steps=["staff"],
            longer_steps=["staff"],
            wait_hours=48,
            by=cast.staff,
        )


def test_only_staff_see_the_settings_link_on_the_leave_page(client, cast):
    url = reverse("curriculum-leave", args=[cast.camp.code])
    link = reverse("curriculum-leave-approval-policy", args=[cast.camp.code])
    client.force_login(cast.staff)
    assert link in client.get(url).content.decode()
    client.force_login(cast.counselor_1)
    assert link not in client.get(url).content.decode()
