"""Server-side drafts of long forms: kept per author and form, refused for forms the user may
not write, offered back on the form's page and gone once the form is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.models import WeeklyReview
from assessment.services.reviews import weekly_review_save
from camp.models import Draft
from camp.selectors import draft_of
from camp.services.drafts import DRAFT_KEEP_DAYS, MAX_CHARS, draft_discard, draft_save
from camp.tasks import expire_old_drafts

WEEK = "2026-03-02"


def _key(cast, group=None):
    return f"review.{(group or cast.group_1).pk}.{WEEK}"


def _write_url(cast):
    return reverse("assessment-review-write", args=[cast.group_1.pk, WEEK])


def test_saving_again_replaces_the_authors_draft_and_drops_the_csrf_token(cast):
    key = _key(cast)
    first = {"highlights": "一", "csrfmiddlewaretoken": "t"}
    draft_save(user=cast.counselor_1, key=key, data=first)
    draft_save(user=cast.counselor_1, key=key, data={"highlights": "一二"})
    draft = Draft.objects.get()
    assert draft.data == {"highlights": "一二"}
    assert draft.user == cast.counselor_1


def test_a_draft_is_read_only_by_its_author(cast):
    draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "私人草稿"})
    assert draft_of(user=cast.counselor_1, key=_key(cast)).data["highlights"] == "私人草稿"
    assert draft_of(user=cast.counselor_2, key=_key(cast)) is None
    draft_discard(user=cast.counselor_2, key=_key(cast))  # someone else's discard touches nothing
    assert Draft.objects.count() == 1


def test_an_oversized_draft_is_refused_and_nothing_is_kept(cast):
    with pytest.raises(ValidationError):
        draft_save(user=cast.counselor_1, key=_key(cast), data={"x": "字" * (MAX_CHARS + 1)})
    assert not Draft.objects.exists()


def test_the_counselor_keeps_a_draft_through_the_endpoint(client, cast):
    client.force_login(cast.counselor_1)
    response = client.post(
        reverse("draft-keep", args=[_key(cast)]),
        {"highlights": "讨论热烈", f"remark_{cast.trainee_in_group_1.pk}": "发言有深度"},
    )
    assert response.status_code == 200
    assert "草稿已保存" in response.json()["message"]
    assert Draft.objects.get().data["highlights"] == "讨论热烈"


@pytest.mark.parametrize(
    ("who", "status"),
    [("counselor_2", 404), ("trainee_1", 403), ("staff", 403), ("leader", 403)],
)
def test_nobody_keeps_a_draft_of_a_form_they_may_not_write(client, cast, who, status):
    client.force_login(getattr(cast, who))
    response = client.post(reverse("draft-keep", args=[_key(cast)]), {"highlights": "x"})
    assert response.status_code == status
    assert not Draft.objects.exists()


def test_an_unknown_or_malformed_key_is_not_found(client, cast):
    client.force_login(cast.counselor_1)
    for key in ("nothing.1", "review.abc.2026-03-02", "review.1.not-a-day", "review"):
        response = client.post(reverse("draft-keep", args=[key]), {"highlights": "x"})
        assert response.status_code == 404, key
    assert not Draft.objects.exists()


def test_anonymous_and_get_requests_keep_nothing(client, cast):
    url = reverse("draft-keep", args=[_key(cast)])
    assert client.post(url, {"highlights": "x"}).status_code == 302  # to the login page
    client.force_login(cast.counselor_1)
    assert client.get(url).status_code == 405
    assert not Draft.objects.exists()


def test_the_form_offers_the_draft_with_its_time_and_restores_it(client, cast):
    draft = draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "断网前写的"})
    client.force_login(cast.counselor_1)
    page = client.get(_write_url(cast)).content.decode()
    assert "恢复草稿" in page
    assert draft.saved_at.astimezone().strftime("%Y-%m-%d") in page
    assert "断网前写的" not in page  # offered, not forced on the form
    restored = client.get(_write_url(cast) + "?draft=restore").content.decode()
    assert "断网前写的" in restored
    assert "已恢复" in restored


def test_another_counselor_never_sees_the_draft(client, cast):
    draft_save(user=cast.counselor_1, key=_key(cast, cast.group_2), data={"highlights": "x"})
    client.force_login(cast.counselor_2)
    page = client.get(reverse("assessment-review-write", args=[cast.group_2.pk, WEEK]))
    assert "恢复草稿" not in page.content.decode()


def test_saving_the_review_deletes_its_draft(client, cast):
    draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "草稿"})
    client.force_login(cast.counselor_1)
    response = client.post(_write_url(cast), {"highlights": "正式", "problems": ""})
    assert response.status_code == 302
    assert WeeklyReview.objects.get().highlights == "正式"
    assert not Draft.objects.exists()


def test_a_refused_review_keeps_its_draft(client, cast):
    draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "草稿"})
    client.force_login(cast.counselor_1)
    response = client.post(_write_url(cast), {"highlights": "", "problems": ""})
    assert response.status_code == 200
    assert Draft.objects.count() == 1


def test_the_author_throws_a_draft_away(client, cast):
    draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "不要了"})
    client.force_login(cast.counselor_1)
    response = client.post(
        reverse("draft-discard", args=[_key(cast)]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not Draft.objects.exists()


def test_a_leader_keeps_a_draft_of_a_comment_which_a_counselor_may_not(client, cast):
    key = f"comment.{cast.camp.code}"
    client.force_login(cast.leader)
    kept = client.post(reverse("draft-keep", args=[key]), {"text": "思路清晰"})
    assert kept.status_code == 200
    page = client.get(reverse("assessment-comment-new", args=[cast.camp.code]) + "?draft=restore")
    assert "思路清晰" in page.content.decode()
    client.force_login(cast.counselor_1)
    assert client.post(reverse("draft-keep", args=[key]), {"text": "x"}).status_code == 403
    assert Draft.objects.count() == 1


def test_a_trainee_keeps_a_draft_of_a_submission_and_only_their_own(client, cast):
    key = f"submission.{cast.camp.code}"
    client.force_login(cast.trainee_1)
    assert (
        client.post(reverse("draft-keep", args=[key]), {"text": "学习心得初稿"}).status_code == 200
    )
    page = client.get(reverse("assessment-my-submissions", args=[cast.camp.code]))
    assert "恢复草稿" in page.content.decode()
    client.force_login(cast.trainee_2)
    page = client.get(reverse("assessment-my-submissions", args=[cast.camp.code]))
    assert "恢复草稿" not in page.content.decode()
    client.force_login(cast.counselor_1)  # not a trainee of the camp
    assert client.post(reverse("draft-keep", args=[key]), {"text": "x"}).status_code == 404
    assert Draft.objects.get().user == cast.trainee_1


def test_a_draft_older_than_the_saved_review_is_not_offered(client, cast, monkeypatch):
    """A draft request still on its way when the form was saved arrives after the deletion."""

    draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "旧草稿"})
    later = timezone.now() + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    weekly_review_save(
        group=cast.group_1,
        week_start=datetime.date(2026, 3, 2),
        highlights="正式",
        problems="",
        remarks={},
        by=cast.counselor_1,
    )
    client.force_login(cast.counselor_1)
    page = client.get(_write_url(cast) + "?draft=restore").content.decode()
    assert "恢复草稿" not in page
    assert "旧草稿" not in page


def test_drafts_untouched_for_a_month_are_deleted_by_the_daily_job(cast):
    old = draft_save(user=cast.counselor_1, key=_key(cast), data={"highlights": "旧"})
    fresh = draft_save(user=cast.leader, key=f"comment.{cast.camp.code}", data={"text": "新"})
    Draft.objects.filter(pk=old.pk).update(
        saved_at=timezone.now() - datetime.timedelta(days=DRAFT_KEEP_DAYS, minutes=1)
    )
    assert expire_old_drafts() == 1
    assert list(Draft.objects.all()) == [fresh]
