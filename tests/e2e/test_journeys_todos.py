"""The to-do list in the browser: on a phone, a counselor's weekly review is the first thing
on their home, above every chart, and leads to where it is written; a trainee scanning the
code of a session that has ended is told check-in is closed and offered no button."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from curriculum.services.attendance import check_in_token
from tests.factories import SessionFactory, TrainingDayFactory

from .conftest import assert_no_page_errors, log_in, screenshot

pytestmark = pytest.mark.browser


def test_on_a_phone_the_counselors_weekly_review_comes_before_the_charts(phone, cast, camp_clock):
    log_in(phone, "counselor1")
    expect(phone).to_have_url(re.compile(r"/home/counselor/$"))
    first = phone.locator("[data-todo]").first
    expect(first).to_contain_text("撰写第1组每周讲评")
    todo_top = first.bounding_box()["y"]
    assert todo_top < phone.viewport_size["height"], "the to-do must show without scrolling"
    for chart in phone.locator("canvas").all():
        assert chart.bounding_box()["y"] > todo_top
    badge = phone.locator("[data-menu-todos]")
    expect(badge).to_be_visible()
    assert_no_page_errors(phone)
    screenshot(phone, "counselor-todos-phone")
    first.get_by_role("link").click()
    expect(phone).to_have_url(re.compile(r"/reviews/group/\d+/$"))


def test_a_trainee_is_told_a_closed_check_in_is_closed(phone, cast, camp_clock):
    day = TrainingDayFactory(camp=cast.camp, slot_date=datetime.date(2026, 3, 7))
    session = SessionFactory(training_day=day, topic="已结束的课")
    log_in(phone, "t001")
    phone.goto(phone.base_url + f"/check-in/{check_in_token(session)}/")
    expect(phone.get_by_text(re.compile("签到已关闭"))).to_be_visible()
    expect(phone.get_by_role("button", name="确认签到")).to_have_count(0)
    assert_no_page_errors(phone)
