"""Fast entry: the whole grid or nothing, errors per cell, bulk writes in the history."""

import datetime
from decimal import Decimal

import pytest

from assessment.grid_selectors import grid_load
from assessment.models import ScoreEntry, Source
from assessment.services.entries import score_entry_create
from assessment.services.grid import GridError, grid_save
from tests.factories import TraineeFactory

from .conftest import item_of

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def group(cast):
    extra = TraineeFactory.create_batch(2, camp=cast.camp, group=cast.group_1)
    return cast.group_1, [cast.trainee_in_group_1, *extra]


def seen(cast, group, number=2, day=DAY):
    """What a writer who opens the grid now sees: each cell's version (0 when empty)."""
    rows = grid_load(group=group, item=item_of(cast.camp, number), day=day)
    return {row.trainee.pk: row.version for row in rows}


def save(cast, group, values, *, number=2, by=None, versions=None, reason="3月14日课堂纪律"):
    return grid_save(
        group=group,
        item=item_of(cast.camp, number),
        day=DAY,
        values=values,
        versions=seen(cast, group, number) if versions is None else versions,
        by=by or cast.staff,
        reason=reason,
    )


def test_it_saves_the_whole_grid_in_bulk_with_history(cast, group):
    group, (a, b, c) = group
    result = save(cast, group, {a.pk: "1", b.pk: "0.5", c.pk: ""})

    assert result.created == 2
    entries = ScoreEntry.objects.filter(source=Source.GRID).order_by("trainee_id")
    assert [(e.trainee_id, e.points) for e in entries] == [
        (a.pk, Decimal("1.0")),
        (b.pk, Decimal("0.5")),
    ]
    # The bulk write is in the history, with who and why.
    records = ScoreEntry.history.filter(history_type="+").order_by("trainee_id")
    assert records.count() == 2
    assert {r.history_user for r in records} == {cast.staff}
    assert {r.history_change_reason for r in records} == {"3月14日课堂纪律"}


def test_nothing_is_saved_while_any_cell_is_wrong(cast, group):
    group, (a, b, c) = group
    with pytest.raises(GridError) as error:
        save(cast, group, {a.pk: "1", b.pk: "-1", c.pk: "abc"}, number=2)
    assert set(error.value.cells) == {b.pk, c.pk}
    assert "扣分请填写正数" in " ".join(error.value.cells[b.pk])
    assert "不是有效的分值" in " ".join(error.value.cells[c.pk])
    assert not ScoreEntry.objects.exists()
    assert not ScoreEntry.history.exists()


def test_a_grade_above_the_maximum_marks_its_cell(cast, group):
    group, (a, b, _c) = group
    with pytest.raises(GridError) as error:
        save(cast, group, {a.pk: "9", b.pk: "11"}, number=3, by=cast.counselor_1)
    assert list(error.value.cells) == [b.pk]
    assert not ScoreEntry.objects.exists()


def test_saving_the_grid_again_edits_its_entries_and_clearing_a_cell_deletes(cast, group):
    group, (a, b, _c) = group
    save(cast, group, {a.pk: "1", b.pk: "0.5"})
    rows = {
        row.trainee.pk: row for row in grid_load(group=group, item=item_of(cast.camp, 2), day=DAY)
    }
    assert rows[a.pk].value == "1.0"

    result = save(
        cast,
        group,
        {a.pk: "2", b.pk: ""},
        versions={a.pk: rows[a.pk].version, b.pk: rows[b.pk].version},
        reason="复核",
    )

    assert (result.created, result.updated, result.deleted) == (0, 1, 1)
    assert list(ScoreEntry.objects.values_list("trainee_id", "points", "version")) == [
        (a.pk, Decimal("2.0"), 2)
    ]
    edited = ScoreEntry.history.filter(trainee_id=a.pk).order_by("history_date")
    assert [r.points for r in edited] == [Decimal("1.0"), Decimal("2.0")]
    assert ScoreEntry.history.filter(trainee_id=b.pk, history_type="-").exists()


def test_a_cell_changed_by_someone_else_since_loading_is_refused(cast, group):
    group, (a, _b, _c) = group
    save(cast, group, {a.pk: "1"})
    loaded = grid_load(group=group, item=item_of(cast.camp, 2), day=DAY)
    seen = {row.trainee.pk: row.version for row in loaded}
    save(cast, group, {a.pk: "1.5"}, versions=seen, reason="A")

    with pytest.raises(GridError) as error:
        save(cast, group, {a.pk: "3"}, versions=seen, reason="B")
    assert "已被他人修改：王管理" in " ".join(error.value.cells[a.pk])
    assert "保存为 1.5 分" in " ".join(error.value.cells[a.pk])
    assert error.value.stale == {a.pk}
    assert ScoreEntry.objects.get().points == Decimal("1.5")


def test_a_counselor_may_not_fill_another_groups_grid(cast, group):
    group, (a, _b, _c) = group
    with pytest.raises(GridError):
        save(cast, group, {a.pk: "8"}, number=3, by=cast.counselor_2)
    assert not ScoreEntry.objects.exists()


