"""The scheme screens, tried by every persona."""

from decimal import Decimal

from django.urls import reverse

from assessment.models import ScoreEntry
from tests.personas import LOGIN, try_everyone

READ_ALL = {
    "anonymous": LOGIN,
    "staff": 200,
    "counselor_1": 200,
    "counselor_2": 200,
    "trainee_1": 200,
    "trainee_2": 200,
    "orgdept": 200,
    "leader": 200,
}
STAFF_ONLY = {**dict.fromkeys(READ_ALL, 403), "anonymous": LOGIN, "staff": 200}


def test_everyone_reads_the_scheme(client, cast):
    url = reverse("assessment-scheme", args=[cast.camp.code])
    assert try_everyone(client, cast, url) == READ_ALL
    client.force_login(cast.trainee_1)
    page = client.get(url).content.decode()
    assert "学习心得" in page
    assert "旷课（未经批准缺勤）每半天：第 1 项扣 2.0 分" in page
    assert "启用方案" not in page
    assert "编辑" not in page


def test_only_staff_edit_items_and_rules(client, cast):
    for name, args in (
        ("assessment-item-edit", [cast.camp.code, 2]),
        ("assessment-attendance-rules", [cast.camp.code]),
    ):
        assert try_everyone(client, cast, reverse(name, args=args)) == STAFF_ONLY


def test_the_status_change_is_staffs_and_post_only(client, cast):
    url = reverse("assessment-scheme-status", args=[cast.camp.code])
    assert try_everyone(client, cast, url) == dict.fromkeys(READ_ALL, 405)
    results = try_everyone(client, cast, url, method="post", data={"action": "deactivate"})
    assert results == {**STAFF_ONLY, "staff": "redirect"}
    cast.camp.assessment_scheme.refresh_from_db()
    assert not cast.camp.assessment_scheme.is_active  # staff's POST, the last one, went through


def test_staff_take_the_scheme_back_to_draft_edit_and_see_why_it_cannot_be_activated(client, cast):
    client.force_login(cast.staff)
    code = cast.camp.code
    client.post(reverse("assessment-scheme-status", args=[code]), {"action": "deactivate"})
    item = cast.camp.assessment_scheme.items.get(number=2)
    response = client.post(
        reverse("assessment-item-edit", args=[code, 2]),
        {
            "name": item.name,
            "category": item.category,
            "max_points": "12.0",
            "kind": item.kind,
            "frequency": item.frequency,
            "recorded_by": ["staff"],
            "submission_grace_days": 5,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.max_points == Decimal("12.0")
    response = client.post(
        reverse("assessment-scheme-status", args=[code]), {"action": "activate"}, follow=True
    )
    assert "超出 2.0 分" in response.content.decode()
    cast.camp.assessment_scheme.refresh_from_db()
    assert not cast.camp.assessment_scheme.is_active


def test_a_frozen_maximum_is_refused_on_the_form(client, cast):
    client.force_login(cast.staff)
    item = cast.camp.assessment_scheme.items.get(number=2)
    ScoreEntry.objects.create(
        trainee=cast.trainee_in_group_1, item=item, points=1, date="2026-03-01"
    )
    response = client.post(
        reverse("assessment-item-edit", args=[cast.camp.code, 2]),
        {
            "name": item.name,
            "category": item.category,
            "max_points": "12.0",
            "kind": item.kind,
            "frequency": item.frequency,
            "recorded_by": ["staff"],
            "submission_grace_days": 5,
        },
    )
    assert response.status_code == 200
    assert "已有考核记录" in response.content.decode()
    item.refresh_from_db()
    assert item.max_points == Decimal("10.0")


def test_saving_the_attendance_rules_recomputes_deductions(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("assessment-attendance-rules", args=[cast.camp.code]),
        {
            "absence_item1_points": "3.0",
            "absence_item12_points": "2.0",
            "late_item1_points": "0.5",
            "leave_item1_points": "0.5",
            "unclosed_leave_item12_points": "1.0",
            "leave_close_days": 3,
        },
        follow=True,
    )
    assert "重新计算考勤扣分" in response.content.decode()
    cast.camp.assessment_scheme.refresh_from_db()
    assert cast.camp.assessment_scheme.absence_item1_points == Decimal("3.0")
    assert cast.camp.assessment_scheme.history.latest().history_user == cast.staff


def test_a_negative_attendance_rule_is_refused_with_a_message_and_nothing_saved(client, cast):
    scheme = cast.camp.assessment_scheme
    before = scheme.absence_item1_points
    client.force_login(cast.staff)
    response = client.post(
        reverse("assessment-attendance-rules", args=[cast.camp.code]),
        {
            "absence_item1_points": "-3",
            "absence_item12_points": "2.0",
            "late_item1_points": "0.5",
            "leave_item1_points": "0.5",
            "unclosed_leave_item12_points": "1.0",
            "leave_close_days": 3,
        },
    )
    assert response.status_code == 200
    assert "扣分按正数填写，不能为负数。" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.absence_item1_points == before
