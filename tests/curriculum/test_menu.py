"""The home panels and menu entries the curriculum contributes."""

import datetime

from django.test import RequestFactory

from camp.navigation import navigation_for
from camp.panels import panels_for
from curriculum.models import AttendanceStatus
from curriculum.services.attendance import attendance_record
from tests.factories import SessionFactory


def _panels(user, camp):
    request = RequestFactory().get("/")
    request.user = user
    return dict(panels_for(request, camp))


def test_trainees_and_staff_see_the_next_training_day(cast, year, clock):
    clock.at(datetime.datetime(2026, 3, 11, 9, 0))
    for user in (cast.trainee_1, cast.staff):
        panels = _panels(user, cast.camp)
        assert panels["curriculum/panels/next_day.html"]["day"] == year.day
    assert "curriculum/panels/next_day.html" not in _panels(cast.leader, cast.camp)


def test_the_next_day_panel_hides_another_groups_session_from_a_trainee(cast, year, clock):
    SessionFactory(training_day=year.day, group=cast.trainee_in_group_2.group, topic="二组研讨")
    clock.at(datetime.datetime(2026, 3, 11, 9, 0))
    day = _panels(cast.trainee_1, cast.camp)["curriculum/panels/next_day.html"]["day"]
    assert "二组研讨" not in {session.topic for session in day.sessions.all()}
    day = _panels(cast.staff, cast.camp)["curriculum/panels/next_day.html"]["day"]
    assert "二组研讨" in {session.topic for session in day.sessions.all()}


def test_staff_see_unexcused_absences_on_their_home(cast, year):
    attendance_record(
        session=year.morning,
        marks={cast.trainee_in_group_2.pk: AttendanceStatus.ABSENT},
        by=cast.staff,
    )
    panel = _panels(cast.staff, cast.camp)["curriculum/panels/absences.html"]
    assert panel["count"] == 1
    assert "curriculum/panels/absences.html" not in _panels(cast.counselor_1, cast.camp)


def test_the_menu_offers_each_role_its_curriculum_pages(cast):
    labels = {item["label"] for item in navigation_for(cast.trainee_1)["menu_items"]}
    assert {"我的课表", "教学日历", "请假"} <= labels
    assert "谈心谈话" not in labels
    counselor = {item["label"] for item in navigation_for(cast.counselor_1)["menu_items"]}
    assert "谈心谈话" in counselor
    leader = {item["label"] for item in navigation_for(cast.leader)["menu_items"]}
    assert "考勤" not in leader
    assert "教学日历" in leader


def test_the_panels_render_with_and_without_a_next_day(cast, year, clock):
    from django.template.loader import render_to_string

    empty = render_to_string("curriculum/panels/next_day.html", {"camp": cast.camp, "day": None})
    assert "暂无后续培训日" in empty
    clock.at(datetime.datetime(2026, 3, 11, 9, 0))
    context = _panels(cast.trainee_1, cast.camp)["curriculum/panels/next_day.html"]
    html = render_to_string("curriculum/panels/next_day.html", context)
    assert "2026年3月14日" in html
    assert "坚定理想信念" in html
    panel = _panels(cast.staff, cast.camp)["curriculum/panels/absences.html"]
    assert "无故缺勤 0 人次" in render_to_string("curriculum/panels/absences.html", panel)
