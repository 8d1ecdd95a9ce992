"""Work that takes more than a second shows that it is under way, and a finished run says it is
finished: behaviour that lives in the page's own scripts (static/js/busy.js, summary_run.js)."""

import datetime
import json
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import SummaryRun
from camp.jobs import JobState

from .conftest import assert_no_page_errors, log_in, screenshot

pytestmark = pytest.mark.browser

SLOW_SECONDS = 1.5


def _slowed(monkeypatch, target: str) -> None:
    """Make the server's work behind `target` take SLOW_SECONDS, as a large workbook does."""
    module_name, name = target.rsplit(".", 1)
    module = __import__(module_name, fromlist=[name])
    original = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(SLOW_SECONDS)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def test_an_export_shows_it_is_being_generated_and_then_downloads(page, cast, monkeypatch):
    _slowed(monkeypatch, "camp.views_exports.build_export")
    log_in(page, "staff")
    page.goto(page.base_url + reverse("camp-overview", args=[cast.camp.code]))
    link = page.get_by_test_id("export-link").first
    label = link.inner_text()

    with page.expect_download() as download:
        link.click()
        expect(link).to_contain_text("正在生成…")
        expect(link).to_have_attribute("aria-busy", "true")
        expect(link.locator(".spinner-border")).to_be_visible()
        screenshot(page, "export-in-progress")
    assert download.value.suggested_filename.endswith(".xlsx")
    expect(link).to_have_text(label)  # ready for the next one
    expect(link).not_to_have_attribute("aria-busy", "true")
    assert_no_page_errors(page)


def test_starting_a_summary_shows_progress_until_the_next_page(page, cast, monkeypatch):
    _slowed(monkeypatch, "assessment.views.summaries.summary_run_start")
    log_in(page, "staff")
    page.goto(page.base_url + reverse("assessment-summaries", args=[cast.camp.code]))
    page.fill("#id_month", "2026-03")
    form = page.locator("form[data-busy]").first
    button = form.locator("button[type=submit]")
    expect(button).to_have_text("计算该月小结")
    # Playwright waits for a navigation in flight before it looks at the page again, so the
    # page itself notes what its button shows while the server works; the tab keeps the note.
    form.evaluate(
        """form => form.addEventListener("submit", () => window.setTimeout(() => {
            const button = form.querySelector("button[type=submit]");
            sessionStorage.setItem("while-working", JSON.stringify({
                disabled: button.disabled,
                text: button.textContent,
                spinner: !!button.querySelector(".spinner-border"),
            }));
        }, 200))"""
    )
    button.click()
    page.wait_for_url(re.compile(r"/summaries/runs/\d+/$"))
    seen = json.loads(page.evaluate("sessionStorage.getItem('while-working')"))
    assert seen == {"disabled": True, "text": "正在计算…", "spinner": True}
    assert_no_page_errors(page)


def test_a_run_that_finishes_while_watched_stops_promising_to_refresh(page, cast):
    run = SummaryRun.objects.create(
        camp=cast.camp,
        month=datetime.date(2026, 3, 1),
        state=JobState.RUNNING,
        started_at=timezone.now(),
    )
    log_in(page, "staff")
    page.goto(page.base_url + reverse("assessment-summary-run", args=[run.pk]))
    live = page.locator("[data-role=live-note]")
    finished = page.locator("[data-role=finished-note]")
    expect(live).to_be_visible()
    expect(finished).to_be_hidden()

    SummaryRun.objects.filter(pk=run.pk).update(
        state=JobState.DONE, progress=100, finished_at=timezone.now()
    )
    expect(finished).to_be_visible()
    expect(live).to_be_hidden()
    expect(page.locator("[data-role=state]")).to_have_text("已完成")
    assert_no_page_errors(page)
