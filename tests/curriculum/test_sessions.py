"""Sessions: creation rules, a change trainees see as changed, and evaluation (评课)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.models import ScoreEntry, Source
from curriculum.models import ActivityKind, AttendanceStatus, SessionEvaluation
from curriculum.selectors import evaluation_averages
from curriculum.services.attendance import attendance_record
from curriculum.services.sessions import session_create, session_evaluate, session_update
from tests.factories import SessionFactory


def test_a_session_follows_its_training_day_and_an_off_site_one_needs_a_location(cast, year):
    kind = ActivityKind.objects.get(name="异地现场教学")
    common = {
        "half_day": "morning",
        "start_time": datetime.time(8, 0),
        "end_time": datetime.time(17, 0),
        "place": "浙江大学",
        "activity_kind": kind,
        "topic": "浙大研修",
    }
    with pytest.raises(ValidationError, match="教学点"):
        session_create(
            camp=cast.camp, by=cast.staff, training_day=year.days[3], off_site=True, **common
        )
    session = session_create(
        camp=cast.camp,
        by=cast.staff,
        training_day=year.days[3],
        off_site=True,
        location="浙江大学紫金港校区",
        assembly_time=datetime.time(6, 30),
        assembly_place="党校东门",
        travel_minutes=120,
        counts_as_half_days=2,
        **common,
    )
    assert session.date == year.days[3].date
    assert not session.is_changed
    with pytest.raises(ValidationError):
        session_create(camp=cast.camp, by=cast.staff, date=datetime.date(2027, 5, 1), **common)


def test_a_change_trainees_must_notice_marks_the_session_changed(cast, year):
    session = session_update(session=year.morning, by=cast.staff, reason="调整", topic="新题目")
    assert not session.is_changed  # a new title is not a change of where and when
    session = session_update(
        session=year.morning,
        by=cast.staff,
        reason="报告厅检修",
        start_time=datetime.time(9, 30),
        place="第二报告厅",
    )
    assert session.is_changed
    assert "开始时间：09:00 → 09:30" in session.change_note
    assert "地点：市委党校报告厅 → 第二报告厅" in session.change_note
    assert session.history.first().history_user == cast.staff
    assert session.history.first().history_change_reason == "报告厅检修"


def _attendance_deductions(trainee) -> set:
    return set(
        ScoreEntry.objects.filter(trainee=trainee, source=Source.ATTENDANCE).values_list(
            "item__number", "points"
        )
    )


def test_a_session_no_longer_requiring_attendance_drops_its_deductions_on_commit(
    cast, year, committed, clock
):
    clock.at(datetime.datetime(2026, 3, 14, 18, 0))  # deductions come from sessions held
    trainee = cast.trainee_in_group_1
    with committed():
        attendance_record(
            session=year.morning, marks={trainee.pk: AttendanceStatus.ABSENT}, by=cast.staff
        )
    assert _attendance_deductions(trainee)
    with committed():
        session_update(
            session=year.morning, by=cast.staff, reason="调整", attendance_required=False
        )
    assert _attendance_deductions(trainee) == set()


def test_a_session_counted_as_two_half_days_deducts_twice_on_commit(cast, year, committed, clock):
    clock.at(datetime.datetime(2026, 3, 14, 18, 0))  # deductions come from sessions held
    trainee = cast.trainee_in_group_1
    with committed():
        attendance_record(
            session=year.morning, marks={trainee.pk: AttendanceStatus.ABSENT}, by=cast.staff
        )
    once = dict(_attendance_deductions(trainee))
    assert once
    with committed():
        session_update(session=year.morning, by=cast.staff, reason="调整", counts_as_half_days=2)
    twice = dict(_attendance_deductions(trainee))
    assert set(twice) == set(once)
    assert all(twice[number] == 2 * once[number] for number in once)


def test_a_change_that_deductions_do_not_read_leaves_them_alone(cast, year, committed):
    with committed() as callbacks:
        session_update(session=year.morning, by=cast.staff, reason="调整", place="第二报告厅")
    assert callbacks == []


def test_the_activity_decides_the_classroom_even_on_a_change(cast, year):
    assert year.morning.classroom == "conviction"
    kind = ActivityKind.objects.get(name="部门授课")
    session = session_update(session=year.morning, by=cast.staff, reason="调整", activity_kind=kind)
    assert session.classroom == "empowerment"


def test_a_session_must_end_after_it_starts(cast, year):
    with pytest.raises(ValidationError, match="结束时间须晚于开始时间"):
        session_update(
            session=year.morning, by=cast.staff, reason="调整", end_time=datetime.time(8, 0)
        )
    year.morning.refresh_from_db()
    assert year.morning.end_time == datetime.time(11, 30)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_time", "17:30", "结束时间须晚于开始时间。"),
        ("end_time", "25:00", "输入一个有效的时间。"),
        ("date", "2026-02-30", "输入一个有效的日期。"),
        ("counts_as_half_days", "5", "选择一个有效的选项"),
        ("travel_minutes", "70000", "确保该值小于或等于1440"),
        ("topic", "长" * 201, "确保该变量包含不超过 200 字符"),
        ("instructors", "99999999999999999999", "不是一个有效的值"),
        ("presenters", "abc", "不是一个有效的值"),
    ],
)
def test_the_session_form_refuses_bad_input_in_chinese_and_saves_nothing(
    client, cast, year, field, value, message
):
    kind = ActivityKind.objects.get(name="经验分享交流会")
    client.force_login(cast.staff)
    entry = {
        "date": "2026-04-15",
        "half_day": "evening",
        "start_time": "18:30",
        "end_time": "20:30",
        "place": "党校多功能厅",
        "activity_kind": kind.pk,
        "topic": "我的项目我领衔",
        "counts_as_half_days": 1,
    }
    url = reverse("curriculum-session-new", args=[cast.camp.code])
    response = client.post(url, {**entry, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not cast.camp.sessions.filter(date=datetime.date(2026, 4, 15)).exists()


def test_trainees_rate_once_after_the_start(cast, year, clock):
    instructor = year.morning.instructors.get()
    with pytest.raises(ValidationError, match="开始后"):
        session_evaluate(session=year.morning, trainee=cast.trainee_in_group_1, session_score=5)
    clock.at(datetime.datetime(2026, 3, 14, 11, 40))
    session_evaluate(
        session=year.morning,
        trainee=cast.trainee_in_group_1,
        session_score=5,
        instructor=instructor,
        instructor_score=4,
        comment="很好",
    )
    with pytest.raises(ValidationError, match="只能评价一次"):
        session_evaluate(session=year.morning, trainee=cast.trainee_in_group_1, session_score=1)
    with pytest.raises(ValidationError, match="1 到 5"):
        session_evaluate(session=year.morning, trainee=cast.trainee_in_group_2, session_score=6)
    session_evaluate(session=year.morning, trainee=cast.trainee_in_group_2, session_score=3)
    averages = evaluation_averages(cast.camp)
    (row,) = averages["sessions"]
    assert row["n"] == 2
    assert row["average"] == 4
    (teacher,) = averages["instructors"]
    assert teacher["instructor__name"] == "陈教授"
    assert teacher["average"] == 4
    assert teacher["source"] == "学界"
    (classroom,) = averages["classrooms"]
    assert classroom["label"] == "凝心铸魂课堂"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("staff", 200),
        ("counselor_1", 403),
        ("counselor_2", 403),
        ("trainee_1", 403),
        ("orgdept", 403),
        ("leader", 403),
    ],
)
def test_evaluation_results_are_for_staff_only_and_name_nobody(
    client, cast, year, clock, persona, status
):
    clock.at(datetime.datetime(2026, 3, 14, 12, 0))
    session_evaluate(session=year.morning, trainee=cast.trainee_in_group_1, session_score=2)
    user = cast.everyone()[persona]
    if user:
        client.force_login(user)
    response = client.get(reverse("curriculum-evaluations", args=[cast.camp.code]))
    assert response.status_code == status
    # The page's header names whoever is logged in (张三 is trainee_1); its content names nobody.
    assert "张三" not in response.content.decode().split("<main", 1)[-1]


def test_a_trainee_rates_through_the_session_page(client, cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 14, 12, 0))
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-session", args=[year.morning.pk])
    assert "评课" in client.get(url).content.decode()
    response = client.post(
        reverse("curriculum-session-evaluate", args=[year.morning.pk]),
        {"session_score": 4, "instructor": "", "instructor_score": "", "comment": ""},
    )
    assert response.status_code == 302
    assert SessionEvaluation.objects.get().session_score == 4
    assert "您已评价过" in client.get(url).content.decode()


def test_staff_add_an_experience_sharing_event_outside_the_training_days(client, cast, year):
    kind = ActivityKind.objects.get(name="经验分享交流会")
    client.force_login(cast.staff)
    response = client.post(
        reverse("curriculum-session-new", args=[cast.camp.code]),
        {
            "date": "2026-04-15",
            "half_day": "evening",
            "start_time": "18:30",
            "end_time": "20:30",
            "place": "党校多功能厅",
            "activity_kind": kind.pk,
            "topic": "我的项目我领衔",
            "presenters": [cast.trainee_in_group_1.pk, cast.trainee_in_group_2.pk],
            "counts_as_half_days": 1,
        },
    )
    assert response.status_code == 302
    session = cast.camp.sessions.get(topic="我的项目我领衔")
    assert session.training_day is None
    assert session.classroom == "practice"
    assert session.attendance_required is False  # an unticked box
    assert set(session.presenters.all()) == {cast.trainee_in_group_1, cast.trainee_in_group_2}
    calendar = client.get(reverse("curriculum-calendar", args=[cast.camp.code]))
    assert "我的项目我领衔" in calendar.content.decode()


def test_a_session_title_names_its_kind_once(client, cast, year):
    """Topics typed as "异地现场教学：…" were shown as 异地现场教学：异地现场教学：…"""
    kind = ActivityKind.objects.get(name="异地现场教学")
    typed_with_kind = SessionFactory(
        training_day=year.days[3], activity_kind=kind, topic="异地现场教学：浙江大学专题研修"
    )
    plain = SessionFactory(training_day=year.days[4], activity_kind=kind, topic="苏州工业园区")
    assert typed_with_kind.title == "异地现场教学：浙江大学专题研修"
    assert plain.title == "异地现场教学：苏州工业园区"

    client.force_login(cast.staff)
    for session in (typed_with_kind, plain):
        body = client.get(reverse("curriculum-session", args=[session.pk])).content.decode()
        assert session.title in body
        assert "异地现场教学：异地现场教学" not in body
    calendar = client.get(reverse("curriculum-calendar", args=[cast.camp.code])).content.decode()
    assert "异地现场教学：浙江大学专题研修" in calendar
    assert "异地现场教学：异地现场教学" not in calendar


def test_an_edit_without_a_reason_is_refused_and_writes_nothing(cast, year):
    with pytest.raises(ValidationError, match="修改原因"):
        session_update(session=year.morning, by=cast.staff, reason=" ", place="第二报告厅")
    year.morning.refresh_from_db()
    assert year.morning.place != "第二报告厅"


def test_the_edit_page_asks_for_a_reason_and_keeps_it(client, cast, year):
    client.force_login(cast.staff)
    url = reverse("curriculum-session-edit", args=[year.morning.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"instructors", "presenters"}
    }
    data["place"] = "第二报告厅"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "修改原因" in refused.content.decode()
    year.morning.refresh_from_db()
    assert year.morning.place != "第二报告厅"
    assert client.post(url, {**data, "reason": "报告厅检修"}).status_code == 302
    year.morning.refresh_from_db()
    assert year.morning.place == "第二报告厅"
    assert year.morning.history.first().history_change_reason == "报告厅检修"
