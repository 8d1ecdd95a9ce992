"""The annual report to the 市委 (oversight/annual_report.py): the Word document opened with
python-docx, each section's figures against the selectors they must come from
(`edition_figures` for the edition, `group_standings` of the standing for the groups), charts
embedded as images and drawn without a missing glyph, and the print page."""

from __future__ import annotations

import datetime
import io
import re
import warnings
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image

from assessment.models import Graduation
from assessment.standing import camp_standing
from assessment.standing_selectors import group_standings
from camp.documents import document_text
from curriculum.models import (
    Attendance,
    AttendanceStatus,
    ChiefProject,
    ProgressNote,
    ResearchMember,
    ResearchMilestone,
    ResearchTopic,
)
from oversight.annual_report import annual_report
from oversight.annual_report_blocks import Chart, percent
from oversight.editions_selectors import edition_figures
from oversight.exports_annual_report import annual_report_document
from tests.assessment.conftest import raw_entry
from tests.factories import PersonFactory, SessionFactory, TraineeFactory, TrainingDayFactory
from trainees.models import GroupMove, TraineeStatus

pytestmark = pytest.mark.django_db

GRADUATION = datetime.date(2026, 12, 20)
AFTER = datetime.date(2027, 1, 15)
PNG = b"\x89PNG\r\n\x1a\n"


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def quick_charts(monkeypatch):
    """Charts stand in as a tiny picture where a test checks figures, not drawings: drawing
    is camp.charts' (tests/camp/test_charts.py), and one test here draws the report's own."""
    tiny = _tiny_png()
    monkeypatch.setattr("oversight.annual_report._chart", lambda kind, *a, **k: tiny)


@pytest.fixture
def year(cast):
    """The cast's edition, graduated on GRADUATION: trainee 1 (group 1, outstanding) and 2
    (group 2), a third who moved from group 1 to group 2 in June, a fourth who withdrew in May;
    scores, attendance, graduation records, a chief project and two research topics."""
    camp = cast.camp
    camp.graduated_on = GRADUATION
    camp.save(update_fields=["graduated_on"])
    t1, t2 = cast.trainee_in_group_1, cast.trainee_in_group_2
    mover = TraineeFactory(camp=camp, group=cast.group_2, person=PersonFactory(name="王喆"))
    GroupMove.objects.create(
        trainee=mover,
        from_group=cast.group_1,
        to_group=cast.group_2,
        reason="工作调整",
        by=cast.staff,
        effective_on=datetime.date(2026, 6, 1),
    )
    gone = TraineeFactory(
        camp=camp,
        group=cast.group_1,
        status=TraineeStatus.WITHDRAWN,
        withdrawn_on=datetime.date(2026, 5, 1),
    )
    for trainee, points in ((t1, "9.5"), (t2, "7.0"), (mover, "8.0"), (gone, "6.0")):
        raw_entry(trainee, 1, points)
        raw_entry(trainee, 12, points, day=datetime.date(2026, 9, 1))
    day = TrainingDayFactory(camp=camp, slot_date=datetime.date(2026, 3, 14))
    session = SessionFactory(training_day=day)
    for trainee, status in (
        (t1, AttendanceStatus.PRESENT),
        (t2, AttendanceStatus.PRESENT),
        (mover, AttendanceStatus.ABSENT),
        (gone, AttendanceStatus.PRESENT),
    ):
        Attendance.objects.create(session=session, trainee=trainee, status=status)
    final = timezone.make_aware(datetime.datetime(2026, 12, 18, 10, 0))
    for trainee, outstanding, number in ((t1, True, "NTH2026-001"), (t2, False, "NTH2026-002")):
        Graduation.objects.create(
            trainee=trainee,
            graduates=True,
            outstanding=outstanding,
            certificate_number=number,
            finalized_at=final,
            updated_by=cast.staff,
        )
    Graduation.objects.create(trainee=mover, graduates=True, updated_by=cast.staff)  # a draft
    project = ChiefProject.objects.create(trainee=t1, title="数字乡村项目", goal="年底上线")
    ProgressNote.objects.create(project=project, month=datetime.date(2026, 5, 1), text="完成设计")
    ChiefProject.objects.create(trainee=t2, title="老旧小区改造", goal="完成三个小区")
    topic = ResearchTopic.objects.create(
        camp=camp,
        title="共同富裕调研",
        report_name="报告.pdf",
        report_uploaded_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 0)),
    )
    ResearchMember.objects.create(topic=topic, trainee=t1, is_leader=True)
    ResearchMember.objects.create(topic=topic, trainee=t2)
    ResearchMilestone.objects.create(
        topic=topic,
        title="开题",
        due_on=datetime.date(2026, 4, 1),
        done_on=datetime.date(2026, 4, 1),
    )
    ResearchTopic.objects.create(camp=camp, title="营商环境调研")
    return cast


