"""The candidates and roster workbooks, built and opened back with openpyxl."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from camp.models import SensitiveAccessLog
from camp.workbooks import ExportRequest, NoDataError, build_export
from tests.factories import CampFactory, CandidateFactory, PersonFactory
from trainees.models import Decision, Rank, WithdrawalKind
from trainees.services.admission import trainee_withdraw

D = datetime.date


def opened(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer).worksheets[0]


def rows_of(sheet):
    """Header (row 2, under the title) and the data rows, as lists of values."""
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    return values[1], values[2:]


@pytest.fixture
def selection(cast):
    CandidateFactory(
        camp=cast.camp,
        person=PersonFactory(
            name="不符甲",
            birth_date=D(1984, 6, 1),
            rank=Rank.DEPUTY_SECTION_CHIEF,
            id_number="330502198406010026",
            phone="13911112222",
        ),
        decision=Decision.REJECTED,
        decision_reason="年龄超出",
    )
    CandidateFactory(
        camp=cast.camp,
        person=PersonFactory(name="镇长乙", township_chief_experience=True),
    )
    return cast


def test_the_candidates_workbook_has_a_verdict_column_and_every_candidate(selection):
    workbook, filename = build_export(
        "candidates", ExportRequest(camp=selection.camp, user=selection.staff)
    )
    sheet = opened(workbook)
    header, data = rows_of(sheet)
    assert header[:5] == ["序号", "姓名", "性别", "出生日期", "身份证号"]
    for column in ("资格", "资格说明", "决定", "决定理由"):
        assert column in header
    assert len(data) == 4  # the cast's two trainees and the two candidates
    by_name = {row[header.index("姓名")]: row for row in data}
    rejected = by_name["不符甲"]
    assert rejected[header.index("资格")] == "不符合"
    assert rejected[header.index("资格说明")].startswith("1984-06-01出生，不属于85后")
    assert rejected[header.index("决定")] == "不录取"
    assert rejected[header.index("决定理由")] == "年龄超出"
    assert rejected[header.index("身份证号")] == "3305**********0026"
    assert rejected[header.index("联系电话")] == "139****2222"
    assert data[0][header.index("姓名")] == "镇长乙"  # priority first
    assert isinstance(rejected[header.index("出生日期")], datetime.datetime)
    assert filename.startswith("2026届_候选人名单_")


def test_unmasked_shows_the_full_values(selection):
    workbook, _ = build_export(
        "candidates", ExportRequest(camp=selection.camp, user=selection.orgdept, unmasked=True)
    )
    header, data = rows_of(opened(workbook))
    row = next(r for r in data if r[1] == "不符甲")
    assert row[header.index("身份证号")] == "330502198406010026"


def test_the_roster_workbook_lists_trainees_with_group_counselor_and_status(selection):
    trainee_withdraw(
        trainee=selection.trainee_in_group_2,
        kind=WithdrawalKind.PROMOTED,
        reason="提拔任职",
        on=D(2026, 6, 1),
        by=selection.staff,
    )
    workbook, filename = build_export(
        "roster", ExportRequest(camp=selection.camp, user=selection.staff)
    )
    assert filename.startswith("2026届_学员名册_")
    header, data = rows_of(opened(workbook))
    for column in (
        "工作单位",
        "班级职务",
        "职级",
        "出生日期",
        "干部类别",
        "符合条件",
        "学习小组",
        "政治辅导员",
        "状态",
        "退出日期",
        "退出原因",
    ):
        assert column in header
    assert len(data) == 2
    zhang, li = data
    assert zhang[header.index("姓名")] == "张三"
    assert zhang[header.index("政治辅导员")] == "周辅导"
    assert zhang[header.index("学习小组")] == "第1组·党的建设"
    assert zhang[header.index("符合条件")] == "90后副科级"
    assert zhang[header.index("身份证号")] == "3305**********1234"
    assert li[header.index("状态")] == "已退出"
    assert li[header.index("退出原因")] == "提拔：提拔任职"
    assert li[header.index("退出日期")] == datetime.datetime(2026, 6, 1)


def test_a_counselor_exports_only_their_group(selection):
    workbook, _ = build_export(
        "roster", ExportRequest(camp=selection.camp, user=selection.counselor_1)
    )
    _header, data = rows_of(opened(workbook))
    assert [row[1] for row in data] == ["张三"]


@pytest.mark.parametrize(
    ("kind", "persona"),
    [
        ("candidates", "counselor_1"),
        ("candidates", "leader"),
        ("candidates", "trainee_1"),
        ("roster", "leader"),
        ("roster", "trainee_1"),
    ],
)
def test_roles_outside_the_access_table_are_refused(selection, kind, persona):
    with pytest.raises(PermissionDenied):
        build_export(kind, ExportRequest(camp=selection.camp, user=getattr(selection, persona)))


def test_a_counselor_may_not_export_unmasked(selection):
    with pytest.raises(PermissionDenied):
        build_export(
            "roster", ExportRequest(camp=selection.camp, user=selection.counselor_1, unmasked=True)
        )


@pytest.mark.django_db
def test_an_empty_camp_has_no_data():
    camp = CampFactory(code="2030", year=2030)
    for kind in ("candidates", "roster"):
        with pytest.raises(NoDataError):
            build_export(kind, ExportRequest(camp=camp))


def test_the_download_page_serves_the_workbook_per_role(client, selection):
    expected = {
        "candidates": {
            "staff": 200,
            "orgdept": 200,
            "counselor_1": 403,
            "leader": 403,
            "trainee_1": 403,
        },
        "roster": {
            "staff": 200,
            "orgdept": 200,
            "counselor_1": 200,
            "leader": 403,
            "trainee_1": 403,
        },
    }
    for kind, statuses in expected.items():
        url = reverse("export-download", args=[selection.camp.code, kind])
        client.logout()
        assert client.get(url).status_code == 302
        for persona, status in statuses.items():
            client.force_login(getattr(selection, persona))
            response = client.get(url)
            assert response.status_code == status, (kind, persona)
            if status == 200:
                assert response.content[:2] == b"PK"
                assert "attachment" in response["Content-Disposition"]


def test_an_unknown_kind_is_404(client, selection):
    client.force_login(selection.staff)
    url = reverse("export-download", args=[selection.camp.code, "nonsense"])
    assert client.get(url).status_code == 404


def test_an_unmasked_download_is_logged_and_a_masked_one_is_not(client, selection):
    client.force_login(selection.orgdept)
    url = reverse("export-download", args=[selection.camp.code, "candidates"])
    client.get(url)
    assert not SensitiveAccessLog.objects.exists()
    response = client.get(url, {"unmasked": "1"})
    header, data = rows_of(load_workbook(io.BytesIO(response.content)).worksheets[0])
    assert "330502198406010026" in [row[header.index("身份证号")] for row in data]
    entry = SensitiveAccessLog.objects.get()
    assert (entry.user, entry.action) == (selection.orgdept, SensitiveAccessLog.Action.EXPORT)


def test_a_counselor_asking_for_unmasked_is_refused_and_nothing_is_logged(client, selection):
    client.force_login(selection.counselor_1)
    url = reverse("export-download", args=[selection.camp.code, "roster"])
    assert client.get(url, {"unmasked": "1"}).status_code == 403
    assert not SensitiveAccessLog.objects.exists()


def test_no_data_sends_the_user_back_with_a_message(client, db):
    from tests.factories import UserFactory

    camp = CampFactory(code="2030", year=2030)
    client.force_login(UserFactory(role="staff"))
    response = client.get(reverse("export-download", args=[camp.code, "roster"]), follow=True)
    assert "还没有学员" in response.content.decode()
