"""Searchable pickers: the server sends a plain select whose options carry the stored initials;
without JavaScript it is an ordinary select, and the form works as before."""

import datetime
import re

from django import forms
from django.urls import reverse

from assessment.models import LeaderComment
from camp.widgets import PersonSelect, initials_of
from trainees.models import Trainee

from ..factories import PersonFactory, TraineeFactory


def test_each_option_carries_the_persons_stored_initials(cast):
    zhang = TraineeFactory(camp=cast.camp, person=PersonFactory(name="单田芳"))

    class PickOne(forms.Form):
        trainee = forms.ModelChoiceField(
            queryset=Trainee.objects.filter(pk=zhang.pk).select_related("person"),
            widget=PersonSelect,
        )

    html = str(PickOne()["trainee"])
    assert "data-searchable" in html
    assert f'<option value="{zhang.pk}" data-initials="{initials_of(zhang)}">' in html
    assert set(initials_of(zhang).split()) == {"dtf", "ctf", "stf"}


def test_the_leaders_trainee_picker_is_a_plain_select_marked_searchable(client, cast):
    TraineeFactory(camp=cast.camp, person=PersonFactory(name="张华生"))
    client.force_login(cast.leader)
    page = client.get(reverse("assessment-comment-new", args=[cast.camp.code])).content.decode()
    select = re.search(r'<select name="trainee"[^>]*>', page).group(0)
    assert "data-searchable" in select
    assert re.search(r'<option value="\d+" data-initials="zhs">张华生</option>', page)


def test_the_picker_posts_as_a_plain_select_without_javascript(client, cast):
    zhang = TraineeFactory(camp=cast.camp, person=PersonFactory(name="张华生"))
    client.force_login(cast.leader)
    response = client.post(
        reverse("assessment-comment-new", args=[cast.camp.code]),
        {
            "date": datetime.date(2026, 3, 10).isoformat(),
            "occasion": "阶段汇报",
            "target": "trainee",
            "trainee": zhang.pk,
            "text": "汇报扎实。",
        },
    )
    assert response.status_code == 302
    assert LeaderComment.objects.get().trainee == zhang
