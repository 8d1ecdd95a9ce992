"""Main tasks on a 390×844 phone, each at most two taps from home: a counselor writes the weekly
review of a full group (one folding item per member, the name in view, the save bar always on
screen) and loses nothing when the connection drops, since the draft is kept on the server;
staff take the day's roll call."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from assessment.models import WeeklyReview
from camp.models import Draft
from curriculum.models import Attendance
from tests.factories import SessionFactory, TraineeFactory, TrainingDayFactory

from .conftest import PHONE, assert_no_page_errors, log_in, new_page, screenshot

pytestmark = pytest.mark.browser

MEMBERS = 24  # with 张三, a group of 25 as in the camp


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _phone(browser, live_server):
    return new_page(
        browser, live_server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )


def test_a_counselor_writes_the_weekly_review_on_a_phone_and_a_dropped_connection_loses_nothing(
    browser, live_server, cast, camp_clock
):
    for _ in range(MEMBERS):
        TraineeFactory(camp=cast.camp, group=cast.group_1)
    context, phone = _phone(browser, live_server)
    log_in(phone, "counselor1")
    # Two taps from home: the 每周讲评 button, then this week's form.
    phone.locator("[data-shortcuts]").get_by_role("link", name="每周讲评").click()
    phone.get_by_role("link", name="撰写本周讲评").click()
    expect(phone).to_have_url(re.compile(r"/write/$"))

    # The members fold: 25 names, no text area open, and 保存 on screen without scrolling.
    items = phone.locator("[data-remark]")
    expect(items).to_have_count(MEMBERS + 1)
    expect(phone.locator("[data-remark] textarea:visible")).to_have_count(0)
    save = phone.get_by_test_id("savebar").get_by_role("button", name="保存")
    assert _in_view(phone, save), "the save bar must show without scrolling"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the review form is {width}px wide on a 390px phone"

    phone.get_by_label("亮点").fill("全组按时完成调研提纲。")
    zhang = items.filter(has_text="张三")
    zhang.get_by_role("button", name=re.compile("张三")).click()
    remark = zhang.get_by_label("张三")
    expect(remark).to_be_visible()
    remark.fill("发言有深度，调研扎实。")
    # While the remark is written its name stays on screen, and so does 保存.
    header = zhang.locator(".accordion-header")
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert _in_view(phone, header)
    assert _in_view(phone, save)
    expect(zhang.locator("[data-remark-filled]")).to_be_visible()
    status = phone.locator("[data-draft-status]")
    expect(status).to_contain_text("草稿已保存")
    screenshot(phone, "counselor-review-phone")

    # The connection drops: what is typed now waits, and is sent once the phone is back online.
    context.set_offline(True)
    phone.get_by_label("问题与不足").fill("个别学员发言准备不足。")
    expect(status).to_contain_text("网络中断", timeout=5_000)
    context.set_offline(False)
    expect(status).to_contain_text("草稿已保存", timeout=5_000)
    draft = Draft.objects.get(user=cast.counselor_1)
    assert draft.data["problems"] == "个别学员发言准备不足。"
    assert "csrfmiddlewaretoken" not in draft.data
    assert not WeeklyReview.objects.exists()
    phone.errors.clear()  # the offline attempt's failed request is the point of this step
    context.close()

    # Later, on another phone: the draft is offered with its time, and restored.
    context, phone = _phone(browser, live_server)
    log_in(phone, "counselor1")
    phone.locator("[data-shortcuts]").get_by_role("link", name="每周讲评").click()
    phone.get_by_role("link", name="撰写本周讲评").click()
    offer = phone.locator("[data-draft-offer]")
    expect(offer).to_contain_text("2026-03-10 12:00")
    offer.get_by_role("link", name="恢复草稿").click()
    expect(phone.get_by_label("问题与不足")).to_have_value("个别学员发言准备不足。")
    zhang = phone.locator("[data-remark]").filter(has_text="张三")
    expect(zhang.locator("[data-remark-filled]")).to_be_visible()
    phone.get_by_test_id("savebar").get_by_role("button", name="保存").click()
    expect(phone.get_by_text("每周讲评已保存")).to_be_visible()
    review = WeeklyReview.objects.get()
    assert review.highlights == "全组按时完成调研提纲。"
    assert review.remarks.get().remark == "发言有深度，调研扎实。"
    assert not Draft.objects.exists()
    assert_no_page_errors(phone)
    context.close()


def test_staff_take_the_days_roll_call_on_a_phone(phone, cast, camp_clock):
    day = TrainingDayFactory(camp=cast.camp, slot_date=datetime.date(2026, 3, 10))
    session = SessionFactory(training_day=day, topic="党的创新理论")
    log_in(phone, "staff")
    # One tap from home: today's roll call is staff's first to-do.
    todo = phone.locator("[data-todo-main]").filter(has_text="今日点名")
    expect(todo).to_contain_text("党的创新理论")
    todo.get_by_role("link").click()
    expect(phone).to_have_url(re.compile(rf"/sessions/{session.pk}/attendance/$"))
    phone.get_by_label("张三").select_option(label="缺勤")
    phone.get_by_label("未选择的学员记为").select_option(label="出勤")
    save = phone.get_by_test_id("savebar").get_by_role("button", name="保存全部考勤")
    assert _in_view(phone, save)
    save.click()
    expect(phone.get_by_text(re.compile(r"已保存考勤"))).to_be_visible()
    assert Attendance.objects.filter(session=session).count() == 2
    assert_no_page_errors(phone)
    screenshot(phone, "staff-roll-call-phone")
    # Done: the to-do is gone from home.
    phone.goto(phone.base_url + "/")
    expect(phone.locator("[data-todo]").filter(has_text="今日点名")).to_have_count(0)
