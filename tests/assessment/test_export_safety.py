"""Safe exports: formula injection defused for every leading character across the free text of
the organization department's workbooks, personal data masked unless staff or orgdept ask (and
then logged), and the role checked on every kind for every persona."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Graduation
from camp.models import SensitiveAccessLog
from camp.workbooks import FORMULA_TRIGGERS, ExportRequest, build_export, may_export, registry
from oversight.models import InterviewCategory
from tests.oversight.oversight_world import OversightWorld, build_world

pytestmark = pytest.mark.django_db

OWN_KINDS = ("record", "comments", "shortlist", "graduation")


@pytest.fixture
def world(cast) -> OversightWorld:
    return build_world(cast)


def _poison(world, payload: str) -> None:
    """Every free-text field these workbooks write, starting with `payload`."""
    cast = world.cast
    person = cast.trainee_in_group_1.person
    person.name = payload + "张三"
    person.unit = payload + "湖州市某单位"
    person.save(update_fields=["name", "unit"])
    world.shortlist_round.title = payload + "比选"
    world.shortlist_round.save(update_fields=["title"])
    world.entry_1.reason = payload + "理由"
    world.entry_1.save(update_fields=["reason"])
    world.comment.text = payload + "点评"
    world.comment.occasion = payload + "场合"
    world.comment.save(update_fields=["text", "occasion"])
    world.review.highlights = payload + "亮点"
    world.review.problems = payload + "问题"
    world.review.save(update_fields=["highlights", "problems"])
    world.remark.remark = payload + "个人点评"
    world.remark.save(update_fields=["remark"])
    world.interview.notes = payload + "面谈"
    world.interview.save(update_fields=["notes"])
    InterviewCategory.objects.filter(pk=world.interview.category_id).update(name=payload + "类")
    Graduation.objects.create(
        trainee=cast.trainee_in_group_1,
        appraisal=payload + "鉴定",
        graduates=False,
        decline_reason=payload + "请假过多",
        updated_by=cast.staff,
    )


def _cells(kind, world):
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    book = load_workbook(buffer)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize(
    "trigger", FORMULA_TRIGGERS, ids=["eq", "plus", "minus", "at", "tab", "cr"]
)
def test_no_free_text_becomes_a_formula(world, trigger):
    payload = trigger + "SUM(1+1)"
    _poison(world, payload)
    seen = 0
    for kind in OWN_KINDS:
        for cell in _cells(kind, world):
            assert cell.data_type != "f", f"{kind}: {cell.coordinate} became a formula"
            if isinstance(cell.value, str) and "SUM(1+1)" in cell.value:
                seen += 1
                # Defused: the text starts with a quote, never with the trigger itself.
                assert not cell.value.startswith(FORMULA_TRIGGERS), (kind, cell.value)
                assert cell.value.startswith("'" + trigger) or not cell.value.startswith(trigger), (
                    kind,
                    cell.value,
                )
    # names, units, reasons, comments, reviews, remarks, interviews, titles, appraisals
    assert seen >= 15


def test_a_trainees_name_in_a_title_row_is_defused_too(world):
    _poison(world, "=HYPERLINK(1)")
    cells = list(_cells("record", world))
    titles = [c.value for c in cells if c.row == 1 and c.column == 1]
    assert titles
    assert all(t.startswith("'=") for t in titles)


def test_id_number_and_phone_are_masked_unless_staff_or_orgdept_ask(world):
    cast = world.cast
    request = ExportRequest(camp=cast.camp, user=cast.staff, trainee=cast.trainee_in_group_1)
    masked = {c.value for c in _cells_of("record", request)}
    assert "3305**********1234" in masked
    assert "138****1111" in masked
    assert "330502199001011234" not in masked
    for user in (cast.staff, cast.orgdept):
        request = ExportRequest(
            camp=cast.camp, user=user, trainee=cast.trainee_in_group_1, unmasked=True
        )
        full = {c.value for c in _cells_of("record", request)}
        assert "330502199001011234" in full
        assert "13800001111" in full
    for user in (cast.counselor_1, cast.trainee_1):
        with pytest.raises(PermissionDenied):
            build_export(
                "record",
                ExportRequest(
                    camp=cast.camp, user=user, trainee=cast.trainee_in_group_1, unmasked=True
                ),
            )


def _cells_of(kind, request):
    workbook, _ = build_export(kind, request)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    for sheet in load_workbook(buffer).worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_an_unmasked_download_is_logged_and_a_masked_one_is_not(client, world):
    cast = world.cast
    url = reverse("export-download", args=["2026", "record"])
    trainee = cast.trainee_in_group_1.pk
    client.force_login(cast.orgdept)
    assert client.get(url, {"trainee": trainee}).status_code == 200
    assert not SensitiveAccessLog.objects.exists()
    assert client.get(url, {"trainee": trainee, "unmasked": "1"}).status_code == 200
    log = SensitiveAccessLog.objects.get()
    assert (log.user, log.action) == (cast.orgdept, SensitiveAccessLog.Action.EXPORT)
    client.force_login(cast.counselor_1)
    assert client.get(url, {"trainee": trainee, "unmasked": "1"}).status_code == 403
    assert SensitiveAccessLog.objects.count() == 1


# What each persona gets from /camps/2026/exports/<kind>/ (trainee 1's record where it takes
# one): 200 a workbook, 403 refused. Leaders get no workbooks at all.
EXPECTED = {
    "record": {"staff": 200, "orgdept": 200, "counselor_1": 200, "counselor_2": 403,
               "trainee_1": 200, "trainee_2": 403, "leader": 403},
    "comments": {"staff": 200, "orgdept": 200, "counselor_1": 200, "counselor_2": 302,
                 "trainee_1": 403, "trainee_2": 403, "leader": 403},
    "shortlist": {"staff": 200, "orgdept": 200, "counselor_1": 403, "counselor_2": 403,
                  "trainee_1": 403, "trainee_2": 403, "leader": 403},
    "graduation": {"staff": 200, "orgdept": 200, "counselor_1": 403, "counselor_2": 403,
                   "trainee_1": 403, "trainee_2": 403, "leader": 403},
}  # fmt: skip


@pytest.mark.parametrize("kind", OWN_KINDS)
def test_every_kind_checks_the_requesters_role(client, world, kind):
    cast = world.cast
    Graduation.objects.create(trainee=cast.trainee_in_group_1, updated_by=cast.staff)
    url = reverse("export-download", args=["2026", kind])
    query = {"trainee": cast.trainee_in_group_1.pk, "round": world.shortlist_round.pk}
    got = {}
    for persona, user in cast.everyone().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url, query)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
            continue
        got[persona] = response.status_code
    # counselor_2 has nothing in the comments (no data: sent back with a message, not a file)
    assert got == EXPECTED[kind]


def test_a_trainee_gets_their_own_record_without_naming_themself(client, world):
    cast = world.cast
    client.force_login(cast.trainee_1)
    response = client.get(reverse("export-download", args=["2026", "record"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book["基本信息"]["B3"].value == "张三"


# What a leader takes: figures of whole editions that name nobody (届次对比), the annual report
# to the 市委, and the edition's graduation documents they review (鉴定表, 结业证书); no workbook
# of one edition.
LEADER_KINDS = {"editions", "annual-report", "appraisal-form", "certificate"}


def test_every_registered_kind_refuses_leaders_and_serves_staff_roles(cast):
    for kind in registry.values():
        assert may_export(cast.leader, kind) == (kind.name in LEADER_KINDS), kind.name
        assert may_export(cast.staff, kind), kind.name
        assert may_export(cast.orgdept, kind), kind.name
