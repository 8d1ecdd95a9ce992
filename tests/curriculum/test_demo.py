"""The curriculum demo step fills the whole year."""

import datetime
import random

from camp.demo import DemoContext
from curriculum.demo import build_curriculum
from curriculum.models import (
    Attendance,
    ChiefProject,
    ClassroomType,
    InstructorSource,
    LeaveRequest,
    ResearchTopic,
    Session,
    SessionEvaluation,
    Talk,
    TaskForce,
)


def test_the_demo_builds_the_teaching_year(cast):
    today = datetime.date(2026, 11, 30)
    ctx = DemoContext(
        today=today,
        password="demo-password",
        rng=random.Random(2026),
        camp=cast.camp,
        shared={"staff": cast.staff},
        log=lambda line: None,
    )
    build_curriculum(ctx)
    days = list(cast.camp.training_days.all())
    assert len(days) == 24
    assert sum(d.is_moved for d in days) == 5
    sessions = Session.objects.filter(camp=cast.camp)
    assert set(sessions.values_list("classroom", flat=True)) == set(ClassroomType.values)
    assert set(sessions.values_list("instructors__source", flat=True)) >= set(
        InstructorSource.values
    )
    assert sessions.filter(training_day__isnull=True).exists()  # round tables, debates...
    assert sessions.filter(off_site=True, assembly_time__isnull=False).exists()
    assert Attendance.objects.filter(session__camp=cast.camp).exists()
    assert not Attendance.objects.filter(session__date__gte=today).exists()
    assert LeaveRequest.objects.filter(status="approved").exists()
    assert LeaveRequest.objects.filter(status="pending").exists()
    assert Talk.objects.exists()
    assert SessionEvaluation.objects.exists()
    titles = set(ResearchTopic.objects.filter(camp=cast.camp).values_list("title", flat=True))
    assert len(titles) == 9
    assert {"城市生命线工程建设运营", "乡村产业项目高质量招引", "城市文化产业能级提升"} <= titles
    assert ChiefProject.objects.filter(trainee__camp=cast.camp).count() == 2
    assert TaskForce.objects.filter(camp=cast.camp).count() == 6
    # A second run leaves the year as it is.
    build_curriculum(ctx)
    assert Session.objects.filter(camp=cast.camp).count() == sessions.count()


def test_the_demo_holds_each_groups_round_table_every_month(cast):
    from curriculum.plan_selectors import monthly_activities

    today = datetime.date(2026, 11, 30)
    ctx = DemoContext(
        today=today,
        password="demo-password",
        rng=random.Random(2026),
        camp=cast.camp,
        shared={"staff": cast.staff},
        log=lambda line: None,
    )
    build_curriculum(ctx)
    monthly = monthly_activities(cast.camp, today)
    assert monthly["missing_round_tables"] == []
    tables = [row for row in monthly["rows"] if row["label"].endswith("圆桌会")]
    assert len(tables) == cast.camp.groups.count() == 6
    assert all(cell["status"] == "done" for row in tables for cell in row["cells"][:11])
    assert all(row["cells"][11]["status"] == "planned" for row in tables)


def test_the_demo_leaves_the_last_days_roll_calls_open_with_a_board_and_study_hours(cast):
    from curriculum.demo_roll_call import build_roll_calls
    from curriculum.hours_selectors import study_hours
    from curriculum.models import RollCall
    from curriculum.roll_call_selectors import open_roll_calls, roll_call_board
    from trainees.models import Trainee

    today = datetime.date(2026, 11, 30)
    ctx = DemoContext(
        today=today,
        password="demo-password",
        rng=random.Random(2026),
        camp=cast.camp,
        shared={"staff": cast.staff},
        log=lambda line: None,
    )
    build_curriculum(ctx)
    build_roll_calls(ctx)
    assert RollCall.objects.filter(session__camp=cast.camp).count() > 20
    still_open = list(open_roll_calls(cast.camp, now=ctx.at(today, 18)))
    assert still_open
    last_day = max(session.date for session in still_open)
    assert {session.date for session in still_open if session.training_day_id} == {last_day}
    board = roll_call_board(still_open[0])
    assert board["counts"]["checked_in"] > 0
    hours = study_hours(Trainee.objects.filter(camp=cast.camp), day=today)
    assert all(h.required > 0 for h in hours.values())
    assert any(0 < h.attended < h.required for h in hours.values())
