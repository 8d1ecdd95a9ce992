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


@pytest.mark.django_db
def test_the_admin_neither_adds_deletes_nor_reverts_a_training_day(client, cast):
    day = TrainingDayFactory(camp=cast.camp)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:curriculum_trainingday_add")).status_code == 403
    delete = reverse("admin:curriculum_trainingday_delete", args=[day.pk])
    assert client.get(delete).status_code == 403
    history = day.history.first()
    revert = reverse(
        "admin:curriculum_trainingday_simple_history", args=[day.pk, history.history_id]
    )
    assert client.get(revert).status_code == 200  # an old version may be read
    assert client.post(revert, {}).status_code == 403
