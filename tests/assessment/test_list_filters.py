"""One's export jobs page and filter through the URL (camp.listing), in pinned queries; the
graduation list, printed whole, filters the same way."""

import pytest
from django.urls import reverse

from assessment.models import ExportJob
from assessment.services.graduation import graduation_save
from camp.jobs import JobState
from tests.factories import PersonFactory, TraineeFactory


def _jobs(cast, n, state):
    ExportJob.objects.bulk_create(
        ExportJob(user=cast.staff, camp=cast.camp, kind="ranking", state=state) for _ in range(n)
    )


def test_my_exports_page_25_at_a_time_and_filter_by_state(client, cast):
    _jobs(cast, 27, JobState.DONE)
    _jobs(cast, 3, JobState.FAILED)
    client.force_login(cast.staff)
    url = reverse("my-exports")
    assert len(client.get(url).context["listing"].rows) == 25
    assert len(client.get(url, {"page": 2}).context["listing"].rows) == 5
    failed = client.get(url, {"state": JobState.FAILED}).context["listing"].rows
    assert {job.state for job in failed} == {JobState.FAILED}
    assert len(failed) == 3


def test_my_exports_in_a_pinned_number_of_queries(client, cast, django_assert_num_queries):
    _jobs(cast, 30, JobState.DONE)
    client.force_login(cast.staff)
    url = reverse("my-exports")
    client.get(url)
    # 2 login; 1 the page's current camp (for the export form); 1 the jobs' count; 1 the
    # menu's current camp; 1 the page of jobs with its camp joined.
    with django_assert_num_queries(6):
        client.get(url, {"state": JobState.DONE, "page": 2})


@pytest.fixture
def zhang(cast):
    return TraineeFactory(camp=cast.camp, group=cast.group_2, person=PersonFactory(name="张华生"))


def _graduates(response):
    return [t.person.name for t in response.context["trainees"]]


def test_the_graduation_list_filters_by_initials_and_group_and_stays_whole(client, cast, zhang):
    more = [TraineeFactory(camp=cast.camp, group=cast.group_1) for _ in range(30)]
    client.force_login(cast.staff)
    url = reverse("graduation-list", args=["2026"])
    whole = client.get(url)
    assert len(_graduates(whole)) == 33  # printed: no paging, however long
    assert "data-pagination" not in whole.content.decode()
    assert _graduates(client.get(url, {"q": "zhs"})) == ["张华生"]
    assert _graduates(client.get(url, {"q": "华生"})) == ["张华生"]
    in_group_1 = set(_graduates(client.get(url, {"group": cast.group_1.pk})))
    assert in_group_1 == {cast.trainee_in_group_1.person.name, *(t.person.name for t in more)}
    # The form keeps what was asked, so the printed list's link shows the same rows.
    assert 'value="zhs"' in client.get(f"{url}?q=zhs").content.decode()


def test_the_graduation_list_filters_by_where_graduation_stands(client, cast, zhang):
    graduation_save(
        trainee=zhang, by=cast.staff, graduates=True, appraisal="学习刻苦", outstanding=False
    )
    graduation_save(
        trainee=cast.trainee_in_group_2,
        by=cast.staff,
        graduates=False,
        decline_reason="请假过多",
        appraisal="",
        outstanding=False,
    )
    client.force_login(cast.staff)
    url = reverse("graduation-list", args=["2026"])
    assert _graduates(client.get(url, {"state": "graduates"})) == ["张华生"]
    assert _graduates(client.get(url, {"state": "declined"})) == [
        cast.trainee_in_group_2.person.name
    ]
    assert _graduates(client.get(url, {"state": "unwritten"})) == [
        cast.trainee_in_group_1.person.name
    ]
    assert set(_graduates(client.get(url, {"state": "draft"}))) == {
        "张华生",
        cast.trainee_in_group_2.person.name,
    }
