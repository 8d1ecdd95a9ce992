"""The editions side by side in a browser: the organization department and a leader open the
page from the menu, at a desk and on a phone, see every edition's figures as charts and tables,
and download the workbook."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.oversight.editions_world import build_editions_world

from .conftest import (
    DESKTOP,
    PHONE,
    assert_no_page_errors,
    follow_menu,
    log_in,
    new_page,
    screenshot,
)

pytestmark = pytest.mark.browser


def test_orgdept_and_a_leader_compare_the_editions_and_download_the_workbook(
    browser, live_server, cast, tmp_path
):
    build_editions_world(cast)
    for username in ("orgdept", "leader"):
        for name, viewport, options in (
            ("desktop", DESKTOP, {}),
            ("phone", PHONE, {"is_mobile": True, "has_touch": True}),
        ):
            context, page = new_page(browser, live_server, viewport, **options)
            log_in(page, username)
            follow_menu(page, "届次对比")
            expect(page.get_by_role("heading", name="届次对比", exact=True)).to_be_visible()
            overview = page.get_by_test_id("editions-overview")
            expect(overview.get_by_role("columnheader", name=re.compile("2025届"))).to_be_visible()
            expect(overview.get_by_role("columnheader", name=re.compile("2026届"))).to_be_visible()
            expect(overview.get_by_role("row", name=re.compile("结业率"))).to_contain_text("66.7")
            expect(page.locator("canvas[data-chart-drawn]")).to_have_count(8)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"the page is {width}px wide at {viewport}"
            with page.expect_download() as download_info:
                page.get_by_test_id("editions-workbook").click()
            path = tmp_path / f"{username}-{name}-{download_info.value.suggested_filename}"
            download_info.value.save_as(path)
            book = load_workbook(path, read_only=True)
            assert book["概况"]["A3"].value == "2025届南太湖新锐特训营"
            assert_no_page_errors(page)
            screenshot(page, f"{username}-editions-{name}")
            context.close()
