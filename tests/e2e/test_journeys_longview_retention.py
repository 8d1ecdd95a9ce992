"""Data kept only as long as it should be, in the browser (issue 18 §4): the organization
department previews what the retention job will anonymize, staff read the run it left, and a
leader is kept out."""

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from camp.roles import Role
from tests.factories import CampFactory, PersonFactory, TraineeFactory, UserFactory

from .conftest import assert_no_page_errors, follow_menu, log_in, screenshot

pytestmark = pytest.mark.browser


def _trainee(camp, name: str) -> None:
    TraineeFactory(
        camp=camp,
        admitted_on=camp.start_date,
        person=PersonFactory(name=name, user=UserFactory(role=Role.TRAINEE, full_name=name)),
    )


def test_orgdept_previews_staff_read_the_run_and_a_leader_is_refused(page, cast, camp_clock):
    # The 2020 edition's trainees expired on 2025-12-21; the 2022 edition's expire on 2028-01-01.
    _trainee(
        CampFactory(code="2020", year=2020, graduated_on=datetime.date(2020, 12, 20)), "郑往届"
    )
    _trainee(CampFactory(code="2022", year=2022), "冯近届")

    log_in(page, "orgdept")
    follow_menu(page, "数据保留")
    expiries = page.locator("#retention-expiries")
    expect(expiries.get_by_role("row").filter(has_text="2020")).to_contain_text("2025-12-21")
    preview = page.locator("#retention-preview")
    expect(preview).to_contain_text("郑往届")
    expect(preview).not_to_contain_text("冯近届")
    # A later day: the 2022 edition joins the preview; nothing is written either way.
    page.get_by_label("截至日期").fill("2028-01-01")
    page.get_by_role("button", name="预览").click()
    expect(preview).to_contain_text("冯近届")
    expect(page.locator("#retention-runs")).to_contain_text("暂无记录")
    assert_no_page_errors(page)

    # The daily job runs (here by its command): staff find its record with its counts.
    call_command("apply_retention", "--today", "2026-03-10", stdout=io.StringIO())
    page.context.clear_cookies()
    log_in(page, "staff")
    follow_menu(page, "数据保留")
    runs = page.locator("#retention-runs")
    expect(runs).to_contain_text("2026-03-10")
    runs.locator("summary").first.click()
    expect(runs).to_contain_text("匿名化人员（学员）：1")
    expect(page.locator("#retention-preview")).not_to_contain_text("郑往届")
    screenshot(page, "retention-staff")
    assert_no_page_errors(page)

    # A leader reviews the camp, not its data keeping: no menu entry, and the page refuses.
    page.context.clear_cookies()
    log_in(page, "leader")
    expect(page.locator("nav.navbar").get_by_role("link", name="数据保留")).to_have_count(0)
    response = page.goto(page.base_url + "/audit/retention/")
    assert response.status == 403
