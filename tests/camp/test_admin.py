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
