"""Score entry screens, tried by every persona, and the concurrent edit on the page."""

import datetime
from decimal import Decimal

from django.urls import reverse

from assessment.models import ScoreEntry
from assessment.services.entries import score_entry_create, score_entry_update
from tests.personas import LOGIN, try_everyone

from .conftest import item_of

DAY = datetime.date(2026, 3, 14)


def counselor_entry(cast, trainee=None):
    return score_entry_create(
        trainee=trainee or cast.trainee_in_group_1,
        item=item_of(cast.camp, 3),
        points="8",
        date=DAY,
        by=cast.counselor_1 if trainee is None else cast.counselor_2,
        reason="笔记认真",
    )


def test_the_entry_list_follows_the_access_table(client, cast):
    url = reverse("assessment-entries", args=[cast.trainee_in_group_1.pk])
    assert try_everyone(client, cast, url) == {
        "anonymous": LOGIN,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 200,
        "trainee_2": 404,
        "orgdept": 200,
        "leader": 200,
    }


def test_recording_is_for_staff_and_the_groups_counselor(client, cast):
    url = reverse("assessment-entry-new", args=[cast.trainee_in_group_1.pk])
    assert try_everyone(client, cast, url) == {
        "anonymous": LOGIN,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 403,
        "trainee_2": 403,
        "orgdept": 403,
        "leader": 403,
    }


def test_editing_and_deleting_an_entry_follow_the_access_table(client, cast):
    entry = counselor_entry(cast)
    expected = {
        "anonymous": LOGIN,
        "staff": 200,
        "counselor_1": 200,
        "counselor_2": 404,
        "trainee_1": 403,
        "trainee_2": 403,
        "orgdept": 403,
        "leader": 403,
    }
    for name in ("assessment-entry-edit", "assessment-entry-delete"):
        assert try_everyone(client, cast, reverse(name, args=[entry.pk])) == expected
    history = reverse("assessment-entry-history", args=[entry.pk])
    assert try_everyone(client, cast, history) == {
        **expected,
        "trainee_1": 200,
        "trainee_2": 404,
        "orgdept": 200,
        "leader": 200,
    }


def test_a_trainee_cannot_post_an_entry_for_anyone(client, cast):
    client.force_login(cast.trainee_1)
    for trainee in (cast.trainee_in_group_1, cast.trainee_in_group_2):
        response = client.post(
            reverse("assessment-entry-new", args=[trainee.pk]),
            {"item": item_of(cast.camp, 2).pk, "points": "1", "date": DAY, "reason": "x"},
        )
        assert response.status_code in (403, 404)
    assert not ScoreEntry.objects.exists()


def test_staff_record_an_entry_and_a_bad_one_is_explained_in_chinese(client, cast):
    client.force_login(cast.staff)
    url = reverse("assessment-entry-new", args=[cast.trainee_in_group_1.pk])
    item = item_of(cast.camp, 4)
    response = client.post(url, {"item": item.pk, "points": "25", "date": DAY, "reason": ""})
    assert response.status_code == 200
    assert "超过了“学习心得”的满分" in response.content.decode()
    assert not ScoreEntry.objects.exists()
    response = client.post(url, {"item": item.pk, "points": "17", "date": DAY, "reason": ""})
    assert response.status_code == 302
    assert ScoreEntry.objects.get().points == Decimal("17.0")


