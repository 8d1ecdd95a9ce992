"""Staff's year in the browser: selection and placement (more steps join as features land)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.trainees.candidate_files import row, workbook_bytes

from .conftest import assert_no_page_errors, log_in, screenshot

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _candidates_file() -> bytes:
    rows = [
        row(姓名="陈一", 职级="正科级", 出生日期=datetime.date(1987, 3, 2)),  # 85后正科
        row(
            姓名="林二",
            职级="副科级",
            出生日期=datetime.date(1992, 8, 9),
            工作单位="湖州市南浔区发改局",
            工作经历领域="经济发展",
        ),  # 90后副科
        row(姓名="周三", 职级="副科级", 出生日期=datetime.date(1984, 6, 1)),  # meets no rule
    ]
    return workbook_bytes(rows).getvalue()


def test_staff_import_candidates_admit_one_and_place_the_groups(page, cast):
    log_in(page, "staff")
    page.get_by_role("link", name="导入候选人").click()
    upload = {"name": "推荐人选.xlsx", "mimeType": XLSX, "buffer": _candidates_file()}
    page.set_input_files("#id_file", files=[upload])
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_text("导入成功：新增 3 名候选人")).to_be_visible()

    # The list explains each verdict; the one who meets no rule says why.
    chen = page.get_by_test_id("candidate-row").filter(has_text="陈一")
    expect(chen).to_contain_text("符合")
    zhou = page.get_by_test_id("candidate-row").filter(has_text="周三")
    expect(zhou).to_contain_text("不符合")
    expect(zhou).to_contain_text("不属于85后")

    chen.get_by_role("link", name="决定").click()
    page.get_by_label("决定").select_option(label="录取")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("已记录对 陈一 的决定")).to_be_visible()

    # Admitting someone who meets no rule without a reason is refused, nothing written.
    page.goto(page.base_url + "/camps/2026/candidates/")
    page.get_by_test_id("candidate-row").filter(has_text="周三").get_by_role(
        "link", name="决定"
    ).click()
    page.get_by_label("决定").select_option(label="录取")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("破格录取须填写理由").first).to_be_visible()

    page.goto(page.base_url + "/camps/2026/groups/placement/")
    page.get_by_role("button", name="开始分组").click()
    expect(page.get_by_text("已完成分组")).to_be_visible()
    placed = page.locator("tr").filter(has_text="陈一")
    expect(placed).to_contain_text(re.compile(r"第\d组"))
    expect(placed.get_by_test_id("placement-reason")).not_to_be_empty()
    assert_no_page_errors(page)
    screenshot(page, "staff-selection-and-placement")
