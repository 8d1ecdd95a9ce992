"""Selection pages tried by every persona: staff act, orgdept reads, the rest never learn of
candidates (404); anonymous visitors go to the login page."""

import datetime

import pytest
from django.urls import reverse

from camp.models import SensitiveAccessLog
from tests.factories import CandidateFactory, PersonFactory
from tests.personas import status_as
from trainees.models import Candidate, Decision, Person, Rank, RankAlias, Trainee

from .candidate_files import id_number, row, workbook_bytes

D = datetime.date
READ = {
    "staff": 200,
    "orgdept": 200,
    "counselor_1": 404,
    "counselor_2": 404,
    "trainee_1": 404,
    "trainee_2": 404,
    "leader": 404,
}
EDIT = {**READ, "orgdept": 403}


@pytest.fixture
def candidate(cast):
    return CandidateFactory(
        camp=cast.camp,
        person=PersonFactory(
            name="候选甲", birth_date=D(1984, 6, 1), rank=Rank.DEPUTY_SECTION_CHIEF
        ),
    )


def urls(cast, candidate):
    code = cast.camp.code
    return {
        "candidate-list": (reverse("candidate-list", args=[code]), READ),
        "candidate-detail": (reverse("candidate-detail", args=[candidate.pk]), READ),
        "candidate-template": (reverse("candidate-template"), READ),
        "candidate-new": (reverse("candidate-new", args=[code]), EDIT),
        "candidate-edit": (reverse("candidate-edit", args=[candidate.pk]), EDIT),
        "candidate-decide": (reverse("candidate-decide", args=[candidate.pk]), EDIT),
        "candidate-import": (reverse("candidate-import", args=[code]), EDIT),
        "rank-alias-list": (reverse("rank-alias-list"), EDIT),
    }


def test_every_selection_page_answers_every_persona_as_the_access_table_says(
    client, cast, candidate
):
    for name, (url, expected) in urls(cast, candidate).items():
        for persona, user in cast.everyone().items():
            status = status_as(client, user, url)
            if user is None:
                assert status == 302, name
            else:
                assert status == expected[persona], (name, persona, status)


def test_anonymous_visitors_are_sent_to_login(client, cast, candidate):
    response = client.get(reverse("candidate-list", args=[cast.camp.code]))
    assert response.url.startswith(reverse("login"))


def test_the_list_shows_the_verdict_and_its_explanation(client, cast, candidate):
    client.force_login(cast.orgdept)
    body = client.get(reverse("candidate-list", args=[cast.camp.code])).content.decode()
    assert "候选甲" in body
    assert "不符合" in body
    assert "1984-06-01出生，不属于85后；副科级，不属于90后副科；非选调生/选聘生" in body
    assert reverse("candidate-decide", args=[candidate.pk]) not in body  # orgdept only reads


def test_the_list_filters_by_verdict_decision_and_search(client, cast, candidate):
    CandidateFactory(camp=cast.camp, person=PersonFactory(name="候选乙", birth_date=D(1991, 1, 1)))
    client.force_login(cast.staff)
    url = reverse("candidate-list", args=[cast.camp.code])
    assert "候选甲" not in client.get(url, {"verdict": "met"}).content.decode()
    assert "候选乙" not in client.get(url, {"verdict": "unmet"}).content.decode()
    assert "候选乙" in client.get(url, {"q": "乙"}).content.decode()
    body = client.get(url, {"decision": Decision.ADMITTED}).content.decode()
    assert "候选甲" not in body
    assert "张三" in body  # the cast's trainees were admitted


def test_township_chiefs_come_first_with_a_badge(client, cast, candidate):
    CandidateFactory(
        camp=cast.camp,
        person=PersonFactory(
            name="镇长丁", township_chief_experience=True, birth_date=D(1980, 1, 1)
        ),
    )
    client.force_login(cast.staff)
    body = client.get(reverse("candidate-list", args=[cast.camp.code])).content.decode()
    assert body.index("镇长丁") < body.index("候选甲")
    assert "优先" in body


