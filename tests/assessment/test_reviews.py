"""Weekly group reviews: who writes, who reads which remarks, and the weeks still missing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from assessment.models import WeeklyReview
from assessment.panels import missing_reviews
from assessment.review_selectors import missing_review_weeks
from assessment.services.reviews import weekly_review_save
from tests.factories import TraineeFactory

MONDAY = datetime.date(2026, 3, 2)


@pytest.fixture
def review(cast):
    mate = TraineeFactory(camp=cast.camp, group=cast.group_1)
    return weekly_review_save(
        group=cast.group_1,
        week_start=MONDAY,
        highlights="讨论热烈",
        problems="笔记不规范",
        remarks={cast.trainee_in_group_1.pk: "发言有深度", mate.pk: "需按时参加活动"},
        by=cast.counselor_1,
    )


def _get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_a_trainee_reads_the_review_with_only_their_own_remark(client, cast, review):
    page = _get(client, cast.trainee_1, "assessment-review", review.pk).content.decode()
    assert "讨论热烈" in page
    assert "笔记不规范" in page
    assert "发言有深度" in page
    assert "需按时参加活动" not in page


def test_overseers_read_every_remark(client, cast, review):
    for user in (cast.staff, cast.orgdept, cast.leader, cast.counselor_1):
        page = _get(client, user, "assessment-review", review.pk).content.decode()
        assert "发言有深度" in page
        assert "需按时参加活动" in page


def test_another_group_cannot_see_the_review(client, cast, review):
    assert _get(client, cast.trainee_2, "assessment-review", review.pk).status_code == 404
    assert _get(client, cast.counselor_2, "assessment-review", review.pk).status_code == 404
    assert (
        _get(client, cast.trainee_2, "assessment-review-group", cast.group_1.pk).status_code == 404
    )


def test_anonymous_is_sent_to_log_in(client, cast, review):
    response = client.get(reverse("assessment-review", args=[review.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_only_the_groups_counselor_writes(client, cast):
    url = reverse("assessment-review-write", args=[cast.group_1.pk, "2026-03-02"])
    for user, status in ((cast.staff, 403), (cast.trainee_1, 403), (cast.counselor_2, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {"highlights": "x"}).status_code == status
    assert not WeeklyReview.objects.exists()
    client.force_login(cast.counselor_1)
    response = client.post(
        url,
        {"highlights": "亮点", "problems": "", f"remark_{cast.trainee_in_group_1.pk}": "好"},
    )
    assert response.status_code == 302
    saved = WeeklyReview.objects.get()
    assert saved.week_start == MONDAY
    assert saved.remarks.get().remark == "好"


def test_a_replaced_counselor_no_longer_writes(cast, review):
    cast.group_1.counselor = cast.counselor_of_group_2
    cast.group_1.save(update_fields=["counselor"])
    with pytest.raises(ValidationError):
        weekly_review_save(
            group=cast.group_1,
            week_start=MONDAY,
            highlights="x",
            problems="",
            remarks={},
            by=cast.counselor_1,
        )


def test_it_refuses_bad_input_and_writes_nothing(cast):
    cases = [
        {"week_start": MONDAY + datetime.timedelta(days=1)},  # not a Monday
        {"highlights": "", "problems": ""},
        {"remarks": {cast.trainee_in_group_2.pk: "别组的学员"}},
    ]
    for case in cases:
        args = {
            "group": cast.group_1,
            "week_start": MONDAY,
            "highlights": "亮点",
            "problems": "",
            "remarks": {},
            "by": cast.counselor_1,
        } | case
        with pytest.raises(ValidationError):
            weekly_review_save(**args)
    assert not WeeklyReview.objects.exists()


def test_saving_again_updates_the_week_and_removes_emptied_remarks(cast, review):
    weekly_review_save(
        group=cast.group_1,
        week_start=MONDAY,
        highlights="更新",
        problems="",
        remarks={cast.trainee_in_group_1.pk: ""},
        by=cast.counselor_1,
    )
    review.refresh_from_db()
    assert WeeklyReview.objects.count() == 1
    assert review.highlights == "更新"
    assert not review.remarks.filter(trainee=cast.trainee_in_group_1).exists()
    assert review.history.count() == 2


def test_the_missing_weeks_leave_out_written_ones(cast, review):
    today = datetime.date(2026, 3, 25)  # a Wednesday: weeks of Jan 1 .. Mar 16 are complete
    missing = missing_review_weeks(cast.group_1, today)
    assert MONDAY not in missing
    assert datetime.date(2026, 3, 9) in missing
    assert datetime.date(2026, 3, 23) not in missing  # the current week is not yet due
    assert all(week.weekday() == 0 for week in missing)


def test_the_counselors_home_panel_lists_missing_weeks(cast, review):
    request = RequestFactory().get("/")
    request.user = cast.counselor_1
    context = missing_reviews(request, cast.camp)
    entry = context["entries"][0]
    assert entry["group"] == cast.group_1
    assert MONDAY not in entry["missing"]
    assert entry["missing"]
    request.user = cast.counselor_2
    assert missing_reviews(request, cast.camp)["entries"][0]["group"] == cast.group_2


def test_overseers_pick_a_group_from_its_latest_review_week(client, cast, review):
    weekly_review_save(
        group=cast.group_1,
        week_start=MONDAY + datetime.timedelta(days=7),
        highlights="按时完成",
        problems="",
        remarks={},
        by=cast.counselor_1,
    )
    response = _get(client, cast.orgdept, "assessment-reviews", cast.camp.code)
    latest = {row["group"].pk: row["latest"] for row in response.context["rows"]}
    assert latest[cast.group_1.pk] == MONDAY + datetime.timedelta(days=7)
    assert latest[cast.group_2.pk] is None
    assert len(latest) == 6
    assert "2026-03-09" in response.content.decode()


def test_the_review_form_names_exactly_who_reads_a_remark(client, cast, review):
    """The form once said a remark was "仅本人可见" while overseers read every one of them."""
    body = _get(
        client, cast.counselor_1, "assessment-review-write", cast.group_1.pk, "2026-03-02"
    ).content.decode()
    assert "仅本人可见" not in body
    assert (
        "每条个人点评：被点评的学员本人、本组政治辅导员、党校管理员、组织部和领导可以看到" in body
    )
    assert "同组其他学员看不到" in body
    assert "亮点和问题与不足：本组全体学员" in body

    # What the label says is what the pages do.
    readers = (cast.trainee_1, cast.counselor_1, cast.staff, cast.orgdept, cast.leader)
    for reader in readers:
        assert "发言有深度" in _get(client, reader, "assessment-review", review.pk).content.decode()
    mate = cast.group_1.trainees.exclude(pk=cast.trainee_in_group_1.pk).get()
    client.force_login(mate.person.user)
    assert (
        "发言有深度"
        not in client.get(reverse("assessment-review", args=[review.pk])).content.decode()
    )
