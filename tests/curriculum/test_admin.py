"""The admin cannot move a training day behind the calendar page's back."""

import pytest
from django.urls import reverse

from ..factories import TrainingDayFactory, UserFactory


@pytest.mark.django_db
def test_the_admin_shows_a_training_days_date_but_cannot_change_it(client, cast):
    day = TrainingDayFactory(camp=cast.camp)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:curriculum_trainingday_change", args=[day.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="date"' not in html
    assert 'name="slot_date"' not in html
    assert 'name="locked"' in html  # unlocking a day for re-planning stays possible
