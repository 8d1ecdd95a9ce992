"""python manage.py export_report: any registered kind to a file, errors exit non-zero."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from camp.models import SensitiveAccessLog
from tests.factories import CampFactory


def test_it_writes_the_roster_masked_by_default(cast, tmp_path):
    output = tmp_path / "roster.xlsx"
    call_command("export_report", "roster", "--camp", "2026", "-o", str(output))
    sheet = load_workbook(output).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    assert len(rows) == 4  # title, header, two trainees
    id_column = header.index("身份证号")
    assert rows[2][id_column] == "3305**********1234"
    assert not SensitiveAccessLog.objects.exists()


def test_unmasked_is_logged(cast, tmp_path):
    output = tmp_path / "candidates.xlsx"
    call_command("export_report", "candidates", "--camp", "2026", "--unmasked", "-o", str(output))
    rows = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))
    assert "330502199001011234" in rows[2] + rows[3]
    entry = SensitiveAccessLog.objects.get()
    assert entry.action == SensitiveAccessLog.Action.EXPORT
    assert "命令行" in entry.detail


def test_a_group_option_narrows_the_roster(cast, tmp_path):
    output = tmp_path / "group.xlsx"
    call_command("export_report", "roster", "--camp", "2026", "--group", "2", "-o", str(output))
    rows = list(load_workbook(output).worksheets[0].iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["李四"]


def test_an_unknown_kind_lists_the_known_ones(cast, tmp_path):
    with pytest.raises(CommandError, match=r"未知的报表类型“nonsense”.*candidates.*roster"):
        call_command("export_report", "nonsense", "--camp", "2026", "-o", str(tmp_path / "x.xlsx"))


def test_an_unknown_camp_is_an_error(cast, tmp_path):
    with pytest.raises(CommandError, match="找不到届次“1999”"):
        call_command("export_report", "roster", "--camp", "1999", "-o", str(tmp_path / "x.xlsx"))


def test_no_data_exits_non_zero(db, tmp_path):
    CampFactory(code="2030", year=2030)
    output = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="还没有学员"):
        call_command("export_report", "roster", "--camp", "2030", "-o", str(output))
    assert not output.exists()


def test_a_bad_month_is_an_error(cast, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command(
            "export_report",
            "roster",
            "--camp",
            "2026",
            "--month",
            "2026/3",
            "-o",
            str(tmp_path / "x.xlsx"),
        )


def test_an_unknown_trainee_is_an_error(cast, tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command(
            "export_report",
            "roster",
            "--camp",
            "2026",
            "--trainee",
            "nobody",
            "-o",
            str(tmp_path / "x.xlsx"),
        )
