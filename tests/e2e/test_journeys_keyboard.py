"""Keyboard only, no mouse: a trainee logs in and asks for leave (on a phone-sized screen, where
the menu is folded), a counselor fills the score grid with the arrow keys and Enter. Every step
is a key press; the helper tabs to a control as a person would, so a control that Tab cannot
reach fails the journey."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessment.models import ScoreEntry
from curriculum.models import LeaveRequest
from curriculum.services.calendar import training_days_plan
from tests.factories import TEST_PASSWORD, TraineeFactory

from .conftest import PHONE, assert_no_page_errors, axe_sweep, new_page, screenshot

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focus is on `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def focused(page, attribute: str) -> str:
    return page.evaluate("a => document.activeElement.getAttribute(a)", attribute)


def log_in_by_keyboard(page, username: str) -> None:
    page.goto(page.base_url + "/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.who = username
    axe_sweep(page)


@pytest.fixture
def phone_with_keyboard(browser, live_server):
    """A phone-sized screen with a keyboard (or a switch device): the menu is folded."""
    context, page = new_page(browser, live_server, PHONE)
    yield page
    context.close()


def test_a_trainee_logs_in_and_asks_for_leave_by_keyboard(phone_with_keyboard, cast, camp_clock):
    page = phone_with_keyboard
    training_days_plan(camp=cast.camp, by=cast.staff)
    log_in_by_keyboard(page, "t001")
    expect(page).to_have_url(re.compile(r"/home/trainee/$"))

    # The skip link is the first stop, and leads past the menu.
    page.keyboard.press("Tab")
    assert focused(page, "href") == "#main"
    tab_to(page, "[data-shortcuts] a[href$='/leave/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/leave/$"))
    # Over twenty training days: a searchable picker, driven by keys too.
    tab_to(page, "#id_training_day-ts-control")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the first training day ahead
    tab_to(page, "textarea[name=reason]")
    page.keyboard.type("单位重点项目验收")
    tab_to(page, "form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("已提交请假申请")).to_be_visible()
    leave = LeaveRequest.objects.get()
    assert leave.reason == "单位重点项目验收"
    assert leave.trainee == cast.trainee_in_group_1
    assert_no_page_errors(page)
    screenshot(page, "trainee-leave-keyboard-phone")


def test_a_counselor_fills_the_grid_with_arrows_and_enter(page, cast, camp_clock):
    for name in ("李一", "王二"):
        TraineeFactory(camp=cast.camp, group=cast.group_1, person__name=name)
    log_in_by_keyboard(page, "counselor1")
    page.goto(
        page.base_url
        + reverse("assessment-grid", args=[cast.camp.code, cast.group_1.pk, 3, "2026-03-07"])
    )
    cells = page.locator("[data-grid-cell]")
    expect(cells).to_have_count(3)
    names = [cells.nth(i).get_attribute("aria-label") for i in range(3)]

    tab_to(page, "#grid-reason")
    page.keyboard.type("小组研讨表现")
    page.keyboard.press("Enter")  # to the first cell, not a submit
    assert focused(page, "aria-label") == names[0]
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    assert focused(page, "aria-label") == names[1]
    page.keyboard.type("2")
    page.keyboard.press("ArrowUp")
    assert focused(page, "aria-label") == names[0]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page, "aria-label") == names[2]
    page.keyboard.type("0.5")
    page.keyboard.press("Shift+Enter")
    assert focused(page, "aria-label") == names[1]
    assert not ScoreEntry.objects.exists()  # nothing saved by a stray Enter
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # past the last cell: on the save button
    assert page.evaluate("() => document.activeElement.hasAttribute('data-grid-save')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"已保存：新增 3 条"))).to_be_visible()
    saved = dict(ScoreEntry.objects.values_list("trainee__person__name", "points"))
    assert {name: str(points) for name, points in saved.items()} == {
        names[0]: "1.0",
        names[1]: "2.0",
        names[2]: "0.5",
    }
    assert_no_page_errors(page)
    screenshot(page, "counselor-grid-keyboard")
