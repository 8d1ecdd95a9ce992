"""One's export jobs page and filter through the URL (camp.listing), in pinned queries."""

from django.urls import reverse

from assessment.models import ExportJob
from camp.jobs import JobState


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
