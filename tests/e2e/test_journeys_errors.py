"""Error pages in the browser: each says what happened in the user's language, sits in the
site's layout where that is safe, and its link leads back to the user's own home page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import CHROMIUM, CHROMIUM_ARGS, assert_no_page_errors, log_in, screenshot

pytestmark = pytest.mark.browser

# The host name that the live server does not serve; the browser is told it is this machine.
FOREIGN_HOST = "camp.foreign.example"


def _follow_home_link(page) -> None:
    page.get_by_test_id("error-home").click()
    page.wait_for_load_state()


def test_a_trainee_on_a_phone_meets_the_404_and_403_pages_and_finds_the_way_home(phone, cast):
    log_in(phone, "t001")

    response = phone.goto(phone.base_url + "/no-such-page/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(phone.get_by_text("请检查网址，或从首页重新进入")).to_be_visible()
    expect(phone.locator("nav.navbar .navbar-brand")).to_be_visible()  # in the site's layout
    screenshot(phone, "error-404-trainee-phone")
    _follow_home_link(phone)
    expect(phone).to_have_url(re.compile(r"/home/trainee/$"))

    response = phone.goto(phone.base_url + reverse("assessment-ranking", args=[cast.camp.code]))
    assert response.status == 403
    expect(phone.get_by_role("heading", name="没有访问权限")).to_be_visible()
    expect(phone.get_by_text("403 Forbidden")).to_have_count(0)
    screenshot(phone, "error-403-trainee-phone")
    _follow_home_link(phone)
    expect(phone).to_have_url(re.compile(r"/home/trainee/$"))

    # The language switch sits on the error page too; the page then speaks English.
    phone.goto(phone.base_url + "/no-such-page/")
    phone.select_option("#language-select", "en")
    phone.wait_for_load_state()
    expect(phone.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(phone.get_by_test_id("error-home")).to_have_text("Back to my home page")
    assert_no_page_errors(phone)


def test_a_stale_form_gets_the_expired_page_and_a_way_back(page, cast):
    page.goto(page.base_url + "/login/")
    # The CSRF cookie is gone (expired, or cleared by the browser) when the form is sent.
    page.context.clear_cookies()
    page.fill("#id_username", "t001")
    page.fill("#id_password", "whatever-it-is")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="页面已过期，提交未被接受")).to_be_visible()
    expect(page.get_by_text("CSRF")).to_have_count(0)
    screenshot(page, "error-csrf")
    _follow_home_link(page)
    expect(page).to_have_url(re.compile(r"/login/"))
    assert_no_page_errors(page)


def test_a_server_error_and_a_malformed_request_get_self_contained_pages(
    browser, live_server, settings, cast
):
    settings.ROOT_URLCONF = "tests.camp.urls_failing"
    port = live_server.url.rsplit(":", 1)[1]
    # A second browser that resolves a foreign host name to this machine: its requests carry a
    # Host header the site does not serve, which Django answers with a 400.
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {FOREIGN_HOST} 127.0.0.1"],
        headless=True,
    )
    try:
        page = chromium.new_page(locale="zh-CN")

        response = page.goto(live_server.url + "/failing/")
        assert response.status == 500
        expect(page.get_by_role("heading", name="系统出错了")).to_be_visible()
        expect(page.get_by_text("请稍后再试")).to_be_visible()
        expect(page.get_by_text("Traceback")).to_have_count(0)
        # Styled by the site's own stylesheet, served with the page.
        expect(page.locator(".btn-danger")).to_have_css("color", "rgb(255, 255, 255)")
        screenshot(page, "error-500")
        _follow_home_link(page)
        expect(page).to_have_url(re.compile(r"/login/"))

        response = page.goto(f"http://{FOREIGN_HOST}:{port}/")
        assert response.status == 400
        expect(page.get_by_role("heading", name="请求无法处理")).to_be_visible()
        expect(page.get_by_text("ALLOWED_HOSTS")).to_have_count(0)
        screenshot(page, "error-400")
        assert page.get_by_test_id("error-home").get_attribute("href") == "/"
    finally:
        chromium.close()
