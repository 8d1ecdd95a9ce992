"""Importing the after-camp record from the department's workbook: all or nothing, row-level
refusals, and a preview before anything already recorded changes (the candidate import's rule)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from oversight.after_camp_file import COLUMNS
from oversight.models import Appraisal, Award, PostChange
from oversight.services.after_camp import appraisal_create
from oversight.services.after_camp_import import (
    after_camp_import,
    after_camp_import_preview,
)
from trainees.candidate_file import ImportRejected

from .after_camp_world import finished_camp, graduate, orgdept_user

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*rows: dict) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for values in rows:
        sheet.append([values.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def post(**extra) -> dict:
    return {
        "届次": "2023",
        "姓名": "王一",
        "类型": "任职变动",
        "日期": "2024-06-01",
        "新任职务": "织里镇镇长",
        "职级": "正科级",
        "是否提拔": "是",
        **extra,
    }


def appraisal(**extra) -> dict:
    return {
        "届次": "2023",
        "姓名": "王一",
        "类型": "年度考核",
        "年度": 2024,
        "考核等次": "优秀",
        **extra,
    }


@pytest.fixture
def world():
    camp = finished_camp("2023")
    return graduate(camp, "王一"), graduate(camp, "李二"), orgdept_user()


def test_new_rows_are_written_at_once(world):
    one, two, by = world
    award = {
        "届次": "2023",
        "姓名": "李二",
        "类型": "奖励表彰",
        "日期": datetime.date(2025, 3, 1),
        "奖励名称": "优秀党员",
        "授予机关": "市委",
    }
    result = after_camp_import(file=workbook(post(), appraisal(), award), by=by)
    assert (result.created, result.updated) == (3, 0)
    change = PostChange.objects.get(graduate=one)
    assert (change.rank, change.promotion) == ("section_chief", True)
    assert Award.objects.get().graduate == two
    assert "训后跟踪导入" in change.history.get().history_change_reason


def test_bad_rows_are_refused_each_with_its_row_and_nothing_is_written(world):
    _one, _two, by = world
    rows = [
        post(),  # fine, but the file is refused as a whole
        post(姓名="无此人", 日期="2024-07-01"),
        post(日期="2023-01-01", 是否提拔="也许"),
        appraisal(考核等次="良好"),
        post(届次="1999"),
        {"届次": "2023", "姓名": "王一", "类型": "请假"},
    ]
    with pytest.raises(ImportRejected) as refused:
        after_camp_import(file=workbook(*rows), by=by)
    found = {(e.row, e.column) for e in refused.value.errors}
    assert {(3, "姓名"), (4, "是否提拔"), (5, "考核等次"), (6, "届次"), (7, "类型")} <= found
    messages = " ".join(str(e) for e in refused.value.errors)
    assert "第3行 姓名：2023届没有名为“无此人”的结业学员" in messages
    assert "请填写“优秀”“称职”“基本称职”或“不称职”" in messages
    assert not PostChange.objects.exists()
    assert not Appraisal.objects.exists()
    # A row valid in its cells but against the record's rules (before graduation) is refused too.
    with pytest.raises(ImportRejected, match="第2行 -：日期不能早于本期结业日期"):
        after_camp_import(file=workbook(post(日期="2023-06-01")), by=by)


def test_a_change_to_a_record_is_previewed_and_written_only_once_confirmed(world):
    one, _two, by = world
    appraisal_create(graduate=one, by=by, year=2024, grade="competent")
    # One file, uploaded three times: a workbook saved again carries another modified time,
    # and the preview's digest names the file's bytes.
    content = workbook(appraisal(), post()).getvalue()
    preview = after_camp_import_preview(file=io.BytesIO(content))
    assert (preview.new, len(preview.changes)) == (1, 1)
    [change] = preview.changes
    assert (change.row, change.kind) == (2, "年度考核")
    assert [(f.old, f.new) for f in change.fields] == [("称职", "优秀")]
    with pytest.raises(Exception, match="会修改1条已有记录"):
        after_camp_import(file=io.BytesIO(content), by=by)  # no reason given
    assert not PostChange.objects.exists()
    result = after_camp_import(
        file=io.BytesIO(content),
        by=by,
        reason="年度考核结果更正",
        confirmed=preview.digest,
    )
    assert (result.created, result.updated) == (1, 1)
    assert Appraisal.objects.get().grade == "excellent"


def test_a_confirmation_of_an_outdated_preview_is_refused(world):
    one, _two, by = world
    record = appraisal_create(graduate=one, by=by, year=2024, grade="competent")
    content = workbook(appraisal()).getvalue()  # the same file both times: only the data moved
    preview = after_camp_import_preview(file=io.BytesIO(content))
    from oversight.services.after_camp import appraisal_update

    appraisal_update(appraisal=record, by=by, version=1, year=2024, grade="basically_competent")
    with pytest.raises(Exception, match="预览之后"):
        after_camp_import(file=io.BytesIO(content), by=by, reason="更正", confirmed=preview.digest)
    assert Appraisal.objects.get().grade == "basically_competent"


def test_a_row_equal_to_the_record_changes_nothing(world):
    one, _two, by = world
    appraisal_create(graduate=one, by=by, year=2024, grade="excellent")
    result = after_camp_import(file=workbook(appraisal()), by=by)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_formula_stays_the_text_typed(world):
    one, _two, by = world
    formula = '=HYPERLINK("http://evil","镇长")'
    after_camp_import(file=workbook(post(新任职务=formula)), by=by)
    assert PostChange.objects.get(graduate=one).post == formula


def test_the_page_previews_then_confirms_and_the_template_reads_back(client, world):
    one, _two, by = world
    client.force_login(by)
    template = client.get(reverse("aftercamp-template"))
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header == COLUMNS
    appraisal_create(graduate=one, by=by, year=2024, grade="competent")
    upload = SimpleUploadedFile("训后.xlsx", workbook(appraisal()).getvalue(), XLSX)
    page = client.post(reverse("aftercamp-import"), {"file": upload})
    assert page.status_code == 200
    assert "将修改 1 条已有记录" in page.content.decode()
    assert Appraisal.objects.get().grade == "competent"
    hidden = {n: page.context["confirm_form"].initial[n] for n in ("sha256", "digest", "file_name")}
    done = client.post(reverse("aftercamp-import"), {**hidden, "reason": "更正"})
    assert done.status_code == 302
    assert Appraisal.objects.get().grade == "excellent"
    refused = client.post(
        reverse("aftercamp-import"),
        {"file": SimpleUploadedFile("坏.xlsx", workbook(appraisal(年度="明年")).getvalue(), XLSX)},
    )
    assert refused.status_code == 400
    assert "请填写四位年份" in refused.content.decode()
