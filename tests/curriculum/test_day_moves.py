"""Moving a training day by hand: the checks when it is saved, the confirmation that overrides
them, the words for its direction, and a move undone without a trace."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from curriculum.models import MoveKind, TrainingDayMove
from curriculum.services.attendance import attendance_record
from curriculum.services.calendar import (
    calendar_arrangement_create,
    training_day_move,
    training_days_plan,
)
from curriculum.services.day_moves import MoveNeedsConfirmation
from curriculum.services.sessions import session_update
from tests.factories import SessionFactory

D = datetime.date
NATIONAL_DAY = D(2026, 10, 3)


@pytest.fixture
def planned(cast, clock):
    training_days_plan(camp=cast.camp, by=cast.staff)
    return {day.number: day for day in cast.camp.training_days.all()}


def test_a_move_onto_a_past_holiday_out_of_order_is_flagged_and_saves_nothing(cast, planned):
    day = planned[24]  # 2026-12-26
    with pytest.raises(MoveNeedsConfirmation) as refused:
        training_day_move(
            day=day, to_date=NATIONAL_DAY, by=cast.staff, reason="提前结业", today=D(2026, 12, 3)
        )
    assert [f.code for f in refused.value.flags] == ["calendar", "past", "order"]
    text = " ".join(refused.value.messages)
    assert "国庆节法定节假日" in text
    assert "已经过去" in text
    assert "第23次" in text
    day.refresh_from_db()
    assert day.date == D(2026, 12, 26)
    assert not day.locked
    assert not TrainingDayMove.objects.filter(kind=MoveKind.MANUAL).exists()


def test_an_adjusted_workday_and_a_future_date_in_order_pass_without_a_question(cast, planned):
    with pytest.raises(MoveNeedsConfirmation) as refused:
        training_day_move(
            day=planned[19], to_date=D(2026, 10, 10), by=cast.staff, reason="x", today=D(2026, 3, 1)
        )
    assert [f.code for f in refused.value.flags] == ["calendar"]
    assert "国庆节调休上班" in refused.value.messages[0]
    # A day already held is flagged too: its attendance would move with it.
    held = SessionFactory(training_day=planned[1])
    attendance_record(session=held, marks={cast.trainee_in_group_1.pk: "present"}, by=cast.staff)
    with pytest.raises(MoveNeedsConfirmation) as refused:
        training_day_move(
            day=planned[1], to_date=D(2026, 1, 11), by=cast.staff, reason="x", today=D(2026, 1, 11)
        )
    assert [f.code for f in refused.value.flags] == ["held"]
    assert "已经举行" in refused.value.messages[0]
    moved = training_day_move(
        day=planned[19], to_date=D(2026, 10, 11), by=cast.staff, reason="会议", today=D(2026, 3, 1)
    )
    assert moved.date == D(2026, 10, 11)
    assert TrainingDayMove.objects.get(day=moved, kind=MoveKind.MANUAL).flags == ""


def test_a_flagged_move_needs_each_flag_confirmed_with_a_reason_which_is_kept(cast, planned):
    day = planned[24]
    move = {"day": day, "to_date": NATIONAL_DAY, "by": cast.staff, "reason": "提前结业"}
    today = D(2026, 12, 3)
    with pytest.raises(MoveNeedsConfirmation, match="提示内容已变化"):  # one of three confirmed
        training_day_move(**move, today=today, confirmed=["calendar"], override_reason="市委安排")
    with pytest.raises(MoveNeedsConfirmation, match="填写理由"):
        training_day_move(**move, today=today, confirmed=["calendar", "past", "order"])
    training_day_move(
        **move,
        today=today,
        confirmed=["calendar", "past", "order"],
        override_reason="补录：当日经市委同意在假期培训",
    )
    day.refresh_from_db()
    assert day.date == NATIONAL_DAY
    assert day.locked
    record = TrainingDayMove.objects.get(day=day, kind=MoveKind.MANUAL)
    assert "国庆节法定节假日" in record.flags
    assert record.override_reason == "补录：当日经市委同意在假期培训"
    assert record.by == cast.staff


def test_a_date_already_a_training_day_is_refused_outright(cast, planned):
    with pytest.raises(ValidationError, match="已是第23次培训日"):
        training_day_move(
            day=planned[24],
            to_date=planned[23].date,
            by=cast.staff,
            reason="x",
            confirmed=["calendar", "past", "order"],
            override_reason="y",
        )


def test_an_undone_move_leaves_no_mark_and_no_conflict(cast, planned, clock):
    day = planned[5]  # 2026-03-14, today is 2026-03-10
    session = SessionFactory(training_day=day)
    training_day_move(day=day, to_date=D(2026, 3, 21), by=cast.staff, reason="会议")
    session.refresh_from_db()
    assert session.is_changed
    training_day_move(day=day, to_date=D(2026, 3, 14), by=cast.staff, reason="会议取消，恢复原定")
    day.refresh_from_db()
    session.refresh_from_db()
    assert (day.date, day.is_moved, day.locked, day.move_reason) == (
        D(2026, 3, 14),
        False,
        False,
        "",
    )
    assert not session.is_changed
    assert session.change_note == ""
    assert session.moved_from is None
    report = training_days_plan(camp=cast.camp, by=cast.staff)
    assert (report.kept, report.changes, report.warnings) == (24, [], [])


def test_undoing_a_move_onto_a_past_holiday_leaves_no_conflict(client, cast, planned):
    day = planned[24]
    session = SessionFactory(training_day=day)
    today = D(2026, 12, 3)
    training_day_move(
        day=day,
        to_date=NATIONAL_DAY,
        by=cast.staff,
        reason="误操作",
        today=today,
        confirmed=["calendar", "past", "order"],
        override_reason="误点",
    )
    # Back to 26 December: nothing was held on 3 October, so nothing asks for confirmation.
    training_day_move(day=day, to_date=D(2026, 12, 26), by=cast.staff, reason="撤销", today=today)
    day.refresh_from_db()
    session.refresh_from_db()
    assert (day.is_moved, day.locked, day.move_reason) == (False, False, "")
    assert not session.is_changed
    assert training_days_plan(camp=cast.camp, by=cast.staff).warnings == []
    client.force_login(cast.staff)
    page = client.get(reverse("curriculum-day", args=[day.pk])).content.decode()
    assert 'id="day-conflict"' not in page


def test_undoing_a_move_keeps_the_planners_reason_and_other_changes_of_a_session(cast, clock):
    clock.at(datetime.datetime(2026, 1, 5, 9, 0))
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 2, 28))  # held on 7 March
    planner_reason = day.move_reason
    session = SessionFactory(training_day=day)
    session = session_update(session=session, by=cast.staff, reason="换报告厅", place="第二报告厅")
    training_day_move(day=day, to_date=D(2026, 3, 8), by=cast.staff, reason="场地冲突")
    session.refresh_from_db()
    assert "提前" not in session.change_note
    assert "顺延至2026年3月8日" in session.change_note
    training_day_move(day=day, to_date=D(2026, 3, 7), by=cast.staff, reason="场地已解决")
    day.refresh_from_db()
    session.refresh_from_db()
    assert not day.locked
    assert day.move_reason == planner_reason
    assert session.is_changed  # the new place still stands
    assert "第二报告厅" in session.change_note
    assert "2026年3月8日" not in session.change_note


def test_a_move_says_whether_it_brings_the_day_forward_or_postpones_it(cast, planned):
    days = {day.slot_date: day for day in planned.values()}
    forward = days[D(2026, 2, 14)]  # to 7 February
    later = days[D(2026, 10, 10)]  # to 17 October
    assert "提前至2026年2月7日" in forward.move_reason
    assert forward.moved_label == "已提前"
    assert "顺延至2026年10月17日" in later.move_reason
    assert later.moved_label == "已顺延"
    assert "提前" in days[D(2026, 9, 26)].move_reason
    assert TrainingDayMove.objects.get(day=forward).direction_label == "提前"
    session = SessionFactory(training_day=planned[5])
    training_day_move(day=planned[5], to_date=D(2026, 3, 13), by=cast.staff, reason="会议")
    session.refresh_from_db()
    assert "提前至2026年3月13日" in session.change_note
    assert "顺延" not in session.change_note


def test_the_day_page_shows_the_flags_and_saves_only_once_confirmed(client, cast, planned, clock):
    clock.at(datetime.datetime(2026, 12, 3, 9, 0))
    client.force_login(cast.staff)
    day = planned[24]
    url = reverse("curriculum-day-move", args=[day.pk])
    post = {"to_date": "2026-10-03", "reason": "提前结业"}
    response = client.post(url, post)
    body = response.content.decode()
    assert response.status_code == 200
    assert "国庆节法定节假日" in body
    assert "已调整培训日" not in body
    assert "已将培训日" not in body
    assert 'name="confirm"' in body
    day.refresh_from_db()
    assert day.date == D(2026, 12, 26)

    confirmed = {
        **post,
        "flags": "calendar,past,order",
        "confirm": "on",
        "override_reason": "市委安排",
    }
    response = client.post(url, confirmed, follow=True)
    body = response.content.decode()
    assert "已将培训日提前至2026年10月3日" in body
    assert "市委安排" in body  # kept in the day's history of moves
    day.refresh_from_db()
    assert day.date == NATIONAL_DAY
    calendar = client.get(reverse("curriculum-calendar", args=[cast.camp.code])).content.decode()
    assert "国庆节法定节假日" in calendar


def test_a_day_held_on_a_holiday_says_whether_anyone_confirmed_it(client, cast, planned):
    day = planned[5]
    training_day_move(day=day, to_date=D(2026, 3, 21), by=cast.staff, reason="会议")
    # The holiday is announced after the move: nobody confirmed training on it.
    calendar_arrangement_create(date=D(2026, 3, 21), kind="holiday", name="补假", by=cast.staff)
    client.force_login(cast.staff)
    page = client.get(reverse("curriculum-day", args=[day.pk])).content.decode()
    conflict = page[page.index('id="day-conflict"') :].split("</div>")[0]
    assert "该日为补假法定节假日" in conflict
    assert "尚无人确认" in conflict
