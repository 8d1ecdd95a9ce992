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