def test_the_list_runs_in_a_fixed_number_of_queries(
    client, cast, candidate, django_assert_num_queries
):
    for index in range(10):
        CandidateFactory(camp=cast.camp, person=PersonFactory(name=f"批量{index}"))
    client.force_login(cast.staff)
    url = reverse("candidate-list", args=[cast.camp.code])
    # session, user, camp, the page's count, one page of candidates+person+decider, counts,
    # headcount, menu's current camp, and the idle-timeout session save (savepoint, update,
    # release)
    # + 6 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): pending
    # leave, roll calls not closed, unverified training days, summarised months, failed summary
    # runs, failed exports.
    with django_assert_num_queries(17):
        response = client.get(url)
    listed = {c.person.name for c in response.context["candidates"]}
    assert {f"批量{index}" for index in range(10)} <= listed  # the counted page lists them all
    assert len(listed) == Candidate.objects.filter(camp=cast.camp).count()


def test_staff_add_a_candidate_by_hand_with_an_alias_rank(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("candidate-new", args=[cast.camp.code]),
        {
            "name": "手工戊",
            "gender": "female",
            "birth_date": "1992-03-04",
            "id_number": "",
            "unit": "湖州市南浔区",
            "rank": "",
            "rank_title": "四级主任科员",
            "cadre_type": "other",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="手工戊")
    assert person.rank == Rank.DEPUTY_SECTION_CHIEF
    assert Candidate.objects.filter(camp=cast.camp, person=person).exists()


def test_a_hand_entry_with_a_bad_id_number_says_so_and_writes_nothing(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("candidate-new", args=[cast.camp.code]),
        {
            "name": "错号",
            "gender": "male",
            "birth_date": "1990-05-01",
            "id_number": "330502199005010012",
            "unit": "某单位",
            "rank": "section_chief",
            "cadre_type": "other",
        },
    )
    assert response.status_code == 200
    assert "校验位" in response.content.decode()
    assert not Person.objects.filter(name="错号").exists()


@pytest.mark.parametrize("year", ["32768", "1949", "2101"])
def test_a_hand_entry_with_an_impossible_recruitment_year_writes_nothing(client, cast, year):
    client.force_login(cast.staff)
    response = client.post(
        reverse("candidate-new", args=[cast.camp.code]),
        {
            "name": "错年",
            "gender": "male",
            "birth_date": "1995-05-01",
            "unit": "某单位",
            "rank": "deputy_section_chief",
            "cadre_type": "selected_graduate",
            "recruitment_year": year,
        },
    )
    assert response.status_code == 200
    assert "不是有效年份" in response.content.decode()
    assert not Person.objects.filter(name="错年").exists()


def test_staff_edit_a_candidate(client, cast, candidate):
    client.force_login(cast.staff)
    response = client.post(
        reverse("candidate-edit", args=[candidate.pk]),
        {
            "name": "候选甲",
            "gender": "male",
            "birth_date": "1986-06-01",
            "unit": "新单位",
            "rank": "section_chief",
            "cadre_type": "other",
        },
    )
    assert response.status_code == 302
    candidate.person.refresh_from_db()
    assert (candidate.person.unit, candidate.person.birth_date) == ("新单位", D(1986, 6, 1))


def test_admitting_an_ineligible_candidate_without_a_reason_is_refused(client, cast, candidate):
    client.force_login(cast.staff)
    url = reverse("candidate-decide", args=[candidate.pk])
    response = client.post(url, {"decision": "admitted", "reason": ""})
    assert response.status_code == 400
    assert "破格录取须填写理由" in response.content.decode()
    assert not Trainee.objects.filter(candidate=candidate).exists()
    response = client.post(url, {"decision": "admitted", "reason": "基层经验突出"})
    assert response.status_code == 302
    assert Trainee.objects.get(candidate=candidate).person.user.is_active


def test_admitting_beyond_capacity_shows_the_message_and_writes_nothing(client, cast, candidate):
    cast.camp.capacity = 2  # the cast holds two trainees
    cast.camp.save(update_fields=["capacity"])
    client.force_login(cast.staff)
    response = client.post(
        reverse("candidate-decide", args=[candidate.pk]), {"decision": "admitted", "reason": "x"}
    )
    assert response.status_code == 400
    assert "本期已满员（2/2人）" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_staff_waitlist_with_a_reason(client, cast, candidate):
    client.force_login(cast.staff)
    client.post(
        reverse("candidate-decide", args=[candidate.pk]),
        {"decision": "waitlisted", "reason": "名额已满"},
    )
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.decision_reason) == (Decision.WAITLISTED, "名额已满")


