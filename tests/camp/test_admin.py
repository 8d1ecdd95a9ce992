"""The admin cannot change what decides a camp's training days behind the camp page's back."""

import pytest
from django.urls import reverse

from ..factories import UserFactory


@pytest.mark.django_db
def test_the_admin_cannot_change_a_camps_year_or_start_month(client, cast):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:camp_camp_change", args=[cast.camp.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="year"' not in html
    assert 'name="start_month"' not in html
    assert 'name="capacity"' in html


@pytest.mark.django_db
def test_the_admin_neither_adds_nor_reverts_a_camp(client, cast):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:camp_camp_add")).status_code == 403
    history = cast.camp.history.first()
    revert = reverse("admin:camp_camp_simple_history", args=[cast.camp.pk, history.history_id])
    assert client.get(revert).status_code == 200  # an old version may be read
    assert client.post(revert, {}).status_code == 403


@pytest.mark.django_db
def test_disabling_a_login_in_the_admin_revokes_its_calendar_feed(client, cast):
    from curriculum.models import CalendarFeedToken
    from curriculum.services.feed import feed_token_get_or_create

    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:camp_user_change", args=[cast.trainee_1.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data.update(
        {
            "is_active": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        }
    )
    data = {name: value for name, value in data.items() if value not in (False, "")}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cast.trainee_1.refresh_from_db()
    assert not cast.trainee_1.is_active
    assert not CalendarFeedToken.objects.filter(token=token).exists()


@pytest.mark.django_db
def test_a_password_set_in_the_admin_is_recorded_as_a_reset(client, cast):
    from camp.models import PasswordReset

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[cast.trainee_1.pk])
    response = client.post(url, {"password1": "Xq7#pLm2vR-w", "password2": "Xq7#pLm2vR-w"})
    assert response.status_code == 302
    (record,) = PasswordReset.objects.filter(user=cast.trainee_1)
    assert (record.by, record.kind) == (root, PasswordReset.Kind.RESET)
    # A refused form sets nothing and records nothing.
    client.post(url, {"password1": "short", "password2": "short"})
    assert PasswordReset.objects.filter(user=cast.trainee_1).count() == 1
