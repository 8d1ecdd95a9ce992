"""The candidate import: all or nothing, every error at once, re-import without duplicates.
These run on PostgreSQL in CI too (DATABASE_URL), so nothing here leans on SQLite."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from tests.factories import (
    CampFactory,
    CandidateFactory,
    PersonFactory,
    TraineeFactory,
    UserFactory,
)
from trainees.candidate_file import COLUMNS, candidate_template_workbook
from trainees.models import (
    CadreType,
    Candidate,
    CandidateImport,
    Decision,
    Person,
    Rank,
    RankAlias,
)
from trainees.services.candidate_import import (
    ImportRejected,
    candidates_import,
    candidates_import_preview,
)

from .candidate_files import id_number, row, workbook_bytes

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def camp():
    return CampFactory()


def rejected(camp, rows=None, *, file=None, header=COLUMNS) -> list:
    with pytest.raises(ImportRejected) as info:
        candidates_import(camp=camp, file=file or workbook_bytes(rows, header), by=None)
    return info.value.errors


def test_a_good_file_imports_every_row(camp):
    rows = [
        row(姓名="陈一", 身份证号=id_number(D(1990, 5, 1), 1)),
        row(
            姓名="林二",
            出生日期="1992-02-03",
            职级="乡科级副职",
            性别="女",
            身份证号=id_number(D(1992, 2, 3), 2, male=False),
        ),
        row(
            姓名="周三",
            干部类别="选调生",
            录用年份=2024,
            职级="一级科员",
            **{"乡镇(街道)党政正职经历": "是"},
        ),
    ]
    result = candidates_import(camp=camp, file=workbook_bytes(rows), by=None)
    assert (result.created, result.updated) == (3, 0)
    lin = Person.objects.get(name="林二")
    assert lin.birth_date == D(1992, 2, 3)
    assert lin.rank == Rank.DEPUTY_SECTION_CHIEF
    assert lin.rank_title == "乡科级副职"
    zhou = Person.objects.get(name="周三")
    assert zhou.cadre_type == CadreType.SELECTED_GRADUATE
    assert zhou.recruitment_year == 2024
    assert zhou.township_chief_experience is True
    assert zhou.rank == Rank.STAFF_MEMBER
    assert Candidate.objects.filter(camp=camp, decision=Decision.PENDING).count() == 3


def test_a_bad_row_in_the_middle_writes_nothing(camp):
    rows = [row(姓名=f"人{i}") for i in range(5)]
    rows[2] = row(姓名="坏行", 出生日期="1990/05/01")
    errors = rejected(camp, rows)
    assert [(e.row, e.column) for e in errors] == [(4, "出生日期")]
    assert Person.objects.count() == 0
    assert Candidate.objects.count() == 0


def test_it_reports_every_problem_with_row_column_and_reason(camp):
    good = row(姓名="好人")
    rows = [
        good,
        row(姓名="", 性别="M"),
        row(姓名="错号", 身份证号="330502199005010012"),
        row(姓名="日期不符", 身份证号=id_number(D(1991, 1, 1))),
        row(姓名="性别不符", 性别="女", 身份证号=id_number(D(1990, 5, 1), 3, male=True)),
        row(姓名="无职级", 职级="主任"),
        row(姓名="类别", 干部类别="公务员"),
        row(姓名="选调无年份", 干部类别="选调生"),
        row(姓名="经历", **{"乡镇(街道)党政正职经历": "有"}),
        row(姓名="年份", 录用年份="去年", 干部类别="选聘生"),
        row(姓名="电话", 联系电话="电话13800"),
        row(姓名="太长", 工作单位="单" * 101),
    ]
    errors = rejected(camp, rows)
    found = {(e.row, e.column) for e in errors}
    assert {
        (3, "姓名"),
        (3, "性别"),
        (4, "身份证号"),
        (5, "身份证号"),
        (6, "身份证号"),
        (7, "职级"),
        (8, "干部类别"),
        (9, "录用年份"),
        (10, "乡镇(街道)党政正职经历"),
        (11, "录用年份"),
        (12, "联系电话"),
        (13, "工作单位"),
    } <= found
    assert all(e.row != 2 for e in errors)
    messages = {(e.row, e.column): e.message for e in errors}
    assert "校验位" in messages[(4, "身份证号")]
    assert "出生日期" in messages[(5, "身份证号")]
    assert "性别" in messages[(6, "身份证号")]
    assert "职级对照" in messages[(7, "职级")]
    assert str(errors[0]).startswith("第3行")
    assert Person.objects.count() == 0


def test_it_refuses_the_same_id_number_twice_in_one_file(camp):
    number = id_number(D(1990, 5, 1))
    errors = rejected(camp, [row(姓名="甲", 身份证号=number), row(姓名="乙", 身份证号=number)])
    assert [(e.row, e.column) for e in errors] == [(3, "身份证号")]
    assert "第2行" in errors[0].message


def test_it_refuses_an_id_number_excel_turned_into_a_number(camp):
    errors = rejected(camp, [row(身份证号=330502199005010000)])
    assert "文本" in errors[0].message


def test_dates_may_be_excel_dates_or_iso_text(camp):
    rows = [
        row(姓名="日期一", 出生日期=datetime.datetime(1991, 7, 8)),
        row(姓名="日期二", 出生日期="1993-09-10"),
    ]
    candidates_import(camp=camp, file=workbook_bytes(rows), by=None)
    assert Person.objects.get(name="日期一").birth_date == D(1991, 7, 8)
    assert Person.objects.get(name="日期二").birth_date == D(1993, 9, 10)


def test_a_formula_is_kept_as_its_text_and_never_evaluated(camp):
    candidates_import(
        camp=camp,
        file=workbook_bytes([row(姓名="公式", 专业特长='=HYPERLINK("http://x","y")')]),
        by=None,
    )
    assert Person.objects.get(name="公式").specialty == '=HYPERLINK("http://x","y")'


def test_a_staff_added_alias_is_understood(camp):
    RankAlias.objects.create(title="街道办主任", rank=Rank.SECTION_CHIEF)
    candidates_import(camp=camp, file=workbook_bytes([row(职级="街道办主任")]), by=None)
    assert Person.objects.get().rank == Rank.SECTION_CHIEF


@pytest.mark.parametrize(
    ("title", "rank"),
    [
        ("乡科级正职", Rank.SECTION_CHIEF),
        ("二级主任科员", Rank.SECTION_CHIEF),
        ("四级主任科员", Rank.DEPUTY_SECTION_CHIEF),
        ("一级调研员", Rank.DIVISION_CHIEF),
        ("三级调研员", Rank.DEPUTY_DIVISION_CHIEF),
        ("县处级副职", Rank.DEPUTY_DIVISION_CHIEF),
    ],
)
def test_the_seeded_aliases_map_parallel_titles(camp, title, rank):
    candidates_import(camp=camp, file=workbook_bytes([row(职级=title)]), by=None)
    assert Person.objects.get().rank == rank


def test_reimport_updates_people_without_duplicates_or_resetting_decisions(camp):
    number = id_number(D(1990, 5, 1))
    first = [row(姓名="陈一", 身份证号=number), row(姓名="林二", 出生日期=D(1991, 1, 1))]
    candidates_import(camp=camp, file=workbook_bytes(first), by=None)
    Candidate.objects.filter(person__name="陈一").update(
        decision=Decision.WAITLISTED, decision_reason="名额有限"
    )
    second = [
        row(姓名="陈一", 身份证号=number, 工作单位="湖州市发改委", 现任职务="副主任"),
        row(姓名="林二", 出生日期=D(1991, 1, 1), 联系电话="13900000000"),
        row(姓名="新人", 出生日期=D(1994, 4, 4)),
    ]
    with pytest.raises(ValidationError, match="填写原因"):
        candidates_import(camp=camp, file=workbook_bytes(second), by=None)
    assert Person.objects.count() == 2  # refused without a reason: nothing written
    result = candidates_import(
        camp=camp, file=workbook_bytes(second), by=None, reason="组织部更正单位"
    )
    assert (result.created, result.updated) == (1, 2)
    assert Person.objects.count() == 3
    assert Candidate.objects.filter(camp=camp).count() == 3
    chen = Candidate.objects.get(person__id_number=number)
    assert chen.person.unit == "湖州市发改委"  # matched by ID number although the unit changed
    assert chen.decision == Decision.WAITLISTED
    assert chen.decision_reason == "名额有限"
    assert Person.objects.get(name="林二").phone == "13900000000"


def test_a_person_from_an_earlier_edition_keeps_one_history(camp):
    earlier = CampFactory(code="2025", year=2025)
    person = PersonFactory(name="老学员", birth_date=D(1990, 5, 1), unit="湖州市吴兴区人民政府")
    CandidateFactory(camp=earlier, person=person, decision=Decision.REJECTED)
    result = candidates_import(
        camp=camp, file=workbook_bytes([row(姓名="老学员")]), by=None, reason="再次推荐"
    )
    assert (result.created, result.updated) == (1, 0)
    assert Person.objects.count() == 1
    assert set(person.candidacies.values_list("camp__code", flat=True)) == {"2025", "2026"}


def test_a_same_name_with_another_id_number_is_another_person(camp):
    PersonFactory(
        name="同名",
        birth_date=D(1990, 5, 1),
        unit="湖州市吴兴区人民政府",
        id_number=id_number(D(1990, 5, 1), 7),
    )
    candidates_import(
        camp=camp,
        file=workbook_bytes([row(姓名="同名", 身份证号=id_number(D(1990, 5, 1), 8))]),
        by=None,
    )
    assert Person.objects.filter(name="同名").count() == 2


def test_it_refuses_missing_and_renamed_columns(camp):
    header = [c if c != "职级" else "级别" for c in COLUMNS if c != "联系电话"]
    errors = rejected(camp, [{}], header=header)
    assert errors[0].row == 1
    assert "缺少列：职级、联系电话" in errors[0].message
    assert "无法识别的列：级别" in errors[0].message


def test_it_refuses_a_file_that_is_not_xlsx(camp):
    errors = rejected(camp, file=io.BytesIO("姓名,性别\n张三,男\n".encode()))
    assert ".xlsx" in errors[0].message


def test_it_refuses_an_empty_file_and_a_header_without_rows(camp):
    assert "空" in rejected(camp, file=io.BytesIO(b""))[0].message
    assert "没有候选人数据" in rejected(camp, [])[0].message
    blank = Workbook()
    buffer = io.BytesIO()
    blank.save(buffer)
    assert "第1行应为列名" in rejected(camp, file=buffer)[0].message


def test_it_refuses_a_file_over_the_upload_limit(camp, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    errors = rejected(camp, [row(姓名=f"人{i}") for i in range(50)])
    assert "MB" in errors[0].message


def test_it_refuses_a_zip_bomb_before_unpacking_it(camp, monkeypatch):
    monkeypatch.setattr("trainees.candidate_file.MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (3 * 1024 * 1024))
    buffer.seek(0)
    assert buffer.getbuffer().nbytes < 64 * 1024  # small on the wire, huge unpacked
    assert "过大" in rejected(camp, file=buffer)[0].message


def test_it_caps_the_number_of_rows(camp, monkeypatch):
    monkeypatch.setattr("trainees.candidate_file.MAX_ROWS", 3)
    errors = rejected(camp, [row(姓名=f"人{i}") for i in range(4)])
    assert "最多导入3行" in errors[0].message


def test_the_template_has_exactly_the_columns_and_no_data(camp):
    workbook, filename = candidate_template_workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 1 or all(c.value is None for c in sheet[2])
    assert filename.endswith(".xlsx")
    # An empty template is refused with a message, not imported.
    buffer.seek(0)
    assert "没有候选人数据" in rejected(camp, file=buffer)[0].message


def test_the_command_imports_a_good_file(camp, tmp_path, capsys):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(workbook_bytes([row(姓名="命令甲")]).getvalue())
    call_command("import_candidates", str(path), "--camp", camp.code)
    assert "新增 1 名候选人" in capsys.readouterr().out
    assert Candidate.objects.filter(camp=camp, person__name="命令甲").exists()


def test_the_command_prints_every_error_and_fails(camp, tmp_path, capsys):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(workbook_bytes([row(性别="?"), row(姓名="乙", 职级="?")]).getvalue())
    with pytest.raises(CommandError, match="发现 2 处问题"):
        call_command("import_candidates", str(path), "--camp", camp.code)
    err = capsys.readouterr().err
    assert "第2行 性别" in err
    assert "第3行 职级" in err
    assert not Person.objects.exists()


def test_the_command_names_a_missing_file_and_camp(camp, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_candidates", str(tmp_path / "none.xlsx"), "--camp", camp.code)
    with pytest.raises(CommandError, match="找不到届次"):
        call_command("import_candidates", str(tmp_path / "none.xlsx"), "--camp", "1999")


def test_a_zip_that_is_not_a_workbook_is_refused_as_not_xlsx(camp):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    buffer.seek(0)
    assert ".xlsx" in rejected(camp, file=buffer)[0].message


def test_the_history_names_who_imported_even_from_the_command_line():
    staff = UserFactory(username="importer", role="staff")
    camp = CampFactory()
    candidates_import(camp=camp, file=workbook_bytes([row(姓名="历史甲")]), by=staff)
    person = Person.objects.get(name="历史甲")
    assert person.history.latest().history_user == staff


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_full_width_digits_are_the_same_id_number_and_phone(camp):
    number = id_number(D(1990, 5, 1))
    earlier = CampFactory(code="2025", year=2025)
    person = PersonFactory(name="陈一", birth_date=D(1990, 5, 1), id_number=number)
    CandidateFactory(camp=earlier, person=person)
    wide = row(
        姓名="陈一", 身份证号=_full_width(number), 联系电话="１３９－0000－0000", 录用年份=None
    )
    result = candidates_import(camp=camp, file=workbook_bytes([wide]), by=None, reason="更新电话")
    assert (result.created, result.updated) == (1, 0)
    assert Person.objects.count() == 1  # the same person, not a second one
    person.refresh_from_db()
    assert person.id_number == number
    assert person.phone == "139-0000-0000"


def test_it_refuses_an_id_number_in_another_scripts_digits(camp):
    number = id_number(D(1990, 5, 1))
    arabic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in number)
    errors = rejected(camp, [row(身份证号=arabic)])
    assert [e.column for e in errors] == ["身份证号"]


def _with_a_row_far_below(rows: list[dict], at_row: int) -> io.BytesIO:
    """A file whose last row sits far below the others: every line between is blank."""
    workbook = load_workbook(workbook_bytes(rows))
    sheet = workbook.worksheets[0]
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=at_row, column=index, value=row(姓名="末行")[column])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_blank_rows_count_toward_the_rows_read(camp, monkeypatch):
    monkeypatch.setattr("trainees.candidate_file.MAX_ROWS", 3)
    # Two rows kept, well under the limit; but 20 lines read to find them.
    file = _with_a_row_far_below([row(姓名="首行", 出生日期=D(1991, 1, 1))], at_row=22)
    errors = rejected(camp, file=file)
    assert "含空行" in errors[0].message
    assert not Candidate.objects.exists()
    # A few blank lines between rows are harmless.
    file = _with_a_row_far_below([row(姓名="首行", 出生日期=D(1991, 1, 1))], at_row=5)
    assert candidates_import(camp=camp, file=file, by=None).created == 2


def test_a_file_of_nine_hundred_thousand_blank_rows_is_refused(camp):
    file = _with_a_row_far_below([row(姓名="首行", 出生日期=D(1991, 1, 1))], at_row=900_000)
    assert "含空行" in rejected(camp, file=file)[0].message


# --- changes to people already known: previewed, confirmed with a reason, their file kept ----


@pytest.fixture
def admitted(camp):
    """An admitted trainee of `camp`, whose ID number a later file carries."""
    person = PersonFactory(
        name="陈一", birth_date=D(1990, 5, 1), id_number=id_number(D(1990, 5, 1)), unit="吴兴区"
    )
    CandidateFactory(camp=camp, person=person, decision=Decision.ADMITTED)
    TraineeFactory(camp=camp, person=person)
    return person


def _renaming(admitted) -> list[dict]:
    return [
        row(姓名="陈一鸣", 身份证号=admitted.id_number, 工作单位="南浔区", 出生日期=D(1990, 5, 1)),
        row(姓名="新人", 出生日期=D(1994, 4, 4)),
    ]


def test_the_preview_lists_each_field_an_import_would_change_and_writes_nothing(camp, admitted):
    file = workbook_bytes(_renaming(admitted))
    file.name = "第二批.xlsx"
    preview = candidates_import_preview(camp=camp, file=file)
    assert (preview.file_name, len(preview.rows), preview.new) == ("第二批.xlsx", 2, 1)
    (change,) = preview.changes
    assert (change.row, change.name, change.is_trainee) == (2, "陈一", True)
    fields = {f.label: (f.old, f.new) for f in change.fields}
    assert fields["姓名"] == ("陈一", "陈一鸣")
    assert fields["工作单位"] == ("吴兴区", "南浔区")
    assert "身份证号" not in fields  # matched by it, unchanged
    admitted.refresh_from_db()
    assert admitted.name == "陈一"
    assert not Person.objects.filter(name="新人").exists()
    assert not CandidateImport.objects.exists()


def test_an_import_that_changes_a_trainee_needs_a_reason_and_keeps_its_file(camp, admitted):
    content = workbook_bytes(_renaming(admitted)).getvalue()
    with pytest.raises(ValidationError, match="填写原因"):
        candidates_import(camp=camp, file=io.BytesIO(content), by=None)
    admitted.refresh_from_db()
    assert admitted.name == "陈一"
    staff = UserFactory(username="staff")
    result = candidates_import(
        camp=camp, file=io.BytesIO(content), by=staff, reason="更正姓名", file_name="第二批.xlsx"
    )
    admitted.refresh_from_db()
    assert (admitted.name, admitted.unit) == ("陈一鸣", "南浔区")
    record = CandidateImport.objects.get()
    assert record == result.record
    assert (record.file_name, record.rows, record.created, record.updated) == (
        "第二批.xlsx",
        2,
        1,
        1,
    )
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    assert (record.reason, record.by) == ("更正姓名", staff)
    latest = admitted.history.latest()
    assert f"#{record.pk}" in latest.history_change_reason
    assert "更正姓名" in latest.history_change_reason


def test_a_confirmation_of_another_preview_writes_nothing(camp, admitted):
    content = workbook_bytes(_renaming(admitted)).getvalue()
    shown = candidates_import_preview(camp=camp, file=io.BytesIO(content)).digest
    Person.objects.filter(pk=admitted.pk).update(unit="长兴县")  # changed since the preview
    with pytest.raises(ValidationError, match="重新上传"):
        candidates_import(
            camp=camp, file=io.BytesIO(content), by=None, reason="更正", confirmed=shown
        )
    assert not CandidateImport.objects.exists()


def test_an_import_of_new_people_only_records_its_file_too(camp):
    result = candidates_import(camp=camp, file=workbook_bytes([row()]), by=None)
    assert result.record.rows == 1
    assert len(result.record.sha256) == 64


def test_the_command_shows_the_changes_and_writes_only_with_confirm_and_reason(
    camp, admitted, tmp_path, capsys
):
    path = tmp_path / "第二批.xlsx"
    path.write_bytes(workbook_bytes(_renaming(admitted)).getvalue())
    args = ["import_candidates", str(path), "--camp", camp.code]
    with pytest.raises(CommandError, match="--confirm"):
        call_command(*args)
    out = capsys.readouterr().out
    assert "第2行 陈一（已录取学员）" in out
    assert "姓名：陈一 → 陈一鸣" in out
    with pytest.raises(CommandError, match="--reason"):
        call_command(*args, "--confirm")
    admitted.refresh_from_db()
    assert admitted.name == "陈一"
    assert not CandidateImport.objects.exists()
    call_command(*args, "--confirm", "--reason", "组织部更正")
    admitted.refresh_from_db()
    assert admitted.name == "陈一鸣"
    assert CandidateImport.objects.get().reason == "组织部更正"


def test_a_file_left_unconfirmed_is_deleted_after_a_day(camp, admitted):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from trainees.services.pending_imports import pending_import_save, pending_imports_expire
    from trainees.tasks import expire_pending_imports

    file = workbook_bytes(_renaming(admitted))
    sha256 = hashlib.sha256(file.getvalue()).hexdigest()
    pending_import_save(sha256=sha256, file=file)
    path = f"imports/pending/{sha256}.xlsx"
    assert default_storage.exists(path)
    assert pending_imports_expire() == 0  # still within its day
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert pending_imports_expire(now=later) == 1
    assert not default_storage.exists(path)
    assert expire_pending_imports() == 0  # the daily task, with nothing left to do