def _docx(report):
    buffer = io.BytesIO()
    annual_report_document(report).save(buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def _table(document, first_header: str):
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table headed {first_header}")


def test_the_document_holds_every_section_with_the_editions_figures(year, quick_charts):
    camp = year.camp
    report = annual_report(camp, today=AFTER)
    assert report.day == GRADUATION
    assert report.graduated
    (edition,) = edition_figures([camp], on=AFTER)
    document = _docx(report)
    text = document_text(document)
    assert document.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
    for heading in (
        "一、学员规模与构成",
        "二、考勤情况",
        "三、考核成绩",
        "四、各学习小组比较",
        "五、结业与优秀学员",
        "六、首席项目与调研成果",
    ):
        assert heading in text
    assert "关于2026届南太湖新锐特训营培训情况的报告" in text
    # Headcount and composition.
    assert (edition.admitted, edition.withdrawn, edition.members) == (4, 1, 3)
    assert "本期共录取学员4人，其中中途退出1人，截至2026年12月20日在训3人。" in text
    cadre = _table(document, "干部类型")
    assert cadre[1:] == [
        [str(share.label), str(share.count), percent(share.percent)]
        for share in edition.cadre_types
    ]
    assert _table(document, "出生年份")[1:] == [
        [str(share.label), str(share.count), percent(share.percent)] for share in edition.age_bands
    ]
    assert len(_table(document, "工作经历领域")) == len(edition.sectors) + 1
    # Attendance (累计): three members on the day, two of them present.
    assert edition.attendance_rate == Decimal("66.7")
    assert "全班累计出勤率为66.7%" in text
    # The distribution of totals and the category averages.
    bands = _table(document, "总分分数段")[1:]
    assert [[row[0], row[1]] for row in bands] == [
        [share.label, str(share.count)] for share in edition.distribution
    ]
    assert sum(int(row[1]) for row in bands) == 3
    averages = dict(row for row in _table(document, "考核类别")[1:])
    assert averages["总分"] == str(edition.total_average)
    assert averages["理论教育"] == str(edition.category_averages["theory"])
    # Graduation: final records only, the draft said apart.
    assert (edition.graduates, edition.outstanding) == (2, 1)
    assert f"本期准予结业2人，结业率{percent(edition.graduation_rate)}" in text
    assert "另有1人的结业鉴定尚未定稿" in text
    outstanding = _table(document, "序号")
    assert [row[1] for row in outstanding[1:]] == ["张三"]


def test_the_groups_are_compared_as_they_were_on_the_graduation_date(year, quick_charts):
    camp = year.camp
    report = annual_report(camp, today=AFTER)
    document = _docx(report)
    rows = {row[0]: row for row in _table(document, "小组")[1:]}
    standings = group_standings(camp_standing(camp, GRADUATION))
    group_1, group_2 = year.group_1, year.group_2
    one, two = rows[str(group_1)], rows[str(group_2)]
    # The mover counts in group 2 from June; the withdrawn trainee in no group.
    assert (one[2], two[2]) == ("1", "2")
    assert standings[group_2.pk].members == 2
    assert one[6] == str(standings[group_1.pk].average_total)
    assert two[6] == str(standings[group_2.pk].average_total)
    assert two[3] == str(standings[group_2.pk].category_averages["theory"])
    # 累计 attendance per group on the day: group 2 had one present, one absent.
    assert (one[7], two[7]) == ("100.0%", "50.0%")
    assert (one[8], two[8]) == ("1", "0")
    assert one[1] == "周辅导"


def test_projects_and_research_reports(year, quick_charts):
    document = _docx(annual_report(year.camp, today=AFTER))
    text = document_text(document)
    projects = _table(document, "负责人")
    # The outstanding trainees' projects (trainee 2's is not one of them).
    assert projects[1:] == [["张三", "第1组", "数字乡村项目", "年底上线", "1"]]
    research = _table(document, "课题名称")
    assert research[1:] == [
        ["共同富裕调研", "张三", "2", "", "1/1", "2026年11月2日"],
        ["营商环境调研", "", "0", "", "0/0", "未提交"],
    ]
    assert "本期共设调研课题2个，已提交调研报告1篇。" in text


def test_charts_are_embedded_as_images_drawn_without_a_missing_glyph(year):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph the font lacks would fail here
        report = annual_report(year.camp, today=AFTER)
    charts = report.blocks(Chart)
    assert len(charts) == 6
    document = _docx(report)
    shapes = document.inline_shapes
    assert len(shapes) == len(charts)
    for shape in shapes:
        blob = document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ].blob
        assert blob.startswith(PNG)


