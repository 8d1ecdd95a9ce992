"""Journeys the backbone supports: every role logs in and lands on its own home page with its
name and role in the header, at desktop size and on a phone, where the role's main tasks are one
tap from home; staff set up a new camp edition; a trainee on a phone."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    DESKTOP,
    PHONE,
    assert_no_page_errors,
    axe_sweep,
    log_in,
    new_page,
    screenshot,
)

pytestmark = pytest.mark.browser

# persona → (username in the cast, name, role as the header shows it, the home's path, the
# role's main tasks as the buttons at the top of its home name them)
HOMES = {
    "staff": ("staff", "王管理", "党校管理员", r"/camps/2026/overview/$", ("考勤", "快速录入")),
    "counselor": ("counselor1", "周辅导", "政治辅导员", r"/home/counselor/$", ("每周讲评",)),
    "trainee": ("t001", "张三", "学员", r"/home/trainee/$", ("请假", "我的课表")),
    "orgdept": ("orgdept", "赵组织", "组织部", r"/camps/2026/overview/$", ("数据看板",)),
    "leader": ("leader", "钱领导", "领导", r"/camps/2026/overview/$", ("数据看板", "领导点评")),
}


@pytest.mark.parametrize("persona", list(HOMES))
def test_each_role_logs_in_and_lands_on_its_home_page(browser, live_server, cast, persona):
    """Each role at both sizes; one test per role, so that the suite's workers share them. The
    homes' screenshots are the README's (test-artifacts/screenshots/home-*.png)."""
    username, name, role, home, tasks = HOMES[persona]
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context, page = new_page(browser, live_server, viewport)
        try:
            log_in(page, username)
            expect(page).to_have_url(re.compile(home))
            menu = page.locator("#mainnav")
            if size == "phone":
                page.locator(".navbar-toggler").click()
                # Bootstrap ignores a second click while the menu is still unfolding.
                expect(menu).to_have_class(re.compile(r"\bcollapse show\b"))
            whoami = page.get_by_test_id("whoami")
            expect(whoami).to_contain_text(name)
            expect(whoami).to_contain_text(role)
            if size == "phone":
                page.locator(".navbar-toggler").click()
                expect(menu).to_be_hidden()
            # Each main task is a button on the first screen: one tap from home.
            shortcuts = page.locator("[data-shortcuts]")
            for task in tasks:
                button = shortcuts.get_by_role("link", name=task, exact=True)
                expect(button).to_be_in_viewport()
            assert_no_page_errors(page)
            screenshot(page, f"home-{persona}-{size}")
            if size == "phone":
                # The first main task opens with that one tap, and fits the phone.
                shortcuts.get_by_role("link", name=tasks[0], exact=True).click()
                page.wait_for_load_state()
                expect(page).not_to_have_url(re.compile(home))
                axe_sweep(page)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"
                assert_no_page_errors(page)
        finally:
            context.close()


def test_a_wrong_password_keeps_the_user_on_the_login_page(page, cast):
    log_in(page, "staff", "not-the-password")
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()


def test_staff_create_a_camp_edition(page, cast):
    log_in(page, "staff")
    page.goto(page.base_url + "/camps/")
    page.get_by_role("link", name="新建届次").click()
    page.fill("#id_code", "2027")
    page.fill("#id_name", "2027届南太湖新锐特训营")
    page.fill("#id_year", "2027")
    page.fill("#id_selection_reference_date", "2027-01-01")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已创建 2027届南太湖新锐特训营")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/camps/2027/"))
    assert_no_page_errors(page)
    screenshot(page, "staff-creates-camp")


def test_a_trainee_finds_their_way_on_a_phone(phone, cast):
    log_in(phone, "t001")
    expect(phone).to_have_url(re.compile(r"/home/trainee/$"))
    # The menu folds into the toggler on a phone; the page fits the screen's width.
    toggler = phone.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(phone.get_by_test_id("whoami")).to_contain_text("张三")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    toggler.click()

    # Their conduct code, written on the phone: only they may write it.
    phone.get_by_role("link", name="现在填写").click()
    phone.get_by_label("个人修养要则").fill("一、对党忠诚，慎独慎微。\n二、每月读一本书。")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("个人修养要则已保存")).to_be_visible()
    expect(phone.get_by_label("个人修养要则")).to_have_value(re.compile("慎独慎微"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the conduct page is {width}px wide on a 390px phone"
    assert_no_page_errors(phone)
    screenshot(phone, "trainee-phone-conduct-code")


def test_staff_save_a_camp_edition_without_changing_it(page, cast):
    log_in(page, "staff")
    page.goto(page.base_url + "/camps/2026/edit/")
    expect(page.locator("#id_selection_reference_date")).to_have_value("2026-01-01", timeout=500)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
