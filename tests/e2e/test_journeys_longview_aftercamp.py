"""After the camp (训后跟踪) in the browser: the organization department records a graduate's
post change on their page and imports a workbook of appraisal grades; a leader reads the
graduate's page, on a desktop and on a phone."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from oversight.after_camp_file import COLUMNS
from tests.oversight.after_camp_world import finished_camp, graduate

from .conftest import PHONE, assert_no_page_errors, follow_menu, log_in, new_page, screenshot

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _appraisals_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    row = {"届次": "2023", "姓名": "王往届", "类型": "年度考核", "年度": "2024", "考核等次": "优秀"}
    sheet.append([row.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_orgdept_records_and_imports_and_a_leader_reads_the_graduates_page(
    browser, live_server, page, cast
):
    camp = finished_camp("2023")
    alumnus = graduate(camp, "王往届")
    graduate(camp, "李往届")

    log_in(page, "orgdept")
    follow_menu(page, "训后跟踪")
    page.get_by_test_id("graduate-row").filter(has_text="王往届").get_by_role("link").click()
    page.get_by_label("任职日期").fill("2025-03-01")
    page.get_by_label("新任职务").fill("织里镇党委副书记、镇长")
    page.get_by_label("职级").select_option(label="正科级")
    page.get_by_label("属于提拔").check()
    page.get_by_role("button", name="保存任职变动").click()
    expect(page.get_by_test_id("post-changes")).to_contain_text("织里镇党委副书记、镇长")

    page.goto(page.base_url + "/graduates/import/")
    upload = {"name": "年度考核.xlsx", "mimeType": XLSX, "buffer": _appraisals_file()}
    page.set_input_files("#id_file", files=[upload])
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text("导入成功：新增 1 条")).to_be_visible()
    page.get_by_test_id("graduate-row").filter(has_text="王往届").get_by_role("link").click()
    expect(page.get_by_test_id("appraisals")).to_contain_text("2024年度：优秀")
    assert_no_page_errors(page)

    url = f"{page.base_url}/graduates/{alumnus.pk}/"
    context, desk = new_page(browser, live_server)
    log_in(desk, "leader")
    desk.goto(url)
    expect(desk.get_by_test_id("post-changes")).to_contain_text("提拔")
    expect(desk.get_by_role("heading", name="在训期间（培训档案）")).to_be_visible()
    # A reader gets no edit links and no forms.
    expect(desk.locator("main").get_by_role("link", name="修改", exact=True)).to_have_count(0)
    expect(desk.get_by_role("button", name="保存任职变动")).to_have_count(0)
    assert_no_page_errors(desk)
    context.close()

    context, phone = new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    log_in(phone, "leader")
    phone.goto(url)
    expect(phone.get_by_test_id("appraisals")).to_contain_text("优秀")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    assert_no_page_errors(phone)
    screenshot(phone, "leader-graduate-after-camp-phone")
    context.close()
