"""The appraisal form's texts (issue 18 §3): the trainee writes their own summary on their
graduation page, the counselor the group's opinion of the members of their group as of the
graduation day, staff either; a writer who did not see the latest text is refused with who
changed it; nothing changes once the graduation is final. And the print pages."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.access import can_write_statement
from assessment.models import AppraisalStatement
from assessment.services.appraisal_statements import appraisal_statement_save
from camp.models import RankVisibility
from trainees.services.grouping import trainee_move

from .documents_world import GROUP_OPINION, SELF_SUMMARY, finalize

pytestmark = pytest.mark.django_db


def _url(trainee, kind):
    return reverse("appraisal-statement", args=[trainee.pk, kind])


def test_a_trainee_writes_their_own_summary_and_no_one_elses(client, cast, frozen):
    one, two = cast.trainee_in_group_1, cast.trainee_in_group_2
    client.force_login(cast.trainee_1)
    scores = client.get(reverse("assessment-my-scores", args=["2026"])).content.decode()
    assert _url(one, "self_summary") in scores  # reached from their own pages
    page = client.get(_url(one, "self_summary"))
    assert page.status_code == 200
    response = client.post(_url(one, "self_summary"), {"text": "  我的总结  ", "version": "0"})
    assert response.status_code == 302
    statement = AppraisalStatement.objects.get(trainee=one, kind="self_summary")
    assert (statement.text, statement.version, statement.written_by) == (
        "我的总结",
        1,
        cast.trainee_1,
    )
    assert statement.history.first().history_user == cast.trainee_1
    assert "我的总结" in client.get(reverse("graduation-form", args=[one.pk])).content.decode()
    # Not another's, not the group's opinion of themself.
    assert client.get(_url(two, "self_summary")).status_code == 404
    assert client.get(_url(one, "group_opinion")).status_code == 403
    assert client.get(_url(one, "nonsense")).status_code == 404
    empty = client.post(_url(one, "self_summary"), {"text": " ", "version": "1"})
    assert "请填写内容" in empty.content.decode()


def test_the_counselor_writes_for_the_members_of_their_group_on_the_graduation_day(
    client, cast, frozen
):
    one, two = cast.trainee_in_group_1, cast.trainee_in_group_2
    client.force_login(cast.counselor_1)
    assert client.get(_url(one, "group_opinion")).status_code == 200
    assert client.get(_url(one, "self_summary")).status_code == 403
    assert client.get(_url(two, "group_opinion")).status_code == 404
    response = client.post(_url(one, "group_opinion"), {"text": GROUP_OPINION, "version": "0"})
    assert response.status_code == 302
    # Moved to group 2 before the graduation: group 2's counselor appraises them now.
    trainee_move(
        trainee=one,
        to_group=cast.group_2,
        by=cast.staff,
        reason="工作调整",
        effective_on=datetime.date(2026, 6, 1),
    )
    assert not can_write_statement(cast.counselor_1, one, "group_opinion")
    assert client.get(_url(one, "group_opinion")).status_code in {403, 404}
    assert can_write_statement(cast.counselor_2, one, "group_opinion")
    # Staff write both, for anyone.
    assert can_write_statement(cast.staff, two, "self_summary")
    assert can_write_statement(cast.staff, two, "group_opinion")
    assert not can_write_statement(cast.orgdept, one, "group_opinion")


def test_a_writer_who_did_not_see_the_latest_text_is_refused_with_who_changed_it(
    client, cast, frozen
):
    one = cast.trainee_in_group_1
    client.force_login(cast.counselor_1)
    first = client.post(_url(one, "group_opinion"), {"text": "第一稿", "version": "0"})
    assert first.status_code == 302
    # Staff opened the form before that save (they saw nothing) and save over it.
    client.force_login(cast.staff)
    stale = client.post(_url(one, "group_opinion"), {"text": "覆盖", "version": "0"})
    assert stale.status_code == 200
    assert "周辅导已于" in stale.content.decode()
    assert "不是最新内容" in stale.content.decode()
    assert AppraisalStatement.objects.get(trainee=one, kind="group_opinion").text == "第一稿"
    fresh = client.post(_url(one, "group_opinion"), {"text": "第二稿", "version": "1"})
    assert fresh.status_code == 302
    statement = AppraisalStatement.objects.get(trainee=one, kind="group_opinion")
    assert (statement.text, statement.version) == ("第二稿", 2)


def test_the_texts_are_filed_with_the_graduation(filed):
    cast = filed
    one = cast.trainee_in_group_1
    finalize(cast)
    with pytest.raises(ValidationError, match="已定稿"):
        appraisal_statement_save(
            trainee=one, kind="self_summary", text="改", by=cast.trainee_1, seen_version=1
        )
    assert AppraisalStatement.objects.get(trainee=one, kind="self_summary").text == SELF_SUMMARY


def test_the_print_pages_show_the_form_and_the_certificate(client, filed):
    cast = filed
    one, two = cast.trainee_in_group_1, cast.trainee_in_group_2
    form_url = reverse("graduation-form", args=[one.pk])
    client.force_login(cast.orgdept)
    html = client.get(form_url).content.decode()
    for text in (
        "学员鉴定表",
        "张三",
        "出勤率（累计）",
        "83.3%",
        "学时",
        "总分",
        "理论教育",
        "党性锻炼",
        "能力提升",
        "第1名（共2人）",
        SELF_SUMMARY,
        GROUP_OPINION,
        "组织部意见",
        "js/print.js",
        "table-responsive",
    ):
        assert text in html, text
    assert f"?trainee={one.pk}" in html  # the Word file, downloaded directly
    css = (Path(settings.BASE_DIR) / "static/css/camp.css").read_text()
    assert any(".certificate" in block for block in css.split("@media print")[1:])
    # No certificate before the numbers.
    certificate_url = reverse("graduation-certificate", args=[one.pk])
    assert client.get(certificate_url).status_code == 404
    finalize(cast)
    page = client.get(certificate_url).content.decode()
    assert "结业证书" in page
    assert "证书编号：NTH2026-001" in page
    assert "中共湖州市委党校" in page
    assert "2026年12月18日" in page
    list_page = client.get(reverse("graduation-list", args=["2026"])).content.decode()
    assert certificate_url in list_page
    assert 'value="appraisal-form"' in list_page  # the edition's, as a background job
    # The trainee: their own, with the rank only where the camp shows it.
    cast.camp.trainee_rank_visibility = RankVisibility.HIDDEN
    cast.camp.save(update_fields=["trainee_rank_visibility"])
    client.force_login(cast.trainee_1)
    mine = client.get(form_url).content.decode()
    assert "班级排名" not in mine
    assert client.get(certificate_url).status_code == 200
    assert client.get(reverse("graduation-certificate", args=[two.pk])).status_code == 404
