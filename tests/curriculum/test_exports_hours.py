"""The `hours` workbook (export_report hours) and the 学时 columns of the roster: the contract
other checks rely on."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from curriculum.models import AttendanceStatus
from curriculum.services.attendance import attendance_record
from trainees.models import GroupMove
from trainees.services.admission import trainee_withdraw
from trainees.services.grouping import trainee_move

A = AttendanceStatus


def _rows(path):
    sheet = load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_report_hours_writes_one_row_per_trainee_under_a_title(cast, year, tmp_path, clock):
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    attendance_record(
        session=year.morning, marks={t1.pk: A.PRESENT, t2.pk: A.ABSENT}, by=cast.staff
    )
    attendance_record(
        session=year.afternoon, marks={t1.pk: A.LATE, t2.pk: A.PRESENT}, by=cast.staff
    )
    clock.at(datetime.datetime(2026, 4, 1, 9, 0))
    trainee_withdraw(
        trainee=t2, kind="promoted", reason="提拔", on=datetime.date(2026, 3, 31), by=cast.staff
    )
    output = tmp_path / "hours.xlsx"
    call_command("export_report", "hours", "--camp", "2026", "-o", str(output))
    title, header, *rows = _rows(output)
    assert "学时" in title[0]
    assert header == ["姓名", "小组", "状态", "已修学时", "应修学时"]
    assert rows == [
        ["张三", "第1组", "在训", 8, 8],
        ["李四", "第2组", "已退出（2026-03-31退出）", 4, 8],
    ]


def test_the_group_is_the_one_on_the_exports_day(cast, year, tmp_path, clock):
    t1 = cast.trainee_in_group_1
    clock.at(datetime.datetime(2026, 5, 10, 9, 0))
    trainee_move(trainee=t1, to_group=cast.group_2, by=cast.staff, reason="调整")
    output = tmp_path / "hours.xlsx"
    clock.at(datetime.datetime(2026, 5, 9, 9, 0))  # the day before the move
    call_command("export_report", "hours", "--camp", "2026", "-o", str(output))
    assert _rows(output)[2][:2] == ["张三", "第1组"]
    clock.at(datetime.datetime(2026, 5, 11, 9, 0))
    call_command("export_report", "hours", "--camp", "2026", "-o", str(output))
    names = {row[0]: row[1] for row in _rows(output)[2:]}
    assert names["张三"] == "第2组"
    assert GroupMove.objects.filter(trainee=t1).count() >= 1


def test_the_roster_workbook_and_page_show_study_hours(client, cast, year, tmp_path, clock):
    clock.at(datetime.datetime(2026, 3, 20, 9, 0))
    attendance_record(
        session=year.morning, marks={cast.trainee_in_group_1.pk: A.PRESENT}, by=cast.staff
    )
    output = tmp_path / "roster.xlsx"
    call_command("export_report", "roster", "--camp", "2026", "-o", str(output))
    _title, header, *rows = _rows(output)
    assert header[-2:] == ["已修学时", "应修学时"]
    by_name = {row[1]: row[-2:] for row in rows}
    assert by_name["张三"] == [4, 8]
    assert by_name["李四"] == [0, 8]
    client.force_login(cast.staff)
    body = client.get(reverse("roster", args=[cast.camp.code])).content.decode()
    assert "已修学时" in body
    assert "应修学时" in body