def test_the_second_of_two_concurrent_edits_on_the_page_is_shown_the_current_value(client, cast):
    entry = counselor_entry(cast)
    url = reverse("assessment-entry-edit", args=[entry.pk])
    # Someone else saves after our page was opened at version 1.
    score_entry_update(
        entry=entry, points="9", date=DAY, by=cast.counselor_1, reason="复核", version=1
    )
    client.force_login(cast.staff)
    response = client.post(
        url,
        {"points": "6", "date": DAY, "reason": "我的修改", "version": 1},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "该记录已被他人修改" in page
    assert "当前值：9.0 分" in page
    assert ScoreEntry.objects.get().points == Decimal("9.0")
    # Having seen it, a deliberate second save (now at version 2) goes through.
    response = client.post(url, {"points": "6", "date": DAY, "reason": "我的修改", "version": 2})
    assert response.status_code == 302
    assert ScoreEntry.objects.get().points == Decimal("6.0")


def test_a_delete_asks_for_a_reason_and_is_kept_in_the_history(client, cast):
    entry = counselor_entry(cast)
    client.force_login(cast.counselor_1)
    url = reverse("assessment-entry-delete", args=[entry.pk])
    response = client.post(url, {"reason": "录错学员", "version": 1})
    assert response.status_code == 302
    assert not ScoreEntry.objects.exists()
    assert ScoreEntry.history.get(history_type="-").history_change_reason == "录错学员"


def test_the_history_page_shows_who_changed_what_and_why(client, cast):
    entry = counselor_entry(cast)
    score_entry_update(
        entry=entry, points="9", date=DAY, by=cast.counselor_1, reason="复核后上调", version=1
    )
    client.force_login(cast.staff)
    page = client.get(reverse("assessment-entry-history", args=[entry.pk])).content.decode()
    assert "复核后上调" in page
    assert "8.0" in page
    assert "9.0" in page


def test_the_entry_list_takes_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    for month in range(1, 6):  # five months: five cells of a monthly item
        score_entry_create(
            trainee=cast.trainee_in_group_1,
            item=item_of(cast.camp, 4),
            points="15",
            date=DAY.replace(month=month),
            by=cast.staff,
        )
    client.force_login(cast.staff)
    url = reverse("assessment-entries", args=[cast.trainee_in_group_1.pk])
    client.get(url)  # warm the session
    # session, user, trainee (+camp, group, person), one page of entries: their count, then
    # the page (+item, recorder), items of the scheme, the filters' item choices, the header's
    # current camp; the session was stamped by the first visit and is not written again
    # within the minute
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_a_second_grade_for_the_month_is_shown_the_first_and_only_a_deliberate_save_edits_it(
    client, cast
):
    trainee = cast.trainee_in_group_1
    item = item_of(cast.camp, 4)  # 学习心得: staff, monthly
    score_entry_create(
        trainee=trainee, item=item, points="15", date=DAY, by=cast.staff, reason="三月心得"
    )
    client.force_login(cast.staff)
    url = reverse("assessment-entry-new", args=[trainee.pk])
    typed = {"item": item.pk, "points": "17", "date": "2026-03-28", "reason": "复评"}

    response = client.post(url, typed)  # the new-entry form saw an empty cell

    assert response.status_code == 200
    page = response.content.decode()
    assert "该单元格已有记录：王管理" in page
    assert 'data-testid="stale"' in page
    assert list(ScoreEntry.objects.values_list("points", flat=True)) == [Decimal("15.0")]

    response = client.post(url, {**typed, "version": "1"})  # now it has seen the grade
    assert response.status_code == 302
    assert list(ScoreEntry.objects.values_list("points", "date")) == [(Decimal("17.0"), DAY)]


def test_the_entry_list_pages_and_filters_by_item_and_month(client, cast):
    for month in range(3, 13):
        for item_number in (4, 5):
            score_entry_create(
                trainee=cast.trainee_in_group_1,
                item=item_of(cast.camp, item_number),
                points="5",
                date=DAY.replace(month=month),
                by=cast.staff,
            )
    client.force_login(cast.staff)
    url = reverse("assessment-entries", args=[cast.trainee_in_group_1.pk])
    first = client.get(url)
    assert first.context["listing"].count == 20
    item = item_of(cast.camp, 5)
    by_item = client.get(url, {"item": item.pk}).context["entries"]
    assert {e.item_id for e in by_item} == {item.pk}
    assert len(by_item) == 10
    may = client.get(url, {"month": DAY.replace(month=5).strftime("%Y-%m")}).context["entries"]
    assert {e.date.month for e in may} == {5}
    assert len(may) == 2
    oldest_first = client.get(url, {"sort": "date"}).context["entries"]
    assert [e.date for e in oldest_first] == sorted(e.date for e in oldest_first)
    assert len(client.get(url, {"per": 25, "page": 2}).context["entries"]) == 20  # last page