def test_a_running_edition_is_reported_as_of_today(cast, quick_charts):
    report = annual_report(cast.camp, today=datetime.date(2026, 6, 30))
    assert report.day == datetime.date(2026, 6, 30)
    assert not report.graduated
    text = document_text(_docx(report))
    assert "目前仍在培训中" in text
    assert "本期尚未进行结业鉴定。" in text
    assert "尚未评选优秀学员" in text


def test_the_command_line_writes_the_docx(year, quick_charts, tmp_path):
    out = tmp_path / "report.docx"
    call_command("export_report", "annual-report", "--camp", "2026", "-o", str(out))
    text = document_text(Document(str(out)))
    assert "四、各学习小组比较" in text


def test_the_print_page_shows_the_same_report_with_its_charts(client, year, quick_charts):
    client.force_login(year.orgdept)
    response = client.get(reverse("annual-report", args=["2026"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于2026届南太湖新锐特训营培训情况的报告" in html
    assert len(re.findall(r'src="data:image/png;base64,', html)) == 6
    assert html.count('data-testid="annual-report-section"') == 6
    assert reverse("export-download", args=["2026", "annual-report"]) in html
    assert 'class="table-responsive"' in html


def test_the_docx_downloads_for_a_leader_and_not_for_a_counselor(client, year, quick_charts):
    url = reverse("export-download", args=["2026", "annual-report"])
    client.force_login(year.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "四、各学习小组比较" in document_text(Document(io.BytesIO(response.content)))
    client.force_login(year.counselor_1)
    assert client.get(url).status_code == 403
    assert client.get(reverse("annual-report", args=["2026"])).status_code == 403


def test_the_page_reads_a_fixed_number_of_queries(
    client, year, quick_charts, django_assert_num_queries
):
    client.force_login(year.orgdept)
    url = reverse("annual-report", args=["2026"])
    client.get(url)  # the session's first page, and the standing on the day, now cached
    # The session, the user, the camp; the report's own 8: outstanding trainees' ids, the
    # groups with their counselors, attendance per group, the outstanding trainees, each
    # month's attendance, the drafts, the chief projects, the research topics; the editions'
    # figures, 12: size, cadre types, ranks, birth years, work fields, attendance, graduation,
    # their standing's 4 (items, training days, trainees, entries) and the promotion rates; the
    # menu's camp.
    with django_assert_num_queries(24):
        assert client.get(url).status_code == 200
    # More trainees, more chief projects: nothing is read per row.
    for _ in range(3):
        ChiefProject.objects.create(
            trainee=TraineeFactory(camp=year.camp, group=year.group_1), title="项目", goal="目标"
        )
    with django_assert_num_queries(24):
        client.get(url)
