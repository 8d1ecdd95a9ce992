"""What the oversight app registers with camp.retention (oversight/retention.py): a graduate's
after-camp record loses what names them once their edition's period has expired, and keeps what
the promotion rates are made of."""

import datetime

import pytest

from camp.services.retention import retention_apply
from oversight.after_camp_selectors import promotion_rates
from oversight.models import AfterCampNote, Award, PostChange
from oversight.services.after_camp import award_create, post_change_create

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def record():
    # Graduated 28 December 2020: trainees' data is kept through 28 December 2025.
    camp = finished_camp("2020")
    one = graduate(camp, "王一")
    by = orgdept_user()
    post_change_create(
        graduate=one,
        by=by,
        date=D(2021, 6, 1),
        post="某镇镇长",
        rank="section_chief",
        promotion=True,
    )
    award_create(graduate=one, by=by, date=D(2022, 3, 1), name="优秀共产党员", body="某县委")
    AfterCampNote.objects.create(graduate=one, updated_by=by, date=D(2022, 5, 1), text="调研扎实")
    return camp, one


def test_an_after_camp_record_is_kept_until_the_period_ends(record):
    retention_apply(today=D(2025, 12, 28), process="command")
    assert PostChange.objects.get().post == "某镇镇长"
    assert AfterCampNote.objects.get().text == "调研扎实"


def test_it_clears_the_post_award_and_notes_but_keeps_the_promotion_rates(record):
    camp, _one = record
    before = promotion_rates([camp], today=D(2025, 12, 29))
    retention_apply(today=D(2025, 12, 29), process="command")
    change = PostChange.objects.get()
    assert (change.post, change.date, change.promotion) == ("", D(2021, 6, 1), True)
    assert (Award.objects.get().name, Award.objects.get().body) == ("", "")
    assert AfterCampNote.objects.get().text == ""
    assert set(PostChange.history.values_list("post", flat=True)) == {""}
    assert promotion_rates([camp], today=D(2025, 12, 29)) == before
