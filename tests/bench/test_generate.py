"""The bench's generator at a tiny scale: the data respects the scheme, and on PostgreSQL the
summary floor (one SQL statement) gives exactly the app's monthly summary."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Min, Sum

from assessment.deduction_selectors import attendance_deductions_due
from assessment.models import AssessmentItem, Kind, MonthlySummaryRow, Scheme, ScoreEntry
from assessment.services.summaries import monthly_summary_compute
from bench.generate import (
    EVENT_GRADED,
    MONTHLY_GRADED,
    ONCE_GRADED,
    camp_sizes,
    generate,
    training_dates,
)
from camp.models import Camp
from curriculum.models import Attendance, Session, TrainingDay
from trainees.models import Trainee

DECEMBER = datetime.date(2026, 12, 1)


def test_it_makes_one_camp_per_150_trainees():
    assert camp_sizes(150) == [150]
    assert sum(camp_sizes(1500)) == 1500
    assert len(camp_sizes(1500)) == 10
    assert len(camp_sizes(10_000)) == 67
    assert sum(camp_sizes(10_000)) == 10_000


def test_it_plans_the_second_and_fourth_saturdays():
    dates = training_dates()
    assert len(dates) == 24
    assert all(day.weekday() == 5 and day.day in range(8, 29) for day in dates)
    assert dates[0] == datetime.date(2026, 1, 10)


@pytest.fixture
def generated(db):
    return generate(scale=8, seed=3)


def test_it_fills_a_year_for_every_trainee(generated):
    camp = Camp.objects.get()
    assert camp.code == "B001"
    assert camp.groups.count() == 6
    assert camp.groups.filter(counselor__isnull=True).count() == 0
    assert Trainee.objects.filter(camp=camp).count() == 8
    assert TrainingDay.objects.filter(camp=camp).count() == 24
    assert Session.objects.filter(camp=camp).count() == 48
    assert generated.counts["attendance"] == Attendance.objects.count()
    # One attendance row per trainee per session, up to a withdrawal.
    assert Attendance.objects.count() <= 8 * 48
    assert Attendance.objects.values("trainee").annotate(n=Count("pk")).filter(n=48).count() >= 7
    per_trainee = ScoreEntry.objects.count() / 8
    assert 120 <= per_trainee <= 170
    every_graded_item = {*MONTHLY_GRADED, *EVENT_GRADED, *ONCE_GRADED}
    assert set(ScoreEntry.objects.values_list("item__number", flat=True)) >= every_graded_item


def test_it_respects_each_items_kind(generated):
    items = {item.pk: item for item in AssessmentItem.objects.all()}
    graded = ScoreEntry.objects.filter(item__kind=Kind.GRADED)
    for item_id, highest in graded.values_list("item").annotate(top=Max("points")):
        assert highest <= items[item_id].max_points
    assert graded.aggregate(low=Min("points"))["low"] >= 0
    bonus = (
        ScoreEntry.objects.filter(item__kind=Kind.BONUS)
        .values_list("trainee", "item")
        .annotate(total=Sum("points"))
    )
    for _trainee, item_id, total in bonus:
        assert total <= items[item_id].max_points
    deductions = ScoreEntry.objects.filter(item__kind=Kind.DEDUCTION)
    assert deductions.aggregate(high=Max("points"))["high"] <= Decimal("2.0")


def test_its_attendance_deductions_are_what_the_sync_would_make(generated):
    camp = Camp.objects.get()
    due = {
        (d.trainee_id, d.item_number, d.key, d.points, d.date)
        for d in attendance_deductions_due(
            camp=camp, scheme=Scheme.objects.get(camp=camp), today=datetime.date(2027, 1, 1)
        )
    }
    made = set(
        ScoreEntry.objects.filter(source="attendance").values_list(
            "trainee_id", "item__number", "source_key", "points", "date"
        )
    )
    assert made == due


def test_the_summary_floor_equals_the_app(postgres, generated):
    from bench import floors

    camp = Camp.objects.get()
    assert monthly_summary_compute(camp=camp, month=DECEMBER) == 8
    floors.prepare_scratch_tables()
    floors.summary_floor(camp_ids=[camp.pk], month=DECEMBER)
    assert MonthlySummaryRow.objects.filter(month=DECEMBER).count() == 8
    assert floors.summary_mismatches(DECEMBER) == {"rows": 0, "groups": 0, "classes": 0}


def test_every_trainee_has_a_dated_placement_and_the_current_group_is_the_last_move(generated):
    from trainees.membership import groups_on

    camp = Camp.objects.get()
    for trainee in Trainee.objects.filter(camp=camp).prefetch_related("group_moves"):
        moves = sorted(trainee.group_moves.all(), key=lambda m: (m.effective_on, m.pk))
        assert moves[0].from_group_id is None
        assert moves[0].effective_on == trainee.admitted_on
        assert moves[-1].to_group_id == trainee.group_id
    assert groups_on(camp, datetime.date(2026, 12, 31)) == dict(
        Trainee.objects.filter(camp=camp).values_list("pk", "group_id")
    )


def test_the_summary_floor_follows_a_back_dated_group_move(postgres, generated):
    """A move recorded now and in effect from 15 November: November's group figures count
    the trainee in the new group, in the app and in the floor alike."""
    from bench import floors
    from camp.models import User
    from trainees.services.grouping import trainee_move

    november = datetime.date(2026, 11, 1)
    camp = Camp.objects.get()
    trainee = Trainee.objects.filter(camp=camp, status="active").order_by("pk").first()
    to_group = camp.groups.exclude(pk=trainee.group_id).order_by("number").first()
    trainee_move(
        trainee=trainee,
        to_group=to_group,
        by=User.objects.get(username="bench-staff"),
        reason="工作调整",
        effective_on=datetime.date(2026, 11, 15),
    )
    monthly_summary_compute(camp=camp, month=november)
    floors.prepare_scratch_tables()
    floors.summary_floor(camp_ids=[camp.pk], month=november)
    assert MonthlySummaryRow.objects.get(month=november, trainee=trainee).group == to_group
    assert floors.summary_mismatches(november) == {"rows": 0, "groups": 0, "classes": 0}


def test_the_export_floor_writes_the_same_cells_as_the_app(postgres, generated):
    import io

    from openpyxl import load_workbook

    from bench import exports, floors

    monthly_summary_compute(camp=Camp.objects.get(), month=DECEMBER)
    app, floor = io.BytesIO(), io.BytesIO()
    workbook, rows, _how = exports.province_monthly_workbook(DECEMBER)
    workbook.save(app)
    assert floors.export_floor(month=DECEMBER, sink=floor)[1] == rows == 8

    def cells(stream, skip):
        sheet = load_workbook(stream, read_only=True).active
        return [list(row) for row in sheet.iter_rows(min_row=skip + 1, values_only=True)]

    # The app's sheet has a title and a header row; the floor writes the rows only.
    assert cells(app, 2) == cells(floor, 0)


def test_the_indexes_built_after_the_load_are_the_migrations_own(postgres, db):
    """The generator drops the bulk tables' secondary indexes and unique constraints before
    the COPY and builds them after it: the tables end with exactly what they had."""
    from django.db import connection

    def definitions():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT tablename, indexname, indexdef FROM pg_indexes
                   WHERE tablename IN ('assessment_scoreentry', 'curriculum_attendance')
                   ORDER BY indexname"""
            )
            indexes = cursor.fetchall()
            cursor.execute(
                """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                   FROM pg_constraint
                   WHERE conrelid IN ('assessment_scoreentry'::regclass,
                                      'curriculum_attendance'::regclass)
                   ORDER BY conname"""
            )
            return indexes, cursor.fetchall()

    before = definitions()
    assert any(name == "score_entry_one_per_cell" for _table, name, _def in before[0])
    generate(scale=8, seed=5)
    assert definitions() == before
