"""Recording scores: validation in Chinese, recorder rules, history, concurrency."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.access import get_score_entry_for
from assessment.entry_messages import StaleEntryError
from assessment.entry_rules import parse_points
from assessment.models import ScoreEntry
from assessment.services.entries import score_entry_create, score_entry_delete, score_entry_update
from trainees.models import TraineeStatus

from .conftest import item_of

DAY = datetime.date(2026, 3, 14)


def create(cast, number, points, *, by=None, trainee=None, day=DAY, reason="测试", seen=0):
    return score_entry_create(
        trainee=trainee or cast.trainee_in_group_1,
        item=item_of(cast.camp, number),
        points=points,
        date=day,
        by=by or cast.staff,
        reason=reason,
        seen_version=seen,
    )


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_it_records_an_entry_with_its_recorder_and_reason_in_the_history(cast):
    entry = create(cast, 2, "1.5", reason="课堂上使用手机")
    record = entry.history.get()
    assert record.history_type == "+"
    assert record.history_user == cast.staff
    assert record.history_change_reason == "课堂上使用手机"
    assert record.points == Decimal("1.5")


def test_it_refuses_a_grade_above_the_items_maximum(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, 4, "21")
    assert "超过了“学习心得”的满分 20.0 分" in messages(error.value)
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("-2", "分值不能为负数"),
        ("abc", "不是有效的分值"),
        ("1.25", "最多保留一位小数"),
        ("1e400", "分值过大"),
        ("NaN", "请填写有效的分值"),
        ("Infinity", "请填写有效的分值"),
        ("1000", "分值过大"),
    ],
)
def test_it_refuses_negative_or_malformed_amounts(cast, value, says):
    with pytest.raises(ValidationError, match=says):
        create(cast, 2, value)
    assert not ScoreEntry.objects.exists()


def test_the_negative_message_says_to_enter_deductions_as_positive_amounts(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, 2, "-2")
    assert "扣分请填写正数" in messages(error.value)


def test_it_refuses_a_bonus_past_the_cap_and_says_how_much_room_is_left(cast):
    create(cast, 17, "3.5")
    later = DAY + datetime.timedelta(days=14)
    with pytest.raises(ValidationError) as error:
        create(cast, 17, "2", day=later)
    assert "还可加 1.5 分" in messages(error.value)
    create(cast, 17, "1.5", day=later)  # exactly to the cap is fine


def test_it_refuses_an_entry_dated_after_the_trainee_withdrew(cast):
    trainee = cast.trainee_in_group_1
    trainee.status = TraineeStatus.WITHDRAWN
    trainee.withdrawn_on = datetime.date(2026, 3, 1)
    trainee.save()
    with pytest.raises(ValidationError) as error:
        create(cast, 2, "1")
    assert "已于 2026-03-01 退出" in messages(error.value)
    create(cast, 2, "1", day=datetime.date(2026, 2, 28))  # before the withdrawal is fine


def test_it_refuses_a_recorder_whose_role_the_item_does_not_allow(cast):
    # Item 3 (学习笔记) is the counselor's; staff may not record it, a counselor may.
    with pytest.raises(ValidationError) as error:
        create(cast, 3, "8")
    assert "政治辅导员" in messages(error.value)
    create(cast, 3, "8", by=cast.counselor_1)


def test_a_counselor_records_only_for_their_own_group(cast):
    with pytest.raises(ValidationError):
        create(cast, 3, "8", by=cast.counselor_2)
    assert not ScoreEntry.objects.exists()


def test_nobody_records_contest_grades_by_hand(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, 20, "12")
    assert "擂台比拼评委" in messages(error.value)


def test_a_deduction_needs_a_reason(cast):
    with pytest.raises(ValidationError) as error:
        create(cast, 2, "1", reason=" ")
    assert "请填写事由" in messages(error.value)


def test_a_new_grade_on_a_once_only_item_replaces_the_old_one_as_an_edit(cast):
    first = create(cast, 8, "15", reason="理论测试")
    # The writer saw the grade there (its version): the second grade edits the one cell.
    second = create(cast, 8, "18", reason="补考成绩", day=DAY.replace(month=6), seen=1)

    assert second.pk == first.pk
    assert second.date == DAY  # an edit keeps the cell's date
    assert ScoreEntry.objects.filter(item__number=8).count() == 1
    assert second.points == Decimal("18.0")
    assert second.version == 2
    history = list(second.history.order_by("history_date").values_list("points", "history_type"))
    assert history == [(Decimal("15.0"), "+"), (Decimal("18.0"), "~")]


def test_recurring_grades_of_different_periods_are_kept_side_by_side(cast):
    create(cast, 4, "15")
    create(cast, 4, "17", day=DAY.replace(month=4))
    assert ScoreEntry.objects.filter(item__number=4).count() == 2


def test_a_second_grade_for_the_month_is_refused_naming_the_first_then_edits_it(cast):
    first = create(cast, 4, "15", day=datetime.date(2026, 3, 1))

    with pytest.raises(StaleEntryError) as error:
        create(cast, 4, "17", day=datetime.date(2026, 3, 20))
    assert "该单元格已有记录：王管理" in messages(error.value)
    assert "15.0 分" in messages(error.value)
    assert error.value.current.pk == first.pk

    # Seen now: the deliberate second save edits the month's one grade.
    edited = create(cast, 4, "17", day=datetime.date(2026, 3, 20), seen=first.version)
    assert edited.pk == first.pk
    assert list(ScoreEntry.objects.values_list("points", "date")) == [
        (Decimal("17.0"), datetime.date(2026, 3, 1))
    ]


def test_a_second_deduction_on_the_same_day_is_refused_and_the_day_keeps_one_entry(cast):
    create(cast, 2, "1", reason="迟到")
    with pytest.raises(StaleEntryError):
        create(cast, 2, "0.5", reason="使用手机")
    assert ScoreEntry.objects.filter(item__number=2).count() == 1


def test_a_write_over_a_cell_deleted_since_it_was_seen_names_who_cleared_it(cast):
    entry = create(cast, 2, "1")
    score_entry_delete(entry=entry, by=cast.staff, reason="录错", version=entry.version)

    with pytest.raises(StaleEntryError) as error:
        create(cast, 2, "2", seen=entry.version)
    assert "已被 王管理" in messages(error.value)
    assert "清除" in messages(error.value)
    assert not ScoreEntry.objects.exists()


def test_moving_an_entry_onto_a_taken_cell_is_refused(cast):
    create(cast, 2, "1")
    other = create(cast, 2, "0.5", day=DAY + datetime.timedelta(days=14))
    with pytest.raises(ValidationError) as error:
        score_entry_update(
            entry=other, points="0.5", date=DAY, by=cast.staff, reason="改日期", version=1
        )
    assert "已有“课堂纪律”的记录" in messages(error.value)
    assert ScoreEntry.objects.filter(item__number=2).count() == 2


def test_an_edit_keeps_the_old_and_new_value_who_and_why(cast):
    entry = create(cast, 2, "1")
    score_entry_update(
        entry=entry, points="2", date=DAY, by=cast.staff, reason="复核后改正", version=1
    )
    old, new = entry.history.order_by("history_date")
    assert (old.points, new.points) == (Decimal("1.0"), Decimal("2.0"))
    assert new.history_user == cast.staff
    assert new.history_change_reason == "复核后改正"


def test_the_second_of_two_concurrent_edits_is_refused_and_shown_the_current_value(cast):
    entry = create(cast, 2, "1")
    opened_by_a = ScoreEntry.objects.get(pk=entry.pk)
    opened_by_b = ScoreEntry.objects.get(pk=entry.pk)

    score_entry_update(
        entry=opened_by_a,
        points="2",
        date=DAY,
        by=cast.staff,
        reason="A 的修改",
        version=opened_by_a.version,
    )
    with pytest.raises(StaleEntryError) as error:
        score_entry_update(
            entry=opened_by_b,
            points="3",
            date=DAY,
            by=cast.staff,
            reason="B 的修改",
            version=opened_by_b.version,
        )
    assert error.value.current.points == Decimal("2.0")
    assert "保存为 2.0 分" in messages(error.value)
    assert ScoreEntry.objects.get(pk=entry.pk).points == Decimal("2.0")


def test_a_delete_is_kept_in_the_history_with_the_reason(cast):
    entry = create(cast, 2, "1")
    pk = entry.pk
    score_entry_delete(entry=entry, by=cast.staff, reason="误录", version=1)
    assert not ScoreEntry.objects.filter(pk=pk).exists()
    deleted = ScoreEntry.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == cast.staff
    assert deleted.history_change_reason == "误录"


def test_a_stale_delete_is_refused(cast):
    entry = create(cast, 2, "1")
    score_entry_update(entry=entry, points="2", date=DAY, by=cast.staff, reason="改", version=1)
    with pytest.raises(StaleEntryError):
        score_entry_delete(entry=entry, by=cast.staff, reason="删", version=1)
    assert ScoreEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("persona", "outcome"),
    [
        ("staff", "edit"),
        ("orgdept", "read"),
        ("leader", "read"),
        ("counselor_1", "edit"),
        ("counselor_2", "404"),
        ("trainee_1", "read"),
        ("trainee_2", "404"),
    ],
)
def test_entry_access_follows_the_access_table(cast, persona, outcome):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    entry = create(cast, 3, "8", by=cast.counselor_1)
    user = cast.everyone()[persona]
    if outcome == "404":
        with pytest.raises(Http404):
            get_score_entry_for(user, entry.pk)
        return
    assert get_score_entry_for(user, entry.pk) == entry
    if outcome == "edit":
        assert get_score_entry_for(user, entry.pk, edit=True) == entry
    else:
        with pytest.raises(PermissionDenied):
            get_score_entry_for(user, entry.pk, edit=True)


@pytest.mark.parametrize(
    ("typed", "points"),
    [("8", "8.0"), ("7.5", "7.5"), ("7,5", "7.5"), ("7，5", "7.5"), (" 2 ", "2.0"), ("1,0", "1.0")],
)
def test_points_are_read_as_typed_with_a_comma_for_a_decimal_point(typed, points):
    assert parse_points(typed) == Decimal(points)


@pytest.mark.parametrize("typed", ["1,000", "1,5,0", "12,345", ",5", "abc", "7.5.1"])
def test_a_comma_that_is_not_a_decimal_point_is_refused_not_misread(typed):
    with pytest.raises(ValidationError, match="不是有效的分值"):
        parse_points(typed)


@pytest.mark.parametrize(("typed", "points"), [("８", "8.0"), ("７．５", "7.5"), ("１０", "10.0")])
def test_full_width_digits_are_read_as_the_same_number(typed, points):
    assert parse_points(typed) == Decimal(points)


@pytest.mark.parametrize("typed", ["٨", "७.५", "8٫5"])
def test_digits_of_other_scripts_are_refused_not_read(typed):
    with pytest.raises(ValidationError, match=r"阿拉伯数字|不是有效的分值"):
        parse_points(typed)