def test_a_grid_needs_a_reason(cast, group):
    group, (a, _b, _c) = group
    with pytest.raises(GridError) as error:
        save(cast, group, {a.pk: "1"}, reason="")
    assert "请填写本次录入的事由" in " ".join(error.value.messages)


def test_a_once_only_grid_edits_the_trainees_single_entry(cast, group):
    group, (a, _b, _c) = group
    score_entry_create(
        trainee=a, item=item_of(cast.camp, 8), points="15", date=DAY, by=cast.staff, reason="测试"
    )
    save(cast, group, {a.pk: "18"}, number=8, reason="理论测试复核")
    assert list(ScoreEntry.objects.values_list("points", flat=True)) == [Decimal("18.0")]


def test_a_monthly_items_grid_is_dated_the_first_of_the_month(cast, group):
    group, (a, _b, _c) = group
    save(cast, group, {a.pk: "16"}, number=4, reason="3月学习心得")
    assert ScoreEntry.objects.get().date == datetime.date(2026, 3, 1)


# --- Cells: what each cell holds, whoever wrote it ------------------------------------------


def test_a_stale_page_that_saw_an_empty_cell_neither_overwrites_nor_deletes_a_colleagues_entry(
    cast, group
):
    group, (a, b, _c) = group
    page = seen(cast, group)  # opened while every cell was empty
    save(cast, group, {a.pk: "1"}, by=cast.staff, reason="同事录入")

    for typed in ("", "2"):  # left empty (would delete), or a different value (would overwrite)
        with pytest.raises(GridError) as error:
            save(cast, group, {a.pk: typed, b.pk: "0.5"}, versions=page, reason="旧页面")
        assert error.value.stale == {a.pk}
        assert "该单元格已有记录：王管理" in " ".join(error.value.cells[a.pk])
    assert list(ScoreEntry.objects.values_list("trainee_id", "points")) == [(a.pk, Decimal("1.0"))]


def test_a_grid_without_what_it_saw_is_refused(cast, group):
    group, (a, _b, _c) = group
    with pytest.raises(GridError) as error:
        save(cast, group, {a.pk: "1"}, versions={})
    assert "缺少该单元格的版本信息" in " ".join(error.value.cells[a.pk])
    assert not ScoreEntry.objects.exists()


def test_the_month_grid_shows_a_grade_entered_on_any_day_of_the_month_and_edits_it(cast, group):
    group, (a, _b, _c) = group
    november = datetime.date(2026, 11, 1)
    single = score_entry_create(
        trainee=a,
        item=item_of(cast.camp, 4),
        points="18",
        date=datetime.date(2026, 11, 20),
        by=cast.staff,
        reason="",
    )
    rows = {
        r.trainee.pk: r for r in grid_load(group=group, item=item_of(cast.camp, 4), day=november)
    }
    assert (rows[a.pk].value, rows[a.pk].version) == ("18.0", 1)

    grid_save(
        group=group,
        item=item_of(cast.camp, 4),
        day=november,
        values={a.pk: "16"},
        versions={a.pk: 1},
        by=cast.staff,
        reason="11月学习心得复核",
    )
    assert list(ScoreEntry.objects.filter(item__number=4).values_list("pk", "points")) == [
        (single.pk, Decimal("16.0"))
    ]


def test_a_grade_from_a_graded_submission_is_read_only_in_the_grid(cast, group):
    from assessment.services.submissions import submission_create, submission_grade

    group, (a, _b, _c) = group
    march = datetime.date(2026, 3, 1)
    submission = submission_create(
        trainee=a, item=item_of(cast.camp, 4), by=a.person.user, text="心得", period=march
    )
    submission_grade(submission=submission, points="17", comment="", by=cast.staff)
    rows = {r.trainee.pk: r for r in grid_load(group=group, item=item_of(cast.camp, 4), day=march)}
    assert rows[a.pk].read_only
    assert rows[a.pk].value == "17.0"

    for typed in ("", "12"):
        with pytest.raises(GridError) as error:
            grid_save(
                group=group,
                item=item_of(cast.camp, 4),
                day=march,
                values={a.pk: typed},
                versions={a.pk: 0 if typed == "" else rows[a.pk].version},
                by=cast.staff,
                reason="清空",
            )
        assert "材料评分自动生成" in " ".join(error.value.cells[a.pk])
    assert ScoreEntry.objects.get().points == Decimal("17.0")
    # Sent back as shown, with the version it showed, the read-only cell is left alone.
    grid_save(
        group=group,
        item=item_of(cast.camp, 4),
        day=march,
        values={a.pk: ""},
        versions={a.pk: rows[a.pk].version},
        by=cast.staff,
        reason="其他学员",
    )
    assert ScoreEntry.objects.get().points == Decimal("17.0")


def test_the_days_attendance_deductions_show_beside_the_cell_read_only(cast, group):
    from .conftest import raw_entry

    group, (a, _b, _c) = group
    raw_entry(a, 1, "2.0", day=DAY, source=Source.ATTENDANCE, source_key="attendance:1:1")
    rows = {r.trainee.pk: r for r in grid_load(group=group, item=item_of(cast.camp, 1), day=DAY)}
    assert [e.points for e in rows[a.pk].automatic] == [Decimal("2.0")]
    assert rows[a.pk].entry is None  # the hand-entered cell stays free
