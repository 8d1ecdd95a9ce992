"""The organization department's workbooks opened back with openpyxl: headers, row counts and
figures against the database, and the polish every kind shares (title naming camp and period,
frozen header repeated on print, A4 landscape, real dates and numbers, telling filenames)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessment.models import Graduation, LeaderComment, MonthlySummaryRow, ScoreEntry
from camp.models import RankVisibility
from camp.workbooks import ExportRequest, NoDataError, build_export
from tests.oversight.oversight_world import OversightWorld, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def built(kind, **request):
    workbook, filename = build_export(kind, ExportRequest(**request))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer), filename


def data_rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[2]]


def test_the_record_holds_the_trainees_year_checked_against_the_database(world):
    cast = world.cast
    trainee = cast.trainee_in_group_1
    book, filename = built("record", camp=cast.camp, user=cast.staff, trainee=trainee)
    assert book.sheetnames == [
        "基本信息",
        "考勤",
        "考核记录",
        "月度小结",
        "讲评点评",
        "擂台比拼",
        "领导点评",
        "调研与项目",
    ]
    assert re.fullmatch(r"2026届_张三培训档案_\d{8}\.xlsx", filename)
    profile = dict(data_rows(book["基本信息"]))
    assert profile["身份证号"] == "3305**********1234"
    assert profile["联系电话"] == "138****1111"
    entries = data_rows(book["考核记录"])
    assert len(entries) == ScoreEntry.objects.filter(trainee=trainee).count()
    summaries = data_rows(book["月度小结"])
    db_rows = MonthlySummaryRow.objects.filter(trainee=trainee).order_by("month")
    assert [Decimal(str(row[4])) for row in summaries] == [row.total for row in db_rows]
    assert summaries[0][0] == datetime.datetime(2026, 3, 1)  # a real date, not text
    assert headers(book["月度小结"])[:5] == ["月份", "理论教育", "党性锻炼", "能力提升", "总分"]
    assert [row[1] for row in data_rows(book["擂台比拼"])] == ["演讲擂台"]
    assert [row[1] for row in data_rows(book["讲评点评"])] == ["表现突出，带头发言"]
    # Talk records never reach a workbook a trainee may download.
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert "谈话秘密内容" not in row


def test_every_sheet_is_titled_frozen_and_printable(world):
    cast = world.cast
    book, _ = built("record", camp=cast.camp, user=cast.staff, trainee=cast.trainee_in_group_1)
    for sheet in book.worksheets:
        title = sheet["A1"].value
        assert "张三" in title
        assert "2026年1月—" in title  # the period: the camp's year so far
        assert sheet.freeze_panes == "A3"
        assert sheet.print_title_rows == "$2:$2"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == int(Worksheet.PAPERSIZE_A4)
        assert sheet.column_dimensions["A"].width > 0


def test_a_monthly_title_names_the_month(world):
    cast = world.cast
    book, filename = built(
        "comments", camp=cast.camp, user=cast.staff, month=datetime.date(2026, 4, 1)
    )
    assert "2026年4月" in book["领导点评"]["A1"].value
    assert "2026年4月领导点评与讲评" in filename


def test_the_comments_workbook_matches_the_month_and_the_year(world):
    cast = world.cast
    LeaderComment.objects.create(
        camp=cast.camp,
        author=cast.leader,
        date=datetime.date(2026, 7, 1),
        occasion="年中汇报",
        text="全班进步明显",
        target="camp",
    )
    april, _ = built("comments", camp=cast.camp, user=cast.staff, month=datetime.date(2026, 4, 1))
    assert len(data_rows(april["领导点评"])) == 1
    assert len(data_rows(april["每周讲评"])) == 1
    assert data_rows(april["个人点评"])[0][2] == "张三"
    year, _ = built("comments", camp=cast.camp, user=cast.staff)
    assert len(data_rows(year["领导点评"])) == LeaderComment.objects.count() == 2
    with pytest.raises(NoDataError):
        build_export(
            "comments",
            ExportRequest(camp=cast.camp, user=cast.staff, month=datetime.date(2026, 9, 1)),
        )


def test_the_comments_workbook_names_groups_by_their_label(world):
    cast = world.cast
    LeaderComment.objects.create(
        camp=cast.camp,
        author=cast.leader,
        date=datetime.date(2026, 4, 22),
        occasion="小组汇报",
        text="第二组点评",
        target="group",
        group=cast.group_2,
    )
    book, _ = built("comments", camp=cast.camp, user=cast.staff)
    about = {row[5]: row[4] for row in data_rows(book["领导点评"])}
    assert about == {"'@视野开阔，务实肯干": "张三", "第二组点评": "第2组·经济发展"}
    assert [row[1] for row in data_rows(book["每周讲评"])] == ["第1组·党的建设"]
    assert [row[1] for row in data_rows(book["个人点评"])] == ["第1组·党的建设"]


def test_a_counselor_gets_only_their_groups_comments_and_reviews(world):
    cast = world.cast
    LeaderComment.objects.create(
        camp=cast.camp,
        author=cast.leader,
        date=datetime.date(2026, 4, 21),
        occasion="小组汇报",
        text="第二组点评",
        target="trainee",
        trainee=cast.trainee_in_group_2,
    )
    mine, _ = built("comments", camp=cast.camp, user=cast.counselor_1)
    assert [row[5] for row in data_rows(mine["领导点评"])] == ["'@视野开阔，务实肯干"]
    theirs, _ = built("comments", camp=cast.camp, user=cast.counselor_2)
    assert [row[5] for row in data_rows(theirs["领导点评"])] == ["第二组点评"]
    assert data_rows(theirs["每周讲评"]) == []


def test_the_shortlist_workbook_shows_evidence_and_decisions(world):
    cast = world.cast
    book, filename = built(
        "shortlist", camp=cast.camp, user=cast.orgdept, round_id=world.shortlist_round.pk
    )
    sheet = book["综合比选"]
    head = headers(sheet)
    rows = data_rows(sheet)
    assert len(rows) == world.shortlist_round.entries.count() == 2
    first = dict(zip(head, rows[0], strict=True))
    assert first["姓名"] == "张三"
    # The round's own figures as of its date (2026-06-01), not the latest month's row.
    assert first["数据截至"].date() == datetime.date(2026, 6, 1)
    assert first["班级排名"] == 2
    assert Decimal(str(first["总分"])) == Decimal("76.5")
    assert Decimal(str(first["擂台比拼得分"])) == Decimal("13.5")
    assert first["比选意见"] == "推荐使用"
    assert first["理由"] == "综合表现优秀"
    assert "演讲擂台" in first["擂台比拼"]
    assert "带头发言" in first["讲评点评"]
    assert "有意向到乡镇任职" in first["分类面谈"]
    assert first["调研课题"] == "共同富裕调研"
    assert first["首席项目"] == "数字乡村项目"
    assert Decimal(str(first["累计出勤率（%）"])) == Decimal("100.0")
    second = dict(zip(head, rows[1], strict=True))
    assert second["比选意见"] == "未决定"
    assert Decimal(str(second["累计出勤率（%）"])) == Decimal("0.0")
    assert Decimal(str(second["擂台比拼得分"])) == Decimal("12.0")  # their group's contest
    assert "小组擂台" in second["擂台比拼"]
    assert "第一轮比选" in filename
    for row in rows:
        assert "谈话秘密内容" not in " ".join(str(value) for value in row)


def test_the_shortlist_needs_a_round_of_this_camp(world):
    cast = world.cast
    with pytest.raises(NoDataError, match="比选轮次"):
        build_export("shortlist", ExportRequest(camp=cast.camp, user=cast.staff))
    with pytest.raises(NoDataError, match="没有编号为 999"):
        build_export("shortlist", ExportRequest(camp=cast.camp, user=cast.staff, round_id=999))


def test_the_graduation_workbook_lists_every_trainee(world):
    cast = world.cast
    Graduation.objects.create(
        trainee=cast.trainee_in_group_1,
        appraisal="该同志学习刻苦",
        outstanding=True,
        certificate_number="NTH2026-001",
        updated_by=cast.staff,
    )
    book, _ = built("graduation", camp=cast.camp, user=cast.staff)
    rows = data_rows(book["结业情况"])
    assert len(rows) == cast.camp.trainees.count()
    by_name = {row[1]: row for row in rows}
    assert by_name["张三"][4:9] == ("是", None, "是", "NTH2026-001", "该同志学习刻苦")
    assert by_name["李四"][4] == "未填写"
    assert "名额0名" in book["结业情况"]["A1"].value  # 15% of 2 trainees, rounded down


@pytest.mark.parametrize("kind", ["record", "attendance", "comments", "shortlist"])
def test_large_kinds_are_written_in_write_only_mode(world, kind):
    cast = world.cast
    workbook, _ = build_export(
        kind,
        ExportRequest(
            camp=cast.camp,
            user=cast.staff,
            trainee=cast.trainee_in_group_1,
            round_id=world.shortlist_round.pk,
        ),
    )
    assert workbook.write_only
    workbook.save(io.BytesIO())


def test_the_monthly_workbook_is_write_only_and_equals_the_summary_rows(cast):
    """Issue 4's `monthly` kind, checked here for issue 5's polish and its figures: computed
    by the summary job from entries, then read back cell by cell against the stored rows."""
    from assessment.models import SummaryRun
    from assessment.services.summaries import monthly_summary_compute

    from .conftest import raw_entry

    month = datetime.date(2026, 3, 1)
    raw_entry(cast.trainee_in_group_1, 3, "6.0", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 3, "4.0", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 1, "1.0", datetime.date(2026, 3, 11))
    run = SummaryRun.objects.create(camp=cast.camp, month=month)
    monthly_summary_compute(camp=cast.camp, month=month, run=run)
    workbook, filename = build_export(
        "monthly", ExportRequest(camp=cast.camp, user=cast.staff, month=month)
    )
    assert workbook.write_only
    workbook.save(io.BytesIO())
    assert re.fullmatch(r"2026届_2026年3月小结_\d{8}\.xlsx", filename)
    book, _ = built("monthly", camp=cast.camp, user=cast.staff, month=month)
    assert book.sheetnames == ["学员", "小组平均", "小结正文"]
    sheet = book["学员"]
    assert "2026年3月" in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    head = headers(sheet)
    assert head[3:6] == ["理论教育", "党性锻炼", "能力提升"]
    rows = {row[1]: dict(zip(head, row, strict=True)) for row in data_rows(sheet)}
    stored = MonthlySummaryRow.objects.filter(camp=cast.camp, month=month)
    assert len(rows) == stored.count() == 2
    for summary in stored.select_related("trainee__person"):
        line = rows[summary.trainee.person.name]
        for header, field in (
            ("理论教育", "theory"),
            ("党性锻炼", "party_spirit"),
            ("能力提升", "capability"),
            ("总分", "total"),
            ("已考核分值", "assessed_points"),
        ):
            assert Decimal(str(line[header])) == getattr(summary, field), header
        assert line["班级排名"] == summary.class_rank
        assert line["小组排名"] == summary.group_rank
        assert isinstance(line["总分"], int | float)  # a number, not text


def test_the_command_writes_a_round_and_a_trainees_record(world, tmp_path):
    out = tmp_path / "shortlist.xlsx"
    call_command(
        "export_report",
        "shortlist",
        "--camp",
        "2026",
        "--round",
        str(world.shortlist_round.pk),
        "-o",
        str(out),
    )
    assert len(data_rows(load_workbook(out)["综合比选"])) == 2
    record = tmp_path / "record.xlsx"
    call_command(
        "export_report", "record", "--camp", "2026", "--trainee", "t001", "-o", str(record)
    )
    assert load_workbook(record)["基本信息"]["B3"].value == "张三"
    with pytest.raises(CommandError, match="--trainee"):
        call_command("export_report", "record", "--camp", "2026", "-o", str(record))


def test_every_registered_kind_has_the_shared_polish(world):
    """Every kind of every app: a title row naming the camp and the period, the Chinese header
    frozen and repeated on print, A4 landscape, a filename saying what and when."""
    from camp.workbooks import registry

    cast = world.cast
    checked = []
    for kind in sorted(registry):
        if registry[kind].media != "xlsx":
            continue  # a Word document: its layout is camp.documents' (test_documents.py)
        request = {
            "camp": cast.camp,
            "user": cast.staff,
            "trainee": cast.trainee_in_group_1,
            "round_id": world.shortlist_round.pk,
        }
        if registry[kind].needs_month:
            request["month"] = datetime.date(2026, 4, 1)
        # A kind that spans the editions is asked for without a camp, and says so.
        spans = not registry[kind].needs_camp
        if spans:
            request["camp"] = None
        try:
            book, filename = built(kind, **request)
        except NoDataError:
            continue  # e.g. a monthly kind without a computed summary: tested elsewhere
        checked.append(kind)
        named = r"[^_]+_\d{8}\.xlsx" if spans else r"2026届_.+_\d{8}\.xlsx"
        assert re.fullmatch(named, filename), (kind, filename)
        for sheet in book.worksheets:
            title = sheet["A1"].value
            if spans:
                assert "历届" in title, (kind, title)
            else:
                assert "2026" in title, (kind, title)
                assert "2026年" in title, (kind, title)  # the period
            assert sheet.freeze_panes == "A3", kind
            assert sheet.print_title_rows == "$2:$2", kind
            assert sheet.page_setup.orientation == "landscape", kind
            assert int(sheet.page_setup.paperSize) == 9, kind  # A4
            assert all(isinstance(cell.value, str) for cell in sheet[2] if cell.value), kind
    assert {"roster", "candidates", "schedule", "attendance", "record", "comments"} <= set(checked)
    assert {"shortlist", "graduation"} - set(checked) == {"graduation"}  # no appraisals here


def test_a_counselor_downloads_only_their_groups_monthly_and_ranking(cast):
    from assessment.models import SummaryRun
    from assessment.services.summaries import monthly_summary_compute

    from .conftest import raw_entry

    month = datetime.date(2026, 3, 1)
    raw_entry(cast.trainee_in_group_1, 3, "6.0", datetime.date(2026, 3, 10))
    raw_entry(cast.trainee_in_group_2, 3, "4.0", datetime.date(2026, 3, 10))
    run = SummaryRun.objects.create(camp=cast.camp, month=month)
    monthly_summary_compute(camp=cast.camp, month=month, run=run)
    mine = cast.trainee_in_group_1.person.name
    theirs = cast.trainee_in_group_2.person.name

    monthly, _ = built("monthly", camp=cast.camp, user=cast.counselor_1, month=month)
    assert [row[1] for row in data_rows(monthly["学员"])] == [mine]
    group_lines = [row[0] for row in data_rows(monthly["小组平均"])]
    assert group_lines == [str(cast.group_1), "全班"]  # the class average stays for comparison

    ranking, _ = built("ranking", camp=cast.camp, user=cast.counselor_1, month=month)
    assert [row[2] for row in data_rows(ranking["班级排名"])] == [mine]
    assert [row[2] for row in data_rows(ranking["小组排名"])] == [mine]

    whole, _ = built("monthly", camp=cast.camp, user=cast.staff, month=month)
    assert {row[1] for row in data_rows(whole["学员"])} == {mine, theirs}


def _downloaded_record(client, user):
    client.force_login(user)
    response = client.get(reverse("export-download", args=["2026", "record"]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_a_trainees_own_record_leaves_out_ranks_the_camp_hides(world, client):
    cast = world.cast
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    sheet = _downloaded_record(client, cast.trainee_1)["月度小结"]
    assert "班级排名" not in headers(sheet)
    assert "小组排名" not in headers(sheet)
    assert len(data_rows(sheet)[0]) == len(headers(sheet))
    # Staff still see them in the same trainee's record.
    staff_sheet = built("record", camp=cast.camp, user=cast.staff, trainee=cast.trainee_in_group_1)[
        0
    ]["月度小结"]
    assert {"班级排名", "小组排名"} <= set(headers(staff_sheet))


def test_a_trainees_own_record_shows_ranks_the_camp_shows(world, client):
    sheet = _downloaded_record(client, world.cast.trainee_1)["月度小结"]
    ranks = headers(sheet).index("班级排名")
    assert data_rows(sheet)[0][ranks] is not None
