"""After the camp (训后跟踪): the services that write a graduate's record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oversight.models import Appraisal, PostChange
from oversight.services.after_camp import (
    appraisal_create,
    appraisal_update,
    award_create,
    post_change_create,
    post_change_delete,
    post_change_update,
)
from tests.factories import CampFactory, UserFactory

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    camp = finished_camp("2023")
    return camp, graduate(camp, "王一"), orgdept_user()


def test_a_post_change_is_written_with_who_wrote_it(world):
    _camp, one, by = world
    change = post_change_create(
        graduate=one, by=by, date=D(2024, 6, 1), post=" 镇长 ", rank="section_chief", promotion=True
    )
    assert change.post == "镇长"
    assert change.version == 1
    assert change.history.get().history_user == by


def test_it_refuses_a_date_before_graduation_or_in_the_future(world):
    _camp, one, by = world
    with pytest.raises(ValidationError, match="不能早于本期结业日期（2023-12-28）"):
        post_change_create(
            graduate=one,
            by=by,
            date=D(2023, 12, 27),
            post="镇长",
            rank="section_chief",
            promotion=False,
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        award_create(
            graduate=one,
            by=by,
            date=timezone.localdate() + datetime.timedelta(days=1),
            name="奖",
            body="市委",
        )
    with pytest.raises(ValidationError, match="不能早于结业年度"):
        appraisal_create(graduate=one, by=by, year=2022, grade="excellent")
    assert not PostChange.objects.exists()


def test_only_graduates_have_an_after_camp_record(world):
    camp, _one, by = world
    running = CampFactory(code="2026", year=2026)  # a draft graduation is no graduation yet
    for trainee in (
        graduate(camp, "退出者", withdrawn=True),
        graduate(camp, "未结业者", graduates=False),
        graduate(running, "在训者"),
    ):
        with pytest.raises(ValidationError, match="只能为已结业的学员"):
            appraisal_create(graduate=trainee, by=by, year=2024, grade="competent")
    assert not Appraisal.objects.exists()


def test_one_appraisal_per_graduate_per_year(world):
    _camp, one, by = world
    appraisal_create(graduate=one, by=by, year=2024, grade="excellent")
    with pytest.raises(ValidationError, match="2024年度的考核等次已记录（优秀）"):
        appraisal_create(graduate=one, by=by, year=2024, grade="competent")
    assert Appraisal.objects.count() == 1


def test_an_edit_names_the_version_it_saw_and_a_stale_one_is_refused(world):
    _camp, one, by = world
    other = UserFactory(username="orgdept_b", full_name="组织部乙", role="orgdept")
    appraisal = appraisal_create(graduate=one, by=by, year=2024, grade="competent")
    appraisal_update(appraisal=appraisal, by=other, version=1, year=2024, grade="excellent")
    with pytest.raises(ValidationError, match="已被 组织部乙 于"):
        appraisal_update(appraisal=appraisal, by=by, version=1, year=2024, grade="incompetent")
    appraisal.refresh_from_db()
    assert appraisal.grade == "excellent"
    assert appraisal.version == 2


def test_a_stale_delete_is_refused_and_a_fresh_one_kept_in_history(world):
    _camp, one, by = world
    change = post_change_create(
        graduate=one, by=by, date=D(2024, 6, 1), post="镇长", rank="section_chief", promotion=True
    )
    post_change_update(
        post_change=change,
        by=by,
        version=1,
        date=D(2024, 6, 2),
        post="镇长",
        rank="section_chief",
        promotion=True,
    )
    with pytest.raises(ValidationError, match="已被"):
        post_change_delete(post_change=change, by=by, version=1)
    post_change_delete(post_change=change, by=by, version=2)
    assert not PostChange.objects.exists()
    assert change.history.filter(history_type="-").get().history_user == by


def test_one_post_change_a_day(world):
    _camp, one, by = world
    fields = {"post": "镇长", "rank": "section_chief", "promotion": False}
    post_change_create(graduate=one, by=by, date=D(2024, 6, 1), **fields)
    with pytest.raises(ValidationError, match="2024-06-01 已有一条任职变动"):
        post_change_create(graduate=one, by=by, date=D(2024, 6, 1), **fields)
