"""The teaching year in the browser: staff plan the calendar, move a day and take attendance; a
trainee sees the next training day, asks for leave and subscribes to the calendar; a counselor
records a talk."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from curriculum.models import TrainingDay
from curriculum.services.calendar import training_days_plan
from tests.factories import SessionFactory

from .conftest import (
    assert_no_page_errors,
    choose_in_picker,
    follow_menu,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser

MARCH_14 = datetime.date(2026, 3, 14)


@pytest.fixture
def planned(cast, camp_clock):
    """The cast's camp with its 24 days and one session on 14 March."""
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(date=MARCH_14)
    return SessionFactory(training_day=day, topic="坚定理想信念")


def test_staff_plan_the_calendar_move_a_day_and_take_attendance(page, cast, camp_clock):
    log_in(page, "staff")
    follow_menu(page, "教学日历")
    page.get_by_role("button", name="生成24个培训日").click()
    expect(page.get_by_role("link", name=re.compile(r"^第24次"))).to_be_visible()

    # A day the official calendar pushed elsewhere says why; staff move one by hand too.
    day = TrainingDay.objects.filter(camp=cast.camp).order_by("date").first()
    page.get_by_role("link", name=re.compile(r"^第1次 ")).click()
    page.get_by_label("新日期").fill((day.date + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("调整原因").fill("与全市重点工作会议冲突")
    page.get_by_role("button", name="调整", exact=True).click()
    # 17 January is behind today (10 March): staff confirm with a reason, which is kept.
    expect(page.locator("#move-flags")).to_contain_text("已经过去")
    page.get_by_label("已知晓以上提示，仍按此日期调整").check()
    page.get_by_label("仍予调整的理由").fill("补录当时的调整")
    page.get_by_role("button", name="确认调整").click()
    expect(page.get_by_text("已将培训日顺延至2026年1月17日")).to_be_visible()
    expect(page.get_by_text("与全市重点工作会议冲突").first).to_be_visible()

    # Attendance for a session of that day: mark 张三 absent, everyone else present.
    session = SessionFactory(training_day=TrainingDay.objects.get(pk=day.pk), topic="党的创新理论")
    page.goto(f"{page.base_url}/curriculum/sessions/{session.pk}/attendance/")
    row = page.locator("tr").filter(has_text="张三")
    row.locator("select").select_option(label="缺勤")
    page.get_by_role("button", name="保存全部考勤").click()
    expect(page.get_by_text(re.compile(r"已保存考勤：新增\d+条"))).to_be_visible()
    expect(page.locator("tr").filter(has_text="张三").locator("select")).to_have_value("absent")
    assert_no_page_errors(page)
    screenshot(page, "staff-calendar-and-attendance")


def test_staff_moving_a_day_onto_a_holiday_are_stopped_until_they_confirm(page, cast, planned):
    day = TrainingDay.objects.get(camp=cast.camp, number=19)  # 17 October, ahead of today
    log_in(page, "staff")
    page.goto(f"{page.base_url}/curriculum/days/{day.pk}/")
    page.get_by_label("新日期").fill("2026-10-03")
    page.get_by_label("调整原因").fill("与省里调训时间冲突")
    page.get_by_role("button", name="调整", exact=True).click()

    # Nothing saved: the page says why and asks.
    flags = page.locator("#move-flags")
    expect(flags).to_contain_text("2026年10月3日为国庆节法定节假日")
    expect(page.get_by_text("已将培训日")).to_have_count(0)
    assert TrainingDay.objects.get(pk=day.pk).date == datetime.date(2026, 10, 17)
    screenshot(page, "staff-move-onto-a-holiday-flagged")

    # Confirming without a reason is refused again; with one, the move is saved and kept.
    page.get_by_label("已知晓以上提示，仍按此日期调整").check()
    page.get_by_role("button", name="确认调整").click()
    expect(page.locator("#move-flags")).to_contain_text("国庆节法定节假日")
    assert TrainingDay.objects.get(pk=day.pk).date == datetime.date(2026, 10, 17)
    page.get_by_label("已知晓以上提示，仍按此日期调整").check()
    page.get_by_label("仍予调整的理由").fill("省委党校调训，经市委组织部同意")
    page.get_by_role("button", name="确认调整").click()
    expect(page.get_by_text("已将培训日提前至2026年10月3日")).to_be_visible()
    expect(page.locator("#day-conflict")).to_contain_text("国庆节法定节假日")
    expect(page.locator("#day-conflict")).to_contain_text("已确认仍在该日培训")
    expect(page.locator("li").filter(has_text="仍予调整的理由")).to_contain_text(
        "省委党校调训，经市委组织部同意"
    )
    assert TrainingDay.objects.get(pk=day.pk).date == datetime.date(2026, 10, 3)
    assert_no_page_errors(page)
    screenshot(page, "staff-move-onto-a-holiday-confirmed")


def test_a_trainee_sees_the_next_day_asks_for_leave_and_subscribes(page, cast, planned):
    log_in(page, "t001")
    panel = page.locator(".card").filter(has_text="下一个培训日")
    expect(panel).to_contain_text("2026年3月14日")
    expect(panel).to_contain_text("坚定理想信念")

    follow_menu(page, "请假")
    page.locator("select[name=training_day]").select_option(index=1)
    page.get_by_label("请假事由").fill("单位重点项目验收")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("已提交请假申请")).to_be_visible()
    expect(page.get_by_text("单位重点项目验收")).to_be_visible()

    follow_menu(page, "我的课表")
    feed_url = page.get_by_label("日历订阅地址").input_value()
    assert re.search(r"/feeds/[^/]+\.ics$", feed_url), feed_url
    feed = page.request.get(feed_url)
    assert feed.ok
    assert "BEGIN:VCALENDAR" in feed.text()
    assert "坚定理想信念" in feed.text()
    assert_no_page_errors(page)
    screenshot(page, "trainee-schedule-and-leave")


def test_a_counselor_records_a_talk_with_a_trainee_of_the_group(page, cast, planned):
    log_in(page, "counselor1")
    follow_menu(page, "谈心谈话")
    expect(page.get_by_text("尚未谈话")).to_contain_text("张三")
    choose_in_picker(page, "trainee", "张三")
    page.get_by_label("谈话主题").fill("岗位成长与学习计划")
    page.get_by_label("谈话摘要").fill("交流了近期工作困难，约定每月读书一本。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已记录谈心谈话")).to_be_visible()
    expect(page.get_by_role("cell", name="岗位成长与学习计划")).to_be_visible()
    assert_no_page_errors(page)
    screenshot(page, "counselor-talk")
