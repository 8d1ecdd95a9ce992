"""The assessment's to-dos: a trainee's submissions due and their current figures (rank only
where the camp shows it), a counselor's weekly reviews, empty grid cells and submissions to
grade, and what staff, orgdept and leaders come for. Each disappears once done."""

import datetime

import pytest
from django.urls import reverse

from assessment.cells import item_cell_key
from assessment.models import ClassMonthlySummary, ScoreEntry
from assessment.review_selectors import missing_review_weeks
from assessment.services.reviews import weekly_review_save
from assessment.services.submissions import submission_create
from assessment.todos import _empty_cells
from camp.models import RankVisibility
from oversight.models import ShortlistEntry, ShortlistRound
from tests.assessment.conftest import item_of, raw_entry
from tests.curriculum.conftest import Clock


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.at(datetime.datetime(2026, 4, 3, 10, 0))
    return clock


def todos(client, user, url=None):
    client.force_login(user)
    response = client.get(url or reverse("home"), follow=True)
    return response.context["todos"]


def labels(client, user, url=None):
    return [str(todo.label) for todo in todos(client, user, url)]


def test_the_trainee_home_shows_the_current_total_assessed_points_and_rank(client, cast, clock):
    raw_entry(cast.trainee_in_group_1, 3, "8", day=datetime.date(2026, 3, 2))
    mine = next(t for t in todos(client, cast.trainee_1) if t.label == "我的成绩")
    assert "当前总分" in mine.detail
    assert "已考核分值" in mine.detail
    assert "班级排名第 " in mine.detail
    assert not mine.open  # a figure, not work: the menu does not count it
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    mine = next(t for t in todos(client, cast.trainee_1) if t.label == "我的成绩")
    assert "排名" not in mine.detail


def test_a_trainee_sees_submissions_due_until_handed_in(client, cast, clock):
    item = item_of(cast.camp, 3)  # 学习笔记: monthly, due five days after the month
    assert "提交：学习笔记（2026-03）" in labels(client, cast.trainee_1)
    submission_create(
        trainee=cast.trainee_in_group_1,
        item=item,
        by=cast.trainee_1,
        text="三月笔记",
        period=datetime.date(2026, 3, 1),
    )
    now = labels(client, cast.trainee_1)
    assert "提交：学习笔记（2026-03）" not in now
    assert "提交：学习笔记（2026-04）" in now


def test_the_counselors_weekly_review_comes_first_and_goes_when_written(client, cast, clock):
    items = todos(client, cast.counselor_1)
    assert items[0].main
    assert items[0].label == "撰写第1组每周讲评"
    for week in missing_review_weeks(cast.group_1):
        weekly_review_save(
            group=cast.group_1,
            week_start=week,
            highlights="好",
            problems="无",
            remarks={},
            by=cast.counselor_1,
        )
    assert "撰写第1组每周讲评" not in labels(client, cast.counselor_1)


def test_a_counselor_sees_this_months_empty_cells_counted_in_one_grouped_query(
    cast, clock, django_assert_num_queries
):
    groups = [cast.group_1]
    today = datetime.date(2026, 4, 3)
    # The scheme's items, then those this counselor records (recordable_items), the members per
    # group, and the filled cells per group, item and cell: one grouped query however many.
    with django_assert_num_queries(4):
        found = _empty_cells(cast.counselor_1, cast.camp, groups, today)
    by_item = {t.label: t.count for t in found}
    assert by_item["第1组「学习笔记」本月待录入"] == 1
    item = item_of(cast.camp, 3)
    ScoreEntry.objects.create(
        trainee=cast.trainee_in_group_1,
        item=item,
        points=8,
        date=today.replace(day=1),
        cell=item_cell_key(item, today),
    )
    found = _empty_cells(cast.counselor_1, cast.camp, groups, today)
    assert "第1组「学习笔记」本月待录入" not in {t.label for t in found}


def test_a_counselor_sees_submissions_to_grade(client, cast, clock):
    assert "待评分的提交" not in labels(client, cast.counselor_1)
    submission_create(
        trainee=cast.trainee_in_group_1,
        item=item_of(cast.camp, 3),
        by=cast.trainee_1,
        text="笔记",
        period=datetime.date(2026, 3, 1),
    )
    found = {str(t.label): t for t in todos(client, cast.counselor_1)}
    assert found["待评分的提交"].count == 1
    assert found["待评分的提交"].url == reverse("assessment-inbox", args=[cast.camp.code])


def test_staff_see_months_without_a_summary(client, cast, clock):
    overview = reverse("camp-overview", args=[cast.camp.code])
    assert "尚未生成月度小结的月份" in labels(client, cast.staff, overview)
    for month in (1, 2, 3):
        ClassMonthlySummary.objects.create(camp=cast.camp, month=datetime.date(2026, month, 1))
    assert "尚未生成月度小结的月份" not in labels(client, cast.staff, overview)


def test_orgdept_and_leaders_see_the_new_month_and_rounds_in_progress(client, cast, clock):
    ClassMonthlySummary.objects.create(camp=cast.camp, month=datetime.date(2026, 3, 1))
    overview = reverse("camp-overview", args=[cast.camp.code])
    assert labels(client, cast.orgdept, overview)[0] == "新发布：2026-03 月度小结"
    leader = labels(client, cast.leader, overview)
    assert leader[0] == "新发布：2026-03 月度小结"
    assert "班级看板" in leader
    shortlist = ShortlistRound.objects.create(
        camp=cast.camp, title="第一轮比选", date=datetime.date(2026, 4, 1), created_by=cast.orgdept
    )
    entry = ShortlistEntry.objects.create(round=shortlist, trainee=cast.trainee_in_group_1)
    assert "进行中的比选：第一轮比选" in labels(client, cast.orgdept, overview)
    entry.decision = "reserve"
    entry.decided_at = datetime.datetime(2026, 4, 3, 9, 0, tzinfo=datetime.UTC)
    entry.save()
    assert "进行中的比选：第一轮比选" not in labels(client, cast.orgdept, overview)


def test_the_menu_counts_the_open_todos_on_every_page(client, cast, clock):
    open_count = sum(1 for t in todos(client, cast.counselor_1) if t.open)
    assert open_count > 0
    body = client.get(reverse("camp-list")).content.decode()
    assert "data-menu-todos" in body
    assert f'text-bg-danger">{open_count}</span></a>' in body
