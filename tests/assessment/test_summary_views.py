"""The monthly summary screens: start and rerun, the status page and its JSON, the month's
figures and class text, who may do what, and a broker that cannot be reached."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import MonthlyClassText, MonthlySummaryRow, SummaryRun
from assessment.models.summaries import SUMMARY_TIME_LIMIT
from assessment.services.summaries import monthly_summary_compute
from camp.celery import app
from camp.jobs import BROKER_UNAVAILABLE, JobState

STALE_RUN = SummaryRun.stale_error

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def closed_broker():
    """The broker pointing at a port nobody listens on, as when Redis is down."""
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    app._pool = None
    app.__dict__.pop("amqp", None)
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.mark.timeout(30)
def test_with_redis_down_the_run_is_marked_failed_and_the_page_says_so(
    client, cast, closed_broker, django_capture_on_commit_callbacks
):
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment-summary-start", args=["2026"]), {"month": "2026-03"}
        )
    assert response.status_code == 302
    run = SummaryRun.objects.get()
    assert run.state == JobState.FAILED
    assert run.error == BROKER_UNAVAILABLE
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "任务服务不可用，请稍后重试" in page.content.decode()
    assert "重试" in page.content.decode()
    status = client.get(reverse("assessment-summary-run-status", args=[run.pk])).json()
    assert status["state"] == "failed"
    assert status["finished"] is True


def test_staff_start_a_run_in_process_and_see_it_done(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment-summary-start", args=["2026"]), {"month": "2026-03"}
        )
    run = SummaryRun.objects.get()
    assert response["Location"] == reverse("assessment-summary-run", args=[run.pk])
    status = client.get(reverse("assessment-summary-run-status", args=[run.pk])).json()
    assert status == {
        "id": run.pk,
        "month": "2026-03",
        "state": "done",
        "state_label": "已完成",
        "progress": 100,
        "error": "",
        "stale": False,
        "finished": True,
    }
    assert MonthlySummaryRow.objects.filter(run=run).count() == 2


def test_a_run_whose_worker_died_says_so_and_a_new_run_replaces_it(
    client, cast, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - SUMMARY_TIME_LIMIT - datetime.timedelta(minutes=1)
    dead = SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, progress=40, started_at=long_ago
    )
    fresh = SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, started_at=timezone.now()
    )
    client.force_login(cast.staff)
    page = client.get(reverse("assessment-summary-run", args=[dead.pk])).content.decode()
    assert STALE_RUN in page
    assert "重试" in page
    running = client.get(reverse("assessment-summary-run", args=[fresh.pk])).content.decode()
    assert STALE_RUN not in running
    index = client.get(reverse("assessment-summaries", args=["2026"])).content.decode()
    assert "超过时限仍未完成，可能已中断" not in index  # the fresh run is the month's latest
    status = client.get(reverse("assessment-summary-run-status", args=[dead.pk])).json()
    assert (status["stale"], status["finished"], status["error"]) == (True, True, STALE_RUN)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment-summary-start", args=["2026"]), {"month": "2026-03"})
    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert (dead.state, dead.error) == (JobState.FAILED, STALE_RUN)
    assert fresh.state == JobState.RUNNING  # may still finish: within the time limit
    assert SummaryRun.objects.latest("pk").state == JobState.DONE


def test_the_months_list_says_when_the_latest_run_lost_its_worker(client, cast):
    long_ago = timezone.now() - SUMMARY_TIME_LIMIT - datetime.timedelta(minutes=1)
    SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, started_at=long_ago
    )
    client.force_login(cast.staff)
    index = client.get(reverse("assessment-summaries", args=["2026"])).content.decode()
    assert "超过时限仍未完成，可能已中断" in index


def test_a_month_outside_the_camp_is_refused_with_a_message(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("assessment-summary-start", args=["2026"]), {"month": "2025-12"}, follow=True
    )
    assert response.status_code == 200
    assert "不在本期培训时间内" in response.content.decode()
    assert not SummaryRun.objects.exists()


def test_the_status_page_polls_through_a_static_script(client, cast):
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    client.force_login(cast.staff)
    page = client.get(reverse("assessment-summary-run", args=[run.pk])).content.decode()
    assert "js/summary_run.js" in page
    assert 'id="summary-run-status"' in page
    assert "<script>" not in page


@pytest.mark.parametrize("persona", ["counselor_1", "trainee_1", "orgdept", "leader"])
def test_only_staff_start_runs_and_see_their_state(client, cast, persona):
    run = SummaryRun.objects.create(camp=cast.camp, month=MARCH)
    client.force_login(getattr(cast, persona))
    response = client.post(reverse("assessment-summary-start", args=["2026"]), {"month": "2026-03"})
    assert response.status_code == 403
    assert client.get(reverse("assessment-summary-run", args=[run.pk])).status_code == 403
    assert SummaryRun.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 200), ("orgdept", 200), ("leader", 200), ("counselor_1", 403), ("trainee_1", 403)],
)
def test_the_month_page_is_for_overseers(client, cast, persona, status):
    monthly_summary_compute(camp=cast.camp, month=MARCH)
    client.force_login(getattr(cast, persona))
    assert client.get(reverse("assessment-summaries", args=["2026"])).status_code == status
    response = client.get(reverse("assessment-summary-month", args=["2026", "2026-03"]))
    assert response.status_code == status
    if status == 200:
        assert cast.trainee_in_group_1.person.name in response.content.decode()


def test_staff_write_the_class_text_and_orgdept_only_read_it(client, cast):
    url = reverse("assessment-summary-month", args=["2026", "2026-03"])
    client.force_login(cast.staff)
    assert client.post(url, {"text": "三月，全班学习氛围浓厚。"}).status_code == 302
    text = MonthlyClassText.objects.get()
    assert (text.month, text.author) == (MARCH, cast.staff)
    client.force_login(cast.orgdept)
    assert "三月，全班学习氛围浓厚。" in client.get(url).content.decode()
    client.post(url, {"text": "改写"})
    text.refresh_from_db()
    assert text.text == "三月，全班学习氛围浓厚。"


def test_the_beat_task_starts_last_month_for_running_camps(cast, monkeypatch):
    from assessment import tasks
    from camp.models import CampStatus

    cast.camp.status = CampStatus.RUNNING
    cast.camp.save(update_fields=["status"])
    started = []
    monkeypatch.setattr(
        "assessment.services.summaries.summary_run_start",
        lambda **kwargs: started.append(kwargs),
    )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 4, 1))
    assert tasks.compute_previous_month_summaries() == 1
    assert started == [{"camp": cast.camp, "month": MARCH, "by": None}]


def _note_hidden(page: str, role: str) -> bool:
    match = re.search(rf'<p [^>]*data-role="{role}"([^>]*)>', page)
    assert match, f"no {role} on the page"
    return "hidden" in match.group(1)


def test_a_finished_run_no_longer_says_the_page_will_refresh(client, cast):
    """The status page once promised to refresh even for a run that had long finished."""
    client.force_login(cast.staff)
    done = SummaryRun.objects.create(camp=cast.camp, month=MARCH, state=JobState.DONE)
    page = client.get(reverse("assessment-summary-run", args=[done.pk])).content.decode()
    assert "页面会自动刷新状态" not in page
    assert _note_hidden(page, "live-note")
    assert not _note_hidden(page, "finished-note")

    running = SummaryRun.objects.create(
        camp=cast.camp, month=MARCH, state=JobState.RUNNING, started_at=timezone.now()
    )
    page = client.get(reverse("assessment-summary-run", args=[running.pk])).content.decode()
    assert not _note_hidden(page, "live-note")
    assert _note_hidden(page, "finished-note")
