"""Spreadsheet entry: download the grid, fill it in, upload it; all or nothing by row."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from assessment.grid_download import grid_workbook
from assessment.models import ScoreEntry, Source
from assessment.services.grid_workbook import UploadRejected, grid_upload
from tests.factories import TraineeFactory

from .conftest import item_of

DAY = datetime.date(2026, 3, 14)


@pytest.fixture
def members(cast):
    extra = TraineeFactory.create_batch(2, camp=cast.camp, group=cast.group_1)
    return [cast.trainee_in_group_1, *extra]


def downloaded(cast, number=2) -> Workbook:
    workbook, filename = grid_workbook(group=cast.group_1, item=item_of(cast.camp, number), day=DAY)
    assert filename.endswith(".xlsx")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def as_file(workbook: Workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def fill(workbook: Workbook, values: dict[int, object]) -> Workbook:
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value in values:
            row[2].value = values[row[0].value]
    return workbook


def upload(cast, file, number=2, by=None):
    return grid_upload(
        group=cast.group_1,
        item=item_of(cast.camp, number),
        day=DAY,
        file=file,
        by=by or cast.staff,
        reason="3月14日课堂纪律",
    )


def test_the_download_lists_the_group_with_a_title_and_header(cast, members):
    sheet = downloaded(cast).worksheets[0]
    assert "快速录入" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == ["学员编号", "姓名", "分值", "版本", "说明"]
    # Every cell says what the workbook saw: 0 for an empty cell.
    assert {row[3] for row in sheet.iter_rows(min_row=3, values_only=True)} == {0}
    assert {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)} == {
        t.pk for t in members
    }


def test_a_filled_in_workbook_saves_the_grid(cast, members):
    a, b, _c = members
    result = upload(cast, as_file(fill(downloaded(cast), {a.pk: 1, b.pk: 0.5})))
    assert result.created == 2
    assert set(ScoreEntry.objects.values_list("trainee_id", "points", "source")) == {
        (a.pk, Decimal("1.0"), Source.UPLOAD),
        (b.pk, Decimal("0.5"), Source.UPLOAD),
    }
    assert ScoreEntry.history.filter(history_user=cast.staff).count() == 2


def test_one_bad_row_saves_nothing_and_names_its_row(cast, members):
    a, b, c = members
    workbook = fill(downloaded(cast), {a.pk: 1, b.pk: -3, c.pk: "=1+1"})
    rows = {row[0].value: row[0].row for row in workbook.worksheets[0].iter_rows(min_row=3)}
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    text = "\n".join(error.value.errors)
    assert f"第{rows[c.pk]}行：分值是公式" in text
    assert not ScoreEntry.objects.exists()


def test_a_negative_value_is_refused_by_row(cast, members):
    a, b, _c = members
    workbook = fill(downloaded(cast), {a.pk: 1, b.pk: -3})
    rows = {row[0].value: row[0].row for row in workbook.worksheets[0].iter_rows(min_row=3)}
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    assert f"第{rows[b.pk]}行：" in "\n".join(error.value.errors)
    assert "扣分请填写正数" in "\n".join(error.value.errors)
    assert not ScoreEntry.objects.exists()


def test_it_refuses_a_file_that_is_not_xlsx(cast, members):
    with pytest.raises(UploadRejected) as error:
        upload(cast, io.BytesIO("name,points\n张三,1\n".encode()))
    assert "不是 Excel .xlsx 格式" in error.value.errors[0]


def test_it_refuses_a_file_over_the_size_limit(cast, members, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRejected) as error:
        upload(cast, io.BytesIO(b"PK" + b"0" * 2000))
    assert "文件超过" in error.value.errors[0]


def test_it_refuses_changed_columns(cast, members):
    workbook = downloaded(cast)
    workbook.worksheets[0]["C2"] = "得分"
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    assert "第2行：列名应为" in error.value.errors[0]


def test_it_refuses_the_workbook_of_another_grid(cast, members):
    other = downloaded(cast, number=13)  # 廉洁自律, not 课堂纪律
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(other))
    assert "这不是本页面的录入表" in error.value.errors[0]


def test_it_refuses_a_trainee_from_another_group(cast, members):
    workbook = downloaded(cast)
    workbook.worksheets[0].append([cast.trainee_in_group_2.pk, "李四", 1, 0])
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    assert "不是本组学员" in "\n".join(error.value.errors)
    assert not ScoreEntry.objects.exists()


def test_a_workbook_downloaded_before_a_change_on_screen_is_refused_whole(cast, members):
    from assessment.grid_selectors import grid_load
    from assessment.services.grid import grid_save

    a, b, _c = members
    morning = downloaded(cast)  # every cell empty
    rows = grid_load(group=cast.group_1, item=item_of(cast.camp, 2), day=DAY)
    grid_save(
        group=cast.group_1,
        item=item_of(cast.camp, 2),
        day=DAY,
        values={a.pk: "1"},
        versions={r.trainee.pk: r.version for r in rows},
        by=cast.staff,
        reason="屏幕上录入",
    )

    # The evening upload leaves a's cell empty (would delete) and fills b's.
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(fill(morning, {b.pk: 0.5})))
    message = "\n".join(error.value.errors)
    assert "该单元格已有记录：王管理" in message
    assert list(ScoreEntry.objects.values_list("trainee_id", "points")) == [(a.pk, Decimal("1.0"))]


def test_an_old_workbook_without_versions_is_refused_with_a_way_forward(cast, members):
    workbook = downloaded(cast)
    sheet = workbook.worksheets[0]
    sheet.delete_cols(4, 2)
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    assert "旧版录入表" in error.value.errors[0]


def test_a_cleared_version_cell_is_refused_by_row(cast, members):
    a, _b, _c = members
    workbook = fill(downloaded(cast), {a.pk: 1})
    for row in workbook.worksheets[0].iter_rows(min_row=3):
        if row[0].value == a.pk:
            row[3].value = None
    with pytest.raises(UploadRejected) as error:
        upload(cast, as_file(workbook))
    assert "“版本”列被修改或清空" in error.value.errors[0]
    assert not ScoreEntry.objects.exists()
