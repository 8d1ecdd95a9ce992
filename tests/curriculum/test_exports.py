"""The `schedule` and `attendance` workbooks, opened back with openpyxl."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from camp.workbooks import ExportRequest, NoDataError, build_export
from curriculum.models import AttendanceStatus, Session
from curriculum.services.attendance import attendance_record


def _open(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def test_the_schedule_lists_every_session_and_each_conflict_on_its_original_date(cast, year):
    workbook, filename = build_export("schedule", ExportRequest(camp=cast.camp, user=cast.staff))
    assert filename.startswith("2026届_教学日历")
    sheet = _open(workbook).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sheet["A2"].value == "日期"
    conflict = [r for r in rows if r[0] == datetime.datetime(2026, 2, 14)]
    assert len(conflict) == 1
    assert "春节调休上班" in conflict[0][9]
    assert "2026年2月7日" in conflict[0][9]
    dates = [r[0] for r in rows]
    assert dates == sorted(dates)  # conflicts sit among the sessions, on their original date
    sessions = [r for r in rows if r[7]]
    assert [r[7] for r in sessions] == ["坚定理想信念", "湖州经济形势"]
    morning = sessions[0]
    assert morning[0] == datetime.datetime(2026, 3, 14)
    assert morning[1] == "周六"
    assert morning[3] == "09:00-11:30"
    assert morning[5] == "凝心铸魂课堂"
    assert morning[8] == "陈教授（学界）"
    assert sessions[1][8] == "孙主任（政界）"


def test_a_groups_own_session_is_noted_with_the_groups_label(cast, year):
    Session.objects.filter(pk=year.afternoon.pk).update(group=cast.group_2)
    workbook, _ = build_export("schedule", ExportRequest(camp=cast.camp, user=cast.staff))
    rows = list(_open(workbook).active.iter_rows(min_row=3, values_only=True))
    notes = {row[7]: row[9] or "" for row in rows if row[7]}
    assert "第2组·经济发展" in notes["湖州经济形势"]
    assert "组·" not in notes["坚定理想信念"]


def test_the_attendance_workbook_has_detail_and_rates(cast, year):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    attendance_record(
        session=year.morning,
        marks={t1.pk: AttendanceStatus.PRESENT, t2.pk: AttendanceStatus.ABSENT},
        by=cast.staff,
    )
    workbook, _name = build_export("attendance", ExportRequest(camp=cast.camp, user=cast.staff))
    book = _open(workbook)
    assert book.sheetnames == ["考勤明细", "出勤表", "学员出勤率", "小组出勤率"]
    matrix = list(book["出勤表"].iter_rows(min_row=2, values_only=True))
    assert matrix[0] == ("学员", "小组", "03-14上午")
    assert set(matrix[1:]) == {("张三", 1, "出勤"), ("李四", 2, "缺勤")}
    detail = list(book["考勤明细"].iter_rows(min_row=3, values_only=True))
    assert {(r[0], r[5]) for r in detail} == {("张三", "出勤"), ("李四", "缺勤")}
    rates = {r[0]: r[-1] for r in book["学员出勤率"].iter_rows(min_row=3, values_only=True)}
    assert rates == {"张三": 100, "李四": 0}
    groups = {r[0]: r[-1] for r in book["小组出勤率"].iter_rows(min_row=3, values_only=True)}
    assert groups == {1: 100, 2: 0}


def test_a_counselor_exports_only_their_group(cast, year):
    attendance_record(
        session=year.morning,
        marks={
            cast.trainee_in_group_1.pk: AttendanceStatus.PRESENT,
            cast.trainee_in_group_2.pk: AttendanceStatus.ABSENT,
        },
        by=cast.staff,
    )
    workbook, _name = build_export(
        "attendance", ExportRequest(camp=cast.camp, user=cast.counselor_1)
    )
    detail = list(_open(workbook)["考勤明细"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in detail] == ["张三"]


def test_exports_refuse_leaders_and_say_when_there_is_nothing(cast):
    with pytest.raises(PermissionDenied):
        build_export("attendance", ExportRequest(camp=cast.camp, user=cast.leader))
    with pytest.raises(NoDataError, match="尚未排定"):
        build_export("schedule", ExportRequest(camp=cast.camp, user=cast.staff))
    with pytest.raises(NoDataError, match="没有考勤"):
        build_export("attendance", ExportRequest(camp=cast.camp, user=cast.staff))
