"""The camp editions' pages: list, create, edit."""

import datetime

import pytest
from django.urls import reverse

from camp.models import Camp

NEW_CAMP = {
    "code": "2027",
    "name": "南太湖新锐特训营（2027届）",
    "year": "2027",
    "start_month": "1",
    "capacity": "150",
    "selection_reference_date": "2027-01-01",
    "recruitment_window_start": "2024",
    "recruitment_window_end": "2026",
    "status": "planning",
    "trainee_rank_visibility": "own_rank",
}


def test_the_new_camp_form_proposes_next_year(client, cast, monkeypatch):
    monkeypatch.setattr("camp.views.timezone.localdate", lambda: datetime.date(2031, 5, 1))
    client.force_login(cast.staff)
    form = client.get(reverse("camp-new")).context["form"]
    assert form.initial["year"] == 2032
    assert form.initial["recruitment_window_start"] == 2029


def test_staff_create_a_camp_with_its_six_groups(client, cast):
    client.force_login(cast.staff)
    response = client.post(reverse("camp-new"), NEW_CAMP)
    assert response.status_code == 302
    camp = Camp.objects.get(code="2027")
    assert camp.groups.count() == 6


@pytest.mark.parametrize("persona", ["counselor_1", "trainee_1", "orgdept", "leader"])
def test_nobody_else_creates_or_edits_a_camp(client, cast, persona):
    client.force_login(getattr(cast, persona))
    assert client.post(reverse("camp-new"), NEW_CAMP).status_code == 403
    edit = reverse("camp-edit", args=[cast.camp.code])
    assert client.post(edit, {**NEW_CAMP, "code": cast.camp.code}).status_code == 403
    assert not Camp.objects.filter(code="2027").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "名" * 101}, "name"),
        ({"selection_reference_date": "2027-02-30"}, "selection_reference_date"),
        ({"capacity": "-1"}, "capacity"),
        ({"year": "abc"}, "year"),
        ({"code": ""}, "code"),
    ],
)
def test_a_bad_camp_is_refused_with_a_chinese_reason_and_nothing_written(
    client, cast, change, field
):
    client.force_login(cast.staff)
    response = client.post(reverse("camp-new"), {**NEW_CAMP, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(errors[field]))  # said in Chinese
    assert not Camp.objects.filter(code="2027").exists()


def test_staff_set_the_study_hours_settings_and_bad_ones_write_nothing(client, cast):
    client.force_login(cast.staff)
    edit = reverse("camp-edit", args=[cast.camp.code])
    same = {**NEW_CAMP, "code": cast.camp.code}
    assert client.post(edit, {**same, "hours_per_half_day": "3.5"}).status_code == 302
    camp = Camp.objects.get(pk=cast.camp.pk)
    assert (str(camp.hours_per_half_day), str(camp.min_hours_share)) == ("3.5", "80.0")
    refused = client.post(edit, {**same, "min_hours_share": "120"})
    assert "结业最低学时比例应为 0 到 100" in refused.content.decode()
    assert str(Camp.objects.get(pk=cast.camp.pk).min_hours_share) == "80.0"


def test_staff_set_the_time_of_the_daily_reminders_and_a_bad_one_writes_nothing(client, cast):
    client.force_login(cast.staff)
    edit = reverse("camp-edit", args=[cast.camp.code])
    same = {**NEW_CAMP, "code": cast.camp.code}
    assert client.post(edit, same).status_code == 302  # left out: stays 18:00
    assert Camp.objects.get(pk=cast.camp.pk).reminder_time == datetime.time(18, 0)
    assert client.post(edit, {**same, "reminder_time": "17:30"}).status_code == 302
    assert Camp.objects.get(pk=cast.camp.pk).reminder_time == datetime.time(17, 30)
    refused = client.post(edit, {**same, "reminder_time": "25:99"})
    assert refused.status_code == 200
    assert "reminder_time" in refused.context["form"].errors
    assert Camp.objects.get(pk=cast.camp.pk).reminder_time == datetime.time(17, 30)
