"""The calendar: 24 Saturdays, conflicts from the official calendar, moves, unverified years,
hand-entered arrangements, re-planning and manual moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from camp.services.camps import camp_create
from curriculum.holidays import OfficialCalendar
from curriculum.models import (
    ArrangementKind,
    CalendarArrangement,
    DayVerification,
    MoveKind,
    Session,
    TrainingDay,
    TrainingDayMove,
)
from curriculum.services.calendar import (
    calendar_arrangement_create,
    calendar_arrangement_delete,
    training_day_confirm,
    training_day_move,
    training_days_plan,
)
from curriculum.training_slots import slot_dates

D = datetime.date


def _camp(code: str, year: int, start_month: int):
    return camp_create(code=code, name=f"{code}届", year=year, start_month=start_month)


@pytest.mark.parametrize("start_month", range(1, 13))
def test_it_plans_the_second_and_fourth_saturday_of_twelve_months_for_any_start(db, start_month):
    camp = _camp(f"c{start_month}", 2024, start_month)
    slots = slot_dates(camp)
    assert len(slots) == 24
    months = [(d.year, d.month) for d in slots]
    assert months[0] == (2024, start_month)
    assert len(set(months)) == 12
    for date in slots:
        assert date.weekday() == 5
    for first, second in zip(slots[::2], slots[1::2], strict=True):
        assert 8 <= first.day <= 14  # the 2nd Saturday
        assert 22 <= second.day <= 28  # the 4th Saturday
        assert (second - first).days == 14
    training_days_plan(camp=camp, by=None)
    days = list(camp.training_days.order_by("number"))
    assert len(days) == 24
    assert [d.slot_date for d in days] == slots
    assert len({d.date for d in days}) == 24


def test_official_calendar_finds_holidays_and_adjusted_workdays_but_not_weekends(db):
    calendar = OfficialCalendar(D(2026, 1, 1), D(2026, 12, 31))
    ordinary = calendar.day(D(2026, 1, 10))  # a plain Saturday, a "holiday" in the package
    assert ordinary.known
    assert not ordinary.lost
    assert ordinary.kind == ""
    spring = calendar.day(D(2026, 2, 14))  # 春节调休上班
    assert spring.lost
    assert spring.kind == ArrangementKind.WORKDAY
    assert spring.name == "春节"
    mid_autumn = calendar.day(D(2026, 9, 26))  # 中秋节 holiday
    assert mid_autumn.lost
    assert mid_autumn.kind == ArrangementKind.HOLIDAY
    assert mid_autumn.name == "中秋节"
    national = calendar.day(D(2026, 10, 10))  # 国庆节调休上班
    assert national.lost
    assert national.kind == ArrangementKind.WORKDAY
    unknown = calendar.day(D(2027, 1, 9))  # the package has no 2027 yet
    assert not unknown.known
    assert not unknown.lost


def test_it_moves_the_2026_conflicts_to_the_nearest_free_saturday(cast):
    report = training_days_plan(camp=cast.camp, by=cast.staff)
    days = {d.slot_date: d for d in cast.camp.training_days.all()}
    moved = {slot: d.date for slot, d in days.items() if d.is_moved}
    assert moved == {
        # Same month when it has a free Saturday (Feb 21 is inside the Spring Festival).
        D(2026, 2, 14): D(2026, 2, 7),
        # The month is full: the nearest free Saturday outside it.
        D(2026, 2, 28): D(2026, 3, 7),
        D(2026, 5, 9): D(2026, 5, 16),
        D(2026, 9, 26): D(2026, 9, 19),
        D(2026, 10, 10): D(2026, 10, 17),
    }
    feb = days[D(2026, 2, 14)]
    assert feb.conflict_kind == ArrangementKind.WORKDAY
    assert feb.conflict_name == "春节"
    assert "春节调休上班" in feb.move_reason
    assert days[D(2026, 9, 26)].conflict_kind == ArrangementKind.HOLIDAY
    assert days[D(2026, 1, 10)].conflict_kind == ""  # ordinary weekend: no conflict
    assert report.created == 24
    assert len(report.moves) == 5
    moves = TrainingDayMove.objects.filter(day__camp=cast.camp, kind=MoveKind.CONFLICT)
    assert moves.count() == 5
    assert all(d.verification == DayVerification.CALENDAR_DATA for d in days.values())


def test_a_move_prefers_the_earlier_saturday_on_a_tie(db):
    # July 2026 has Saturdays 4, 11, 18, 25. With the 11th lost, the 4th and the 18th are
    # equally near: the earlier wins.
    camp = _camp("tie", 2026, 1)
    staff = _staff()
    calendar_arrangement_create(date=D(2026, 7, 11), kind="holiday", name="测试假日", by=staff)
    training_days_plan(camp=camp, by=staff)
    day = camp.training_days.get(slot_date=D(2026, 7, 11))
    assert day.date == D(2026, 7, 4)
    assert day.conflict_name == "测试假日"


def _staff():
    from tests.factories import UserFactory

    return UserFactory(username="planner", role="staff")


def test_years_without_data_are_created_unverified_never_guessed(db):
    camp = _camp("2026b", 2026, 7)  # July 2026 to June 2027: 2027 has no data yet
    report = training_days_plan(camp=camp, by=None)
    days = list(camp.training_days.order_by("date"))
    unverified = [d for d in days if d.is_unverified]
    assert len(days) == 24
    assert len(unverified) == 12
    assert all(d.date.year == 2027 for d in unverified)
    assert all(not d.is_moved for d in unverified)
    assert report.unverified == 12


def test_hand_entered_arrangements_add_to_the_package_for_their_own_dates(db):
    camp = _camp("2026c", 2026, 7)
    staff = _staff()
    training_days_plan(camp=camp, by=staff)
    # Staff enter two dates of 2027's arrangement: 13 February is a Spring Festival holiday,
    # 9 January an adjusted workday.
    calendar_arrangement_create(date=D(2027, 2, 13), kind="holiday", name="春节", by=staff)
    calendar_arrangement_create(date=D(2027, 1, 9), kind="workday", name="元旦", by=staff)
    report = training_days_plan(camp=camp, by=staff)
    days = {d.slot_date: d for d in camp.training_days.all()}
    spring = days[D(2027, 2, 13)]
    assert spring.is_moved
    assert spring.date == D(2027, 2, 6)
    assert spring.conflict_name == "春节"
    assert "提前至2027年2月6日" in spring.move_reason
    # Nothing covers 6 February: the day stands there unverified, and says so.
    assert spring.is_unverified
    assert days[D(2027, 1, 9)].date == D(2027, 1, 2)  # the nearest, the earlier on a tie
    assert days[D(2027, 1, 9)].is_unverified  # held on the 2nd, which nothing covers
    assert any("2027年2月13日" in line for line in report.changes)
    replan = TrainingDayMove.objects.get(day=spring)
    assert replan.kind == MoveKind.REPLAN
    assert replan.by == staff


def test_an_arrangement_takes_precedence_over_the_package(cast):
    # The package says 2026-04-11 is an ordinary Saturday; staff know better.
    calendar_arrangement_create(date=D(2026, 4, 11), kind="workday", name="临时调休", by=cast.staff)
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 4, 11))
    assert day.is_moved
    assert day.conflict_kind == ArrangementKind.WORKDAY
    assert day.date == D(2026, 4, 18)
    assert day.verification == DayVerification.ARRANGEMENT


def test_one_staff_holiday_does_not_verify_a_whole_year(db):
    camp = _camp("2026d", 2026, 7)  # July 2026 to June 2027: 2027 has no data yet
    staff = _staff()
    training_days_plan(camp=camp, by=staff)
    calendar_arrangement_create(date=D(2027, 1, 1), kind="holiday", name="元旦", by=staff)
    report = training_days_plan(camp=camp, by=staff)
    days_2027 = list(camp.training_days.filter(date__year=2027))
    assert len(days_2027) == 12
    # Spring Festival and the rest of 2027 are as unknown as before the entry.
    assert all(d.is_unverified for d in days_2027)
    assert report.unverified == 12
    assert not any("已核验" in line for line in report.changes)
    assert (
        camp.training_days.filter(
            date__year=2026, verification=DayVerification.CALENDAR_DATA
        ).count()
        == 12
    )


def test_staff_confirm_an_unverified_day_with_a_reason_and_only_that_day(db):
    camp = _camp("2026e", 2026, 7)
    staff = _staff()
    training_days_plan(camp=camp, by=staff)
    day = camp.training_days.get(slot_date=D(2027, 1, 9))
    with pytest.raises(ValidationError, match="确认依据"):
        training_day_confirm(day=day, by=staff, reason=" ")
    training_day_confirm(day=day, by=staff, reason="国办发明电〔2026〕X号：1月9日为正常周末")
    day.refresh_from_db()
    assert day.verification == DayVerification.CONFIRMED
    assert (day.confirmed_by, day.confirm_reason) == (
        staff,
        "国办发明电〔2026〕X号：1月9日为正常周末",
    )
    assert day.history.first().history_user == staff
    assert camp.training_days.filter(verification=DayVerification.UNVERIFIED).count() == 11
    # Re-planning with unchanged data keeps the confirmation.
    training_days_plan(camp=camp, by=staff)
    day.refresh_from_db()
    assert day.is_confirmed
    # A day the holiday data covers needs no confirmation.
    covered = camp.training_days.get(slot_date=D(2026, 7, 11))
    with pytest.raises(ValidationError, match="无需人工确认"):
        training_day_confirm(day=covered, by=staff, reason="x")


def test_replanning_changes_nothing_staff_decided(cast, clock):
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 6, 13))
    training_day_move(day=day, to_date=D(2026, 6, 6), by=cast.staff, reason="端午前调整")
    before = list(cast.camp.training_days.order_by("pk").values_list("pk", "date", "move_reason"))
    report = training_days_plan(camp=cast.camp, by=cast.staff)
    after = list(cast.camp.training_days.order_by("pk").values_list("pk", "date", "move_reason"))
    assert after == before
    assert report.created == 0
    assert report.kept == 24
    assert report.changes == []
    assert report.moves == []


def test_replanning_moves_a_day_when_its_calendar_data_changed(cast):
    training_days_plan(camp=cast.camp, by=cast.staff)
    calendar_arrangement_create(date=D(2026, 11, 14), kind="holiday", name="补假", by=cast.staff)
    report = training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 11, 14))
    assert day.date == D(2026, 11, 7)
    assert len(report.changes) == 1
    assert "补假" in report.changes[0]


def test_deleting_an_arrangement_is_recorded_and_replanning_reconsiders_its_day(cast):
    entry = calendar_arrangement_create(
        date=D(2026, 11, 14), kind="holiday", name="补假", by=cast.staff
    )
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 11, 14))
    assert day.date == D(2026, 11, 7)
    calendar_arrangement_delete(arrangement=entry, by=cast.staff)
    assert not CalendarArrangement.objects.exists()
    deleted = CalendarArrangement.history.get(history_type="-")
    assert (deleted.date, deleted.name, deleted.history_user) == (
        D(2026, 11, 14),
        "补假",
        cast.staff,
    )
    report = training_days_plan(camp=cast.camp, by=cast.staff)
    day.refresh_from_db()
    assert day.date == D(2026, 11, 14)
    assert not day.is_moved
    assert day.conflict_name == ""
    assert len(report.changes) == 1
    assert "2026年11月14日" in report.changes[0]
    assert day.moves.filter(kind=MoveKind.REPLAN, to_date=D(2026, 11, 14)).exists()


def test_replanning_refuses_to_swap_two_days_and_changes_nothing(cast, clock):
    """The planner never swaps two of its own days, but the admin can unlock days that staff
    had moved: two unlocked days, each on the other's Saturday, would each need the date the
    other still holds. Re-planning then says so and writes nothing."""
    training_days_plan(camp=cast.camp, by=cast.staff)
    first = cast.camp.training_days.get(slot_date=D(2026, 7, 11))
    second = cast.camp.training_days.get(slot_date=D(2026, 7, 25))
    swap = {"confirmed": ["order"], "override_reason": "两天互换"}
    training_day_move(day=first, to_date=D(2026, 7, 18), by=cast.staff, reason="腾出日期")
    training_day_move(day=second, to_date=D(2026, 7, 11), by=cast.staff, reason="互换", **swap)
    training_day_move(day=first, to_date=D(2026, 7, 25), by=cast.staff, reason="互换", **swap)
    for day in (first, second):
        day.refresh_from_db()
        day.locked = False  # what the admin's checkbox does
        day.save(update_fields=["locked"])
    moves = TrainingDayMove.objects.count()
    with pytest.raises(ValidationError, match="有培训日需要互换日期"):
        training_days_plan(camp=cast.camp, by=cast.staff)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.date, second.date) == (D(2026, 7, 25), D(2026, 7, 11))
    assert TrainingDayMove.objects.count() == moves


def test_a_manual_move_is_recorded_with_who_and_why_and_takes_its_sessions(cast, clock):
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 3, 14))
    from tests.factories import SessionFactory

    session = SessionFactory(training_day=day)
    training_day_move(day=day, to_date=D(2026, 3, 21), by=cast.staff, reason="市里重要会议")
    day.refresh_from_db()
    assert day.date == D(2026, 3, 21)
    assert day.locked
    move = TrainingDayMove.objects.get(day=day, kind=MoveKind.MANUAL)
    assert move.by == cast.staff
    assert move.reason == "市里重要会议"
    assert day.history.first().history_user == cast.staff
    session.refresh_from_db()
    assert session.date == D(2026, 3, 21)
    assert session.is_changed
    assert "3月14日" in session.change_note
    assert session.history.first().history_user == cast.staff


def test_a_manual_move_needs_a_reason_a_free_date_inside_the_year(cast, clock):
    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.get(slot_date=D(2026, 3, 14))
    with pytest.raises(ValidationError, match="调整原因"):
        training_day_move(day=day, to_date=D(2026, 3, 21), by=cast.staff, reason=" ")
    with pytest.raises(ValidationError, match="已是第6次培训日"):
        training_day_move(day=day, to_date=D(2026, 3, 28), by=cast.staff, reason="x")
    with pytest.raises(ValidationError, match="培训周期内"):
        training_day_move(day=day, to_date=D(2027, 3, 20), by=cast.staff, reason="x")
    day.refresh_from_db()
    assert day.date == D(2026, 3, 14)


def test_plan_schedule_command_plans_and_reports(cast, capsys):
    call_command("plan_schedule", "--camp", cast.camp.code)
    out = capsys.readouterr().out
    assert "新建24天" in out
    assert "春节调休上班" in out
    assert TrainingDay.objects.filter(camp=cast.camp).count() == 24


def test_plan_schedule_command_refuses_an_unknown_camp(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有代码为"):
        call_command("plan_schedule", "--camp", "nope")


def test_arrangement_needs_a_name_and_one_entry_per_date(cast):
    with pytest.raises(ValidationError):
        calendar_arrangement_create(date=D(2027, 1, 1), kind="holiday", name="", by=cast.staff)
    calendar_arrangement_create(date=D(2027, 1, 1), kind="holiday", name="元旦", by=cast.staff)
    with pytest.raises(ValidationError):
        calendar_arrangement_create(date=D(2027, 1, 1), kind="holiday", name="元旦", by=cast.staff)
    assert CalendarArrangement.objects.count() == 1
    assert Session.objects.count() == 0


def test_replanning_after_the_start_month_changed_drops_the_old_days(db):
    camp = _camp("moved", 2026, 1)
    training_days_plan(camp=camp, by=None)
    camp.start_month = 3
    camp.save(update_fields=["start_month"])
    report = training_days_plan(camp=camp, by=None)
    days = list(camp.training_days.order_by("number"))
    assert len(days) == 24
    assert days[0].slot_date == D(2026, 3, 14)
    assert days[-1].slot_date == D(2027, 2, 27)
    assert any("删除不在培训周期内的培训日" in line for line in report.changes)


def test_replanning_refuses_to_drop_days_that_already_have_sessions(db):
    from tests.factories import SessionFactory

    camp = _camp("busy", 2026, 1)
    training_days_plan(camp=camp, by=None)
    SessionFactory(training_day=camp.training_days.get(slot_date=D(2026, 1, 10)))
    camp.start_month = 3
    camp.save(update_fields=["start_month"])
    with pytest.raises(ValidationError, match="开班月份已变更"):
        training_days_plan(camp=camp, by=None)
    assert camp.training_days.filter(slot_date=D(2026, 1, 10)).exists()


def test_the_calendar_says_which_days_rest_on_which_source(client, cast):
    camp = _camp("2026f", 2026, 7)
    training_days_plan(camp=camp, by=cast.staff)
    calendar_arrangement_create(date=D(2027, 2, 27), kind="holiday", name="补假", by=cast.staff)
    training_days_plan(camp=camp, by=cast.staff)  # 27 February moves to the unknown 20th
    client.force_login(cast.staff)
    march = camp.training_days.get(slot_date=D(2027, 3, 13))
    client.post(
        reverse("curriculum-day-confirm", args=[march.pk]), {"reason": "国办通知：3月13日正常"}
    )
    body = client.get(reverse("curriculum-calendar", args=[camp.code])).content.decode()
    sources = body[body.index('id="calendar-sources"') :].split("</p>")[0]
    assert "节假日数据 12天" in sources
    assert "录入的官方安排 0天" in sources  # the 27th is left, the 20th is not covered
    assert "人工确认 1天" in sources
    assert "未核验 11天" in sources
    assert "已核验：人工确认" in body
    page = client.get(reverse("curriculum-day", args=[march.pk])).content.decode()
    assert "国办通知：3月13日正常" in page
    client.force_login(cast.leader)
    april = camp.training_days.get(slot_date=D(2027, 4, 10))
    client.post(reverse("curriculum-day-confirm", args=[april.pk]), {"reason": "x"})
    april.refresh_from_db()
    assert april.is_unverified