def test_orgdept_cannot_decide(client, cast, candidate):
    client.force_login(cast.orgdept)
    response = client.post(
        reverse("candidate-decide", args=[candidate.pk]), {"decision": "rejected"}
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_the_import_page_lists_every_row_error_and_writes_nothing(client, cast):
    client.force_login(cast.staff)
    file = workbook_bytes([row(姓名="好"), row(姓名="坏", 性别="X"), row(姓名="也坏", 职级="?")])
    file.name = "名单.xlsx"
    response = client.post(reverse("candidate-import", args=[cast.camp.code]), {"file": file})
    assert response.status_code == 400
    body = response.content.decode()
    assert "发现 2 处问题，未导入任何数据" in body
    assert "请填写“男”或“女”" in body
    assert not Person.objects.filter(name="好").exists()


def test_a_good_import_says_how_many_were_created_and_updated(client, cast):
    client.force_login(cast.staff)
    file = workbook_bytes([row(姓名="新一"), row(姓名="新二", 出生日期=D(1993, 1, 1))])
    file.name = "名单.xlsx"
    response = client.post(
        reverse("candidate-import", args=[cast.camp.code]), {"file": file}, follow=True
    )
    assert "导入成功：新增 2 名候选人，更新 0 名" in response.content.decode()


def test_the_template_downloads_as_xlsx(client, cast):
    client.force_login(cast.orgdept)
    response = client.get(reverse("candidate-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_staff_add_and_delete_a_rank_alias(client, cast):
    client.force_login(cast.staff)
    client.post(reverse("rank-alias-list"), {"title": "党委书记（乡镇）", "rank": "section_chief"})
    alias = RankAlias.objects.get(title="党委书记（乡镇）")
    response = client.post(reverse("rank-alias-list"), {"title": "正科级", "rank": "section_chief"})
    assert "本身就是职务层次" in response.content.decode()
    client.post(reverse("rank-alias-delete", args=[alias.pk]))
    assert not RankAlias.objects.filter(pk=alias.pk).exists()


def test_only_staff_delete_a_rank_alias(client, cast):
    alias = RankAlias.objects.first()
    for persona, expected in (("orgdept", 403), ("leader", 404), ("trainee_1", 404)):
        client.force_login(getattr(cast, persona))
        assert client.post(reverse("rank-alias-delete", args=[alias.pk])).status_code == expected
    assert RankAlias.objects.filter(pk=alias.pk).exists()


# --- the edit form keeps the ID number and phone masked --------------------------------------

ID_NUMBER = id_number(D(1984, 6, 1))
MASKED_ID = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]


@pytest.fixture
def known(cast):
    """A candidate whose ID number and phone are on file."""
    person = PersonFactory(
        name="候选乙",
        birth_date=D(1984, 6, 1),
        gender="male",
        id_number=ID_NUMBER,
        phone="13912345678",
        rank=Rank.SECTION_CHIEF,
    )
    return CandidateFactory(camp=cast.camp, person=person)


def _edit_page(client, known, data=None):
    url = reverse("candidate-edit", args=[known.pk])
    response = client.post(url, data) if data is not None else client.get(url)
    return response, response.content.decode()


def test_the_edit_form_shows_the_id_number_and_phone_masked_and_logs_nothing(client, cast, known):
    client.force_login(cast.staff)
    _response, page = _edit_page(client, known)
    assert ID_NUMBER not in page
    assert "13912345678" not in page
    assert f'value="{MASKED_ID}"' in page
    assert 'value="139****5678"' in page
    assert not SensitiveAccessLog.objects.exists()


def test_revealing_one_field_shows_it_keeps_what_was_typed_and_is_logged(client, cast, known):
    client.force_login(cast.staff)
    typed = {
        "name": "候选乙",
        "gender": "male",
        "birth_date": "1984-06-01",
        "id_number": MASKED_ID,
        "unit": "尚未保存的单位",
        "rank": "section_chief",
        "cadre_type": "other",
        "phone": "139****5678",
        "reveal": "id_number",
    }
    _response, page = _edit_page(client, known, typed)
    assert f'value="{ID_NUMBER}"' in page
    assert "13912345678" not in page  # the other field stays masked
    assert 'value="尚未保存的单位"' in page
    (entry,) = SensitiveAccessLog.objects.all()
    assert (entry.user, entry.action) == (cast.staff, SensitiveAccessLog.Action.VIEW)
    assert "候选乙" in entry.target
    assert entry.detail == "身份证号"
    known.person.refresh_from_db()
    assert known.person.unit != "尚未保存的单位"  # a reveal saves nothing


def test_saving_without_a_reveal_keeps_the_stored_numbers(client, cast, known):
    client.force_login(cast.staff)
    response, _page = _edit_page(
        client,
        known,
        {
            "name": "候选乙",
            "gender": "male",
            "birth_date": "1984-06-01",
            "id_number": MASKED_ID,
            "unit": "新单位",
            "rank": "section_chief",
            "cadre_type": "other",
            "phone": "139****5678",
        },
    )
    assert response.status_code == 302
    known.person.refresh_from_db()
    assert (known.person.id_number, known.person.phone) == (ID_NUMBER, "13912345678")
    assert known.person.unit == "新单位"


def test_a_number_with_a_star_that_is_not_the_mask_is_refused(client, cast, known):
    client.force_login(cast.staff)
    response, page = _edit_page(
        client,
        known,
        {
            "name": "候选乙",
            "gender": "male",
            "birth_date": "1984-06-01",
            "id_number": ID_NUMBER,
            "unit": "新单位",
            "rank": "section_chief",
            "cadre_type": "other",
            "phone": "139****0000",
        },
    )
    assert response.status_code == 200
    assert "不能有“*”" in page
    known.person.refresh_from_db()
    assert known.person.phone == "13912345678"


# --- an import that changes people already known: preview, then confirm with a reason --------


def test_an_import_changing_a_trainee_is_previewed_then_confirmed_with_a_reason(client, cast):
    from django.core.files.storage import default_storage

    from trainees.models import CandidateImport

    person = PersonFactory(
        name="陈一", birth_date=D(1990, 5, 1), id_number=id_number(D(1990, 5, 1)), unit="吴兴区"
    )
    CandidateFactory(camp=cast.camp, person=person, decision=Decision.ADMITTED)
    url = reverse("candidate-import", args=[cast.camp.code])
    client.force_login(cast.staff)
    file = workbook_bytes([row(姓名="陈一鸣", 身份证号=person.id_number, 工作单位="南浔区")])
    file.name = "第二批.xlsx"
    preview = client.post(url, {"file": file})
    page = preview.content.decode()
    assert 'data-testid="import-preview"' in page
    for shown in ("陈一鸣", "南浔区", "吴兴区"):
        assert shown in page
    person.refresh_from_db()
    assert person.name == "陈一"  # nothing written yet
    form = preview.context["confirm_form"]
    hidden = {name: form.initial[name] for name in ("sha256", "digest", "file_name")}

    refused = client.post(url, {**hidden, "reason": ""})
    assert refused.status_code == 400
    assert "请填写修改已有人员信息的原因" in refused.content.decode()
    person.refresh_from_db()
    assert person.name == "陈一"

    done = client.post(url, {**hidden, "reason": "组织部更正姓名"}, follow=True)
    assert "导入成功：新增 0 名候选人，更新 1 名" in done.content.decode()
    person.refresh_from_db()
    assert (person.name, person.unit) == ("陈一鸣", "南浔区")
    record = CandidateImport.objects.get()
    assert (record.file_name, record.reason, record.by) == (
        "第二批.xlsx",
        "组织部更正姓名",
        cast.staff,
    )
    assert not default_storage.exists(f"imports/pending/{hidden['sha256']}.xlsx")


def test_a_confirmation_with_a_forged_file_hash_is_a_404(client, cast):
    client.force_login(cast.staff)
    url = reverse("candidate-import", args=[cast.camp.code])
    forged = {"sha256": "../../etc/passwd", "digest": "0" * 64, "file_name": "x", "reason": ""}
    assert client.post(url, forged).status_code == 404


def test_the_list_pages_candidates_and_finds_them_by_initials(client, cast):
    for index in range(30):
        CandidateFactory(camp=cast.camp, person=PersonFactory(name=f"批量{index:02d}"))
    CandidateFactory(camp=cast.camp, person=PersonFactory(name="单田芳"))
    client.force_login(cast.staff)
    url = reverse("candidate-list", args=[cast.camp.code])
    first = client.get(url, {"sort": "name"})
    assert len(first.context["candidates"]) == 25
    assert "sort=name&amp;page=2" in first.content.decode()
    rest = client.get(url, {"sort": "name", "page": 2}).context["candidates"]
    assert len(rest) == first.context["listing"].count - 25
    for typed in ("stf", "dtf", "田芳"):
        found = client.get(url, {"q": typed}).context["candidates"]
        assert [c.person.name for c in found] == ["单田芳"]
