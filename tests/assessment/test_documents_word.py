"""The graduation documents as Word files (issue 18 §3): the 学员鉴定表 and the 结业证书, for one
trainee or the whole edition, opened with python-docx and read field by field; the figures are
those of the app's own selectors as of the graduation day; the class rank only for a reader
the camp shows it to; `export_report` writes both kinds."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.standing_selectors import scores_as_of
from camp.models import RankVisibility
from camp.workbooks import CONTENT_TYPES, ExportRequest, NoDataError, build_export
from curriculum.hours_selectors import trainee_study_hours
from trainees.models import Trainee

from .documents_world import (
    APPRAISAL,
    GRADUATION_DAY,
    GROUP_OPINION,
    SELF_SUMMARY,
    docx_text,
    finalize,
    open_docx,
    saved,
)

pytestmark = pytest.mark.django_db


def _build(kind, cast, user, trainee=None):
    document, filename = build_export(
        kind, ExportRequest(camp=cast.camp, user=user, trainee=trainee)
    )
    return saved(document), filename


def test_the_appraisal_form_holds_every_field_of_the_filed_form(filed):
    cast = filed
    one = cast.trainee_in_group_1
    content, filename = _build("appraisal-form", cast, cast.staff, one)
    assert filename.endswith(".docx")
    assert "学员鉴定表_张三" in filename
    document = open_docx(content)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    [table] = document.tables
    assert table.style.name == "Table Grid"  # bordered, as forms are filed
    cells = {}
    for row in table.rows:
        texts = [cell.text for cell in row.cells]
        for label, value in itertools.pairwise(texts):
            cells.setdefault(label, value)
    person = one.person
    score = scores_as_of(camp=cast.camp, as_of=GRADUATION_DAY)[one.pk]
    hours = trainee_study_hours(one, day=GRADUATION_DAY)
    assert cells["姓名"] == "张三"
    assert cells["性别"] == person.get_gender_display()
    assert cells["出生年月"] == f"{person.birth_date.year}年{person.birth_date.month}月"
    assert cells["工作单位及职务"] == f"{person.unit} {person.position}".strip()
    assert cells["职级"] == (person.rank_title or person.get_rank_display())
    assert cells["届次"] == "2026届南太湖新锐特训营"
    assert cells["学习小组"] == str(cast.group_1)
    assert (
        cells["入营日期"]
        == f"{one.admitted_on.year}年{one.admitted_on.month}月{one.admitted_on.day}日"
    )
    assert cells["结业日期"] == "2026年12月18日"
    assert cells["出勤率（累计）"] == "83.3%"  # 5 of 6 required sessions
    assert cells["学时"] == f"{hours.attended} / {hours.required} 学时"
    assert hours.required
    assert hours.attended < hours.required
    assert cells["总分"] == f"{score.total:.1f}"
    for key, label in (
        ("theory", "理论教育"),
        ("party_spirit", "党性锻炼"),
        ("capability", "能力提升"),
    ):
        assert cells[label] == f"{score.categories[key]:.1f}"
    assert score.categories["capability"] > 0
    assert cells["班级排名"] == "第1名（共2人）"
    assert SELF_SUMMARY in cells["个人总结"]
    assert GROUP_OPINION in cells["小组鉴定意见"]
    assert "政治辅导员签名" in cells["小组鉴定意见"]
    assert APPRAISAL in cells["党校鉴定意见"]
    assert "评为优秀学员" in cells["党校鉴定意见"]
    assert "中共湖州市委党校" in cells["党校鉴定意见"]
    assert cells["组织部意见"].strip().startswith("（盖章）")  # blank, for a signature
    text = docx_text(content)
    assert "南太湖新锐特训营学员鉴定表" in text
    assert "截至2026年12月18日" in text


def test_the_rank_is_left_out_where_the_camp_hides_it_from_the_reader(client, filed):
    cast = filed
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    finalize(cast)
    url = reverse("export-download", args=["2026", "appraisal-form"])
    client.force_login(cast.trainee_1)
    response = client.get(url, {"trainee": cast.trainee_in_group_1.pk})
    assert response["Content-Type"] == CONTENT_TYPES["docx"]
    mine = docx_text(response.content)
    assert SELF_SUMMARY in mine
    assert "总分" in mine
    assert "班级排名" not in mine
    assert "第1名" not in mine
    # Staff, and trainees of a camp that shows their rank, see it.
    assert "第1名（共2人）" in docx_text(_build("appraisal-form", cast, cast.staff)[0])
    cast.camp.trainee_rank_visibility = RankVisibility.OWN_RANK
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    assert "第1名（共2人）" in docx_text(
        client.get(url, {"trainee": cast.trainee_in_group_1.pk}).content
    )


def test_the_whole_edition_is_one_document_with_a_page_per_trainee(filed):
    cast = filed
    content, filename = _build("appraisal-form", cast, cast.orgdept)
    assert filename.startswith("2026届_学员鉴定表_")
    document = open_docx(content)
    assert len(document.tables) == 2
    assert [table.cell(0, 1).text for table in document.tables] == ["张三", "李四"]
    assert sum('w:br w:type="page"' in p._p.xml for p in document.paragraphs) == 1


def test_who_gets_whose_appraisal_form(filed):
    cast = filed
    one, two = cast.trainee_in_group_1, cast.trainee_in_group_2
    # A counselor: their group's members only, one by one or as the edition.
    assert "张三" in docx_text(_build("appraisal-form", cast, cast.counselor_1, one)[0])
    with pytest.raises(PermissionDenied):
        _build("appraisal-form", cast, cast.counselor_1, two)
    edition = docx_text(_build("appraisal-form", cast, cast.counselor_1)[0])
    assert "张三" in edition
    assert "李四" not in edition
    # A leader reads the edition's.
    assert "李四" in docx_text(_build("appraisal-form", cast, cast.leader)[0])
    # A trainee: never another's; their own only once the graduation is final.
    with pytest.raises(PermissionDenied):
        _build("appraisal-form", cast, cast.trainee_1, two)
    with pytest.raises(NoDataError, match="定稿"):
        _build("appraisal-form", cast, cast.trainee_1, one)
    finalize(cast)
    own = docx_text(_build("appraisal-form", cast, cast.trainee_1)[0])
    assert "张三" in own
    assert "李四" not in own


def test_the_certificate_holds_name_edition_dates_number_issuer_and_seal(filed):
    cast = filed
    one = cast.trainee_in_group_1
    with pytest.raises(NoDataError, match="张三 没有结业证书"):
        _build("certificate", cast, cast.staff, one)
    with pytest.raises(NoDataError, match="还没有编号的结业证书"):
        _build("certificate", cast, cast.staff)
    numbered = finalize(cast)
    number = numbered[0].certificate_number
    content, filename = _build("certificate", cast, cast.staff, one)
    assert "结业证书_张三" in filename
    document = open_docx(content)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "结业证书"
    body = "\n".join(paragraphs)
    assert "张三同志于2026年1月至2026年12月18日参加2026届南太湖新锐特训营学习" in body
    assert f"证书编号：{number}" in body
    assert number == "NTH2026-001"
    assert "中共湖州市委党校" in paragraphs
    assert "（印章）" in paragraphs  # the place for the seal
    assert paragraphs[paragraphs.index("中共湖州市委党校") + 1] == "2026年12月18日"
    # The edition: every numbered graduate, a page each, in number order.
    edition = [p.text for p in open_docx(_build("certificate", cast, cast.staff)[0]).paragraphs]
    assert [t for t in edition if t.startswith("证书编号")] == [
        "证书编号：NTH2026-001",
        "证书编号：NTH2026-002",
    ]


def test_a_trainee_who_does_not_graduate_gets_no_certificate(filed):
    from assessment.services.graduation import graduation_save

    cast = filed
    two = cast.trainee_in_group_2
    graduation_save(
        trainee=two,
        by=cast.staff,
        graduates=False,
        appraisal="",
        outstanding=False,
        decline_reason="请假超过1/7",
    )
    finalize(cast)
    with pytest.raises(NoDataError, match="李四 没有结业证书"):
        _build("certificate", cast, cast.staff, two)
    edition = docx_text(_build("certificate", cast, cast.staff)[0])
    assert "张三" in edition
    assert "李四" not in edition


def test_export_report_writes_both_kinds(filed, tmp_path):
    cast = filed
    finalize(cast)
    one_form = tmp_path / "form.docx"
    call_command(
        "export_report",
        "appraisal-form",
        "--camp",
        "2026",
        "--trainee",
        "t001",
        "-o",
        str(one_form),
    )
    text = docx_text(one_form.read_bytes())
    assert "张三" in text
    assert "李四" not in text
    assert "第1名（共2人）" in text
    edition = tmp_path / "certificates.docx"
    call_command("export_report", "certificate", "--camp", "2026", "-o", str(edition))
    text = docx_text(edition.read_bytes())
    assert "NTH2026-001" in text
    assert "NTH2026-002" in text
    with pytest.raises(CommandError, match=r"\.docx"):
        call_command(
            "export_report", "certificate", "--camp", "2026", "-o", str(tmp_path / "x.xlsx")
        )


def test_the_documents_read_a_fixed_number_of_queries_for_any_class(filed):
    """The edition's forms read the class in bulk: the same queries for 2 trainees as for 6
    (counted with a wrapper: the cast's set-up fills connection.queries' log)."""
    from django.core.cache import cache
    from django.db import connection

    from tests.factories import TraineeFactory

    cast = filed

    def count() -> list[str]:
        seen: list[str] = []

        def wrapper(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        cache.clear()  # the standing is cached per camp version: read it every time
        with connection.execute_wrapper(wrapper):
            _build("appraisal-form", cast, None)
        return seen

    # The trainees with their group on the day, the groups, the attendance counts, the study
    # hours, the texts; the standing's items, training days, trainees and entry aggregates.
    assert len(count()) == 9
    for _n in range(4):
        TraineeFactory(camp=cast.camp, group=cast.group_2)
    after = count()
    assert len(after) == 9, "\n".join(after)
    assert Trainee.objects.filter(camp=cast.camp).count() == 6
