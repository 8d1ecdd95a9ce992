"""Two officers saving the same after-camp record at the same moment, on a real PostgreSQL with
row locks: one wins, the other is told who saved. (Skipped without PostgreSQL; CI runs it.)"""

import pytest
from django.core.exceptions import ValidationError

from oversight.models import Appraisal
from oversight.services.after_camp import appraisal_create, appraisal_update
from tests.races import race

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def test_two_edits_of_the_same_version_save_one_and_refuse_the_other(postgres):
    one = graduate(finished_camp("2023"), "王一")
    by = orgdept_user()
    appraisal = appraisal_create(graduate=one, by=by, year=2024, grade="competent")

    def edit(grade):
        return lambda: appraisal_update(
            appraisal=Appraisal.objects.get(pk=appraisal.pk),
            by=by,
            version=1,
            year=2024,
            grade=grade,
        )

    results = race(edit("excellent"), edit("incompetent"))

    refused = [r for r in results if isinstance(r, ValidationError)]
    saved = [r for r in results if isinstance(r, Appraisal)]
    assert (len(saved), len(refused)) == (1, 1)
    assert "组织部甲" in refused[0].messages[0]
    final = Appraisal.objects.get(pk=appraisal.pk)
    assert (final.grade, final.version) == (saved[0].grade, 2)


def test_two_first_appraisals_of_one_year_leave_one(postgres):
    one = graduate(finished_camp("2023"), "王一")
    by = orgdept_user()

    def create(grade):
        return lambda: appraisal_create(graduate=one, by=by, year=2024, grade=grade)

    results = race(create("excellent"), create("competent"))
    assert sum(isinstance(r, Appraisal) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Appraisal.objects.count() == 1
