"""The annual report to the 市委 in the browser: the organization department opens it from the
menu on a desktop and downloads the Word document; a leader reads it on a phone (its tables
scroll inside their box, its charts fit the screen) and downloads it too."""

import datetime
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from camp.documents import document_text
from oversight.annual_report import annual_report
from tests.assessment.conftest import raw_entry

from .conftest import PHONE, assert_no_page_errors, follow_menu, log_in, new_page, screenshot

pytestmark = pytest.mark.browser

TITLE = "关于2026届南太湖新锐特训营培训情况的报告"


def _download_docx(page, tmp_path, name: str) -> str:
    with page.expect_download() as download_info:
        page.get_by_test_id("annual-report-docx").click()
    path = tmp_path / f"{name}-{download_info.value.suggested_filename}"
    download_info.value.save_as(path)
    assert path.suffix == ".docx"
    return document_text(Document(str(path)))


def test_orgdept_and_a_leader_read_the_annual_report_and_download_it(
    browser, live_server, page, cast, camp_clock, tmp_path
):
    raw_entry(cast.trainee_in_group_1, 1, "9.0", day=datetime.date(2026, 3, 1))
    raw_entry(cast.trainee_in_group_2, 1, "7.5", day=datetime.date(2026, 3, 1))
    # Drawn once before the browser comes: the first drawing in a process loads matplotlib
    # and the font (seconds on a busy machine), which the browser's timeouts are not about.
    # The live server runs in this process and shares the charts' cache.
    annual_report(cast.camp)

    log_in(page, "orgdept")
    follow_menu(page, "年度报告")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_test_id("annual-report-section")).to_have_count(6)
    charts = page.get_by_test_id("annual-report-chart")
    expect(charts.first).to_be_visible()
    # Every chart is a picture the server drew, loaded inline.
    assert charts.count() >= 5
    assert all(
        charts.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        for index in range(charts.count())
    )
    expect(page.get_by_role("cell", name="第1组·党的建设")).to_be_visible()
    text = _download_docx(page, tmp_path, "orgdept")
    assert TITLE in text
    assert "四、各学习小组比较" in text
    assert_no_page_errors(page)
    screenshot(page, "orgdept-annual-report")

    context, phone = new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        log_in(phone, "leader")
        phone.goto(phone.base_url + "/camps/2026/annual-report/")
        expect(phone.get_by_role("heading", name=TITLE)).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the report is {width}px wide on a 390px phone"
        chart = phone.get_by_test_id("annual-report-chart").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] <= PHONE["width"]
        expect(phone.get_by_text(re.compile("全班累计出勤率"))).to_be_visible()
        text = _download_docx(phone, tmp_path, "leader")
        assert "一、学员规模与构成" in text
        assert_no_page_errors(phone)
        screenshot(phone, "leader-annual-report-phone")
    finally:
        context.close()
