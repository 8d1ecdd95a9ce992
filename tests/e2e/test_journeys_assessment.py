"""The assessment in the browser: staff start a monthly summary and watch it finish; a
counselor writes the weekly review and grades the group in the grid; a trainee sees their scores
and trend chart; orgdept open the dashboard and the monthly workbook; a leader comments."""

import datetime
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessment.models import AssessmentItem, ScoreEntry
from assessment.services.summaries import summary_run_start

from .conftest import (
    assert_no_page_errors,
    choose_in_picker,
    follow_menu,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def scored(cast, camp_clock):
    """Scores for both trainees in January and February, and both months' summaries
    published (Celery runs in-process here, so each run finishes before it returns)."""
    item = AssessmentItem.objects.filter(scheme__camp=cast.camp).order_by("number").first()
    for trainee, points in ((cast.trainee_in_group_1, "3"), (cast.trainee_in_group_2, "2")):
        for day in (datetime.date(2026, 1, 10), datetime.date(2026, 2, 14)):
            ScoreEntry.objects.create(
                trainee=trainee, item=item, points=Decimal(points), date=day, reason="课堂表现"
            )
    for month in (1, 2):
        summary_run_start(camp=cast.camp, month=datetime.date(2026, month, 1), by=cast.staff)
    return item


def test_staff_start_the_monthly_summary_and_watch_it_finish(page, cast, camp_clock):
    log_in(page, "staff")
    follow_menu(page, "每月小结")
    page.get_by_label("月份").fill("2026-02")
    page.get_by_role("button", name="计算该月小结").click()
    expect(page).to_have_url(re.compile(r"/summaries/runs/\d+/$"))
    expect(page.locator("[data-role=state]")).to_have_text("已完成", timeout=15_000)
    page.get_by_role("link", name="查看结果").click()
    expect(page.get_by_text("张三").first).to_be_visible()
    assert_no_page_errors(page)
    screenshot(page, "staff-monthly-summary")


def test_a_counselor_writes_the_weekly_review_and_grades_the_group(page, cast, camp_clock):
    log_in(page, "counselor1")
    follow_menu(page, "每周讲评")  # straight to their own group
    expect(page.get_by_role("heading", name=re.compile("第1组"))).to_be_visible()
    page.get_by_role("link", name="撰写本周讲评").click()
    page.get_by_label("亮点").fill("全组按时完成调研提纲，讨论积极。")
    page.get_by_label("问题与不足").fill("个别学员发言准备不足。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("每周讲评已保存")).to_be_visible()
    expect(page.get_by_text("全组按时完成调研提纲").first).to_be_visible()

    follow_menu(page, "快速录入")
    page.get_by_label("小组").select_option(index=1)
    page.get_by_label("考核项目").select_option(index=1)
    page.get_by_label("培训日或月份中的任一天").fill("2026-03-07")
    page.get_by_role("button", name="打开录入表").click()
    page.get_by_label("事由（记入每条记录）").fill("小组研讨表现")
    page.get_by_label("张三").fill("1")
    page.get_by_role("button", name="保存整张表").click()
    expect(page.get_by_text(re.compile(r"已保存：新增 1 条"))).to_be_visible()
    expect(page.get_by_label("张三")).to_have_value(re.compile(r"^1(\.0)?$"))
    assert_no_page_errors(page)
    screenshot(page, "counselor-review-and-grid")


def test_a_trainee_sees_their_scores_and_trend_chart(page, cast, scored):
    log_in(page, "t001")
    follow_menu(page, "我的成绩")
    expect(page.get_by_role("heading", name="张三的考核成绩")).to_be_visible()
    chart = page.locator("#score-trend-chart")
    expect(chart).to_be_visible()
    # Chart.js drew it: the canvas has an attached chart with one point per month.
    points = page.evaluate("() => Chart.getChart('score-trend-chart').data.datasets[0].data.length")
    assert points == 2
    expect(page.get_by_test_id("trend").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("entries")).to_contain_text("课堂表现")
    # Never another trainee's figures.
    expect(page.locator("body")).not_to_contain_text("李四")
    assert_no_page_errors(page)
    screenshot(page, "trainee-scores-and-trend")


def test_orgdept_open_the_dashboard_and_the_monthly_workbook(page, cast, scored, tmp_path):
    log_in(page, "orgdept")
    follow_menu(page, "数据看板")
    expect(page.get_by_role("heading", name=re.compile("数据看板"))).to_be_visible()
    screenshot(page, "orgdept-dashboard")

    page.goto(page.base_url + "/exports/mine/")
    page.get_by_label("报表").select_option(label="月度小结")
    page.get_by_label("月份（月度小结需要）").fill("2026-02")
    page.get_by_role("button", name="后台生成").click()
    expect(page.get_by_text("已提交后台导出")).to_be_visible()
    job = page.get_by_test_id("export-job").first
    with page.expect_download() as download_info:
        job.get_by_role("link").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = load_workbook(path, read_only=True).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("张三" in c for c in cells), cells[:20]
    assert any("2026" in c for c in cells)
    assert_no_page_errors(page)
    screenshot(page, "orgdept-monthly-workbook")


def test_a_leader_comments_on_a_trainee(page, cast, camp_clock):
    log_in(page, "leader")
    follow_menu(page, "领导点评")
    page.get_by_role("link", name=re.compile("写点评")).first.click()
    # The date should come filled in with today; the widget renders it as 2026/03/10, which a
    # date input cannot show (reported), so the leader picks it again.
    page.get_by_label("日期").fill("2026-03-10")
    page.get_by_label("场合").fill("季度汇报会")
    page.get_by_label("点评对象").select_option(label="学员")
    choose_in_picker(page, "trainee", "张三")
    page.get_by_label("点评内容").fill("思路清晰，基层情况掌握扎实，望继续加强理论学习。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("点评已保存")).to_be_visible()
    expect(page.get_by_text("思路清晰").first).to_be_visible()
    assert_no_page_errors(page)
    screenshot(page, "leader-comment")
