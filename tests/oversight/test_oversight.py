"""Tracking (跟踪关注), inspection notes (专项考察) and categorized interviews (分类面谈):
orgdept writes; staff and leaders read tracking; interviews are confidential to orgdept and
staff, for every persona."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.models import InspectionNote, Interview, InterviewCategory, TrackedTrainee
from oversight.services.tracking import interview_category_create, interview_create
from tests.personas import log_in_as

from .oversight_world import OversightWorld, build_world

pytestmark = pytest.mark.django_db

SECRET = "机密面谈内容"


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def test_the_three_interview_categories_are_seeded_and_more_can_be_added():
    assert list(InterviewCategory.objects.values_list("name", flat=True)) == [
        "成长规划",
        "岗位履职",
        "问题短板",
    ]
    interview_category_create(name="专项了解")
    with pytest.raises(ValidationError, match="已有同名"):
        interview_category_create(name="专项了解")


def test_orgdept_marks_and_unmarks_a_trainee_with_history(client, cast):
    url = reverse("tracking-toggle", args=[cast.trainee_in_group_1.pk])
    log_in_as(client, cast.orgdept).post(url, {"action": "mark", "reason": "表现突出"})
    tracking = TrackedTrainee.objects.get()
    assert (tracking.reason, tracking.marked_by) == ("表现突出", cast.orgdept)
    assert tracking.history.get().history_user == cast.orgdept
    page = client.get(reverse("tracking-list", args=["2026"]))
    assert "表现突出" in page.content.decode()
    client.post(url, {"action": "unmark"})
    assert not TrackedTrainee.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "leader", "counselor_1", "trainee_1"])
def test_only_orgdept_writes_tracking_and_notes(client, cast, persona):
    trainee = cast.trainee_in_group_1.pk
    user = getattr(cast, persona)
    log_in_as(client, user)
    assert client.post(reverse("tracking-toggle", args=[trainee]), {}).status_code == 403
    note = {"date": "2026-05-01", "occasion": "现场", "observation": "好"}
    response = client.post(reverse("inspection-note-new", args=[trainee]), note)
    assert response.status_code == 403
    assert not TrackedTrainee.objects.exists()
    assert not InspectionNote.objects.exists()


def test_an_inspection_note_is_recorded_and_a_blank_one_refused(client, cast):
    url = reverse("inspection-note-new", args=[cast.trainee_in_group_1.pk])
    log_in_as(client, cast.orgdept)
    blank = client.post(url, {"date": "2026-05-01", "occasion": "现场", "observation": "  "})
    assert blank.status_code == 200
    assert not InspectionNote.objects.exists()
    ok = client.post(url, {"date": "2026-05-01", "occasion": "驻村现场", "observation": "协调有力"})
    assert ok.status_code == 302
    note = InspectionNote.objects.get()
    assert (note.occasion, note.author) == ("驻村现场", cast.orgdept)
    page = client.get(reverse("trainee-oversight", args=[cast.trainee_in_group_1.pk]))
    assert "协调有力" in page.content.decode()


def test_an_interview_is_recorded_through_the_page(client, cast):
    category = InterviewCategory.objects.get(name="问题短板")
    url = reverse("interview-new", args=[cast.trainee_in_group_1.pk])
    response = log_in_as(client, cast.orgdept).post(
        url,
        {
            "category": category.pk,
            "date": "2026-06-01",
            "interviewers": "干部一处",
            "notes": "谈及短板",
        },
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interview-detail", args=[interview.pk])
    assert (interview.category, interview.author) == (category, cast.orgdept)
    assert interview.history.count() == 1


def test_an_interview_before_the_camp_began_is_refused(cast):
    with pytest.raises(ValidationError, match="早于本期开班"):
        interview_create(
            trainee=cast.trainee_in_group_1,
            by=cast.orgdept,
            category=InterviewCategory.objects.first(),
            date=datetime.date(2025, 12, 1),
            interviewers="组织部",
            notes="x",
        )
    assert not Interview.objects.exists()


# Who reads an interview: orgdept and staff. Everyone else is refused and never sees its text.
INTERVIEW_READERS = {"staff", "orgdept"}


def test_interviews_are_confidential_for_every_persona(client, world):
    cast = world.cast
    detail = reverse("interview-detail", args=[world.interview.pk])
    listing = reverse("interview-list", args=["2026"])
    file = reverse("trainee-oversight", args=[cast.trainee_in_group_1.pk])
    for persona, user in cast.everyone().items():
        log_in_as(client, user)
        for url in (detail, listing):
            response = client.get(url)
            if persona in INTERVIEW_READERS:
                assert response.status_code == 200, (persona, url)
                if url == listing:
                    assert "仅组织部和党校管理员可以查看；学员、政治辅导员和领导看不到" in (
                        response.content.decode()
                    )
            elif persona == "anonymous":
                assert response.status_code == 302
            else:
                assert response.status_code in (403, 404), (persona, url)
                assert SECRET not in response.content.decode()
        page = client.get(file)
        if persona == "leader":  # reads the tracking file, without the interviews
            assert page.status_code == 200
            assert "分类面谈" not in page.content.decode()
            assert detail not in page.content.decode()
        elif persona in INTERVIEW_READERS:
            assert detail in page.content.decode()
        else:
            assert page.status_code in (302, 403, 404)
    log_in_as(client, cast.staff)
    assert SECRET in client.get(detail).content.decode()


def test_the_tracking_page_has_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    cast = world.cast
    for trainee in (cast.trainee_in_group_2,):
        TrackedTrainee.objects.create(trainee=trainee, marked_by=cast.orgdept)
    log_in_as(client, cast.orgdept)
    # session, user, camp, the menu's current camp, the page's count, one page of tracked
    # trainees with person/group/marker, the filter's groups (its select), notes with
    # trainee/author, and the idle-timeout session save (savepoint, update, release)
    # + 2 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): the
    # latest published month, the undecided shortlist entries by round.
    with django_assert_num_queries(13):
        response = client.get(reverse("tracking-list", args=["2026"]))
    assert response.content.decode().count('data-testid="tracked-row"') == 2


def test_an_over_long_tracking_reason_is_refused_and_nothing_marked(client, cast):
    url = reverse("tracking-toggle", args=[cast.trainee_in_group_1.pk])
    response = log_in_as(client, cast.orgdept).post(
        url, {"action": "mark", "reason": "长" * 201}, follow=True
    )
    assert "关注理由最多200字" in response.content.decode()
    assert not TrackedTrainee.objects.exists()
