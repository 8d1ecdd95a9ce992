"""The audit trail as staff browse it: per trainee and per object, with who, when, before/after
and why, including bulk writes made with simple-history's helpers."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from camp import history
from camp.models import Camp
from tests.factories import CandidateFactory
from trainees.models import (
    ConductCode,
    Decision,
    GroupMove,
    Post,
    Trainee,
)


def _save(obj, *, by, reason, fields=None):
    """A write as a service makes it: attributed and explained."""
    obj._history_user = by
    obj._change_reason = reason
    obj.save(update_fields=fields)


def _trainee_page(client, cast, trainee=None):
    client.force_login(cast.staff)
    trainee = trainee or cast.trainee_in_group_1
    response = client.get(reverse("history-trainee", args=[trainee.pk]))
    assert response.status_code == 200
    return response


def _entries(response):
    return response.context["entries"]


# --- Who may browse ----------------------------------------------------------------------------


def _history_urls(cast):
    trainee = cast.trainee_in_group_1
    return [
        reverse("history-index"),
        reverse("history-trainee", args=[trainee.pk]),
        reverse("history-object", args=["trainees.trainee", trainee.pk]),
    ]


@pytest.mark.django_db
def test_it_sends_anonymous_visitors_to_log_in(client, cast):
    for url in _history_urls(cast):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["counselor_1", "counselor_2", "trainee_1", "trainee_2", "orgdept", "leader"]
)
def test_it_refuses_everyone_but_staff(client, cast, persona):
    client.force_login(getattr(cast, persona))
    for url in _history_urls(cast):
        assert client.get(url).status_code == 403, url


# --- Per trainee -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_who_changed_a_trainee_when_what_and_why(client, cast):
    trainee = cast.trainee_in_group_1
    trainee.post = Post.CLASS_OFFICER
    _save(trainee, by=cast.staff, reason="班委选举结果", fields=["post"])

    response = _trainee_page(client, cast)
    entry = _entries(response)[0]
    assert entry.model_label == "trainees.trainee"
    assert entry.who == cast.staff
    assert entry.reason == "班委选举结果"
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("班级职务", "—", "班委")]
    page = response.content.decode()
    assert "班委选举结果" in page
    assert "王管理" in page


@pytest.mark.django_db
def test_it_finds_the_trainees_candidacy_person_and_conduct_code(client, cast):
    trainee = cast.trainee_in_group_1
    candidate = trainee.candidate
    candidate.decision = Decision.ADMITTED
    candidate.decision_reason = "破格录取：基层经历突出"
    _save(candidate, by=cast.staff, reason="录取", fields=["decision", "decision_reason"])
    person = trainee.person
    person.unit = "湖州市吴兴区发改局"
    _save(person, by=cast.staff, reason="单位调整", fields=["unit"])
    code = ConductCode(trainee=trainee, text="慎独慎微，严以律己")
    _save(code, by=cast.trainee_1, reason="")

    entries = _entries(_trainee_page(client, cast))
    by_model = {}
    for entry in entries:  # newest first: keep each model's latest entry
        by_model.setdefault(entry.model_label, entry)
    assert by_model["trainees.candidate"].reason == "录取"
    assert ("决定理由", "—", "破格录取：基层经历突出") in [
        (c.field, c.before, c.after) for c in by_model["trainees.candidate"].changes
    ]
    unit_changes = [c for c in by_model["trainees.person"].changes if c.field == "工作单位"]
    assert [c.after for c in unit_changes] == ["湖州市吴兴区发改局"]
    assert unit_changes[0].before.startswith("湖州市第")
    conduct = by_model["trainees.conductcode"]
    assert conduct.who == cast.trainee_1
    assert conduct.action == "创建"
    assert ("个人修养要则", "—", "慎独慎微，严以律己") in [
        (c.field, c.before, c.after) for c in conduct.changes
    ]


@pytest.mark.django_db
def test_it_leaves_out_other_trainees_records(client, cast):
    other = cast.trainee_in_group_2
    other.post = Post.GROUP_LEADER
    _save(other, by=cast.staff, reason="另一位学员", fields=["post"])
    _save(ConductCode(trainee=other, text="他人的要则"), by=cast.trainee_2, reason="")

    entries = _entries(_trainee_page(client, cast))
    assert entries  # the trainee's own creation records are there
    assert "另一位学员" not in [e.reason for e in entries]
    assert all(e.object_id != other.pk or e.model_label != "trainees.trainee" for e in entries)
    assert "他人的要则" not in _trainee_page(client, cast).content.decode()


@pytest.mark.django_db
def test_it_masks_personal_data_in_the_history(client, cast):
    person = cast.trainee_in_group_1.person
    person.phone = "13912345678"
    _save(person, by=cast.staff, reason="更新电话", fields=["phone"])

    page = _trainee_page(client, cast).content.decode()
    assert "13912345678" not in page
    assert "13800001111" not in page
    assert "139****5678" in page
    assert "330502199001011234" not in page


@pytest.mark.django_db
def test_it_records_a_bulk_update_made_with_the_history_helper(client, cast):
    trainees = list(Trainee.objects.filter(camp=cast.camp).order_by("pk"))
    for trainee in trainees:
        trainee.placement_reason = "按工作经历领域重新核定"
    bulk_update_with_history(
        trainees,
        Trainee,
        ["placement_reason"],
        default_user=cast.staff,
        default_change_reason="批量核定分组依据",
    )

    for trainee in trainees:
        entry = _entries(_trainee_page(client, cast, trainee))[0]
        assert entry.reason == "批量核定分组依据"
        assert entry.who == cast.staff
        assert [(c.field, c.after) for c in entry.changes] == [
            ("分组依据", "按工作经历领域重新核定")
        ]


@pytest.mark.django_db
def test_it_shows_the_group_moves(client, cast):
    GroupMove.objects.create(
        trainee=cast.trainee_in_group_1,
        from_group=cast.group_1,
        to_group=cast.group_2,
        reason="平衡各组人数",
        by=cast.staff,
        effective_on=datetime.date(2026, 3, 1),
    )
    response = _trainee_page(client, cast)
    assert [m.reason for m in response.context["moves"]] == ["平衡各组人数"]
    assert "平衡各组人数" in response.content.decode()


@pytest.mark.django_db
def test_every_audited_model_that_points_at_a_trainee_is_covered():
    """Discovery is generic: features that land later are covered without edits."""
    covered = {m._meta.label for m in history.audited_models() if history.relations_to(m, Trainee)}
    assert "trainees.ConductCode" in covered
    for model in history.audited_models():
        fks = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Trainee and not f.many_to_many
        ]
        assert bool(fks) == (model._meta.label in covered), model._meta.label


# --- Per object --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_an_objects_changes_made_through_a_page(client, cast):
    """The request's user is recorded by the history middleware."""
    client.force_login(cast.staff)
    camp = cast.camp
    data = {
        "code": camp.code,
        "name": camp.name,
        "year": camp.year,
        "start_month": camp.start_month,
        "capacity": 160,
        "selection_reference_date": camp.selection_reference_date.isoformat(),
        "recruitment_window_start": camp.recruitment_window_start,
        "recruitment_window_end": camp.recruitment_window_end,
        "status": camp.status,
        "trainee_rank_visibility": camp.trainee_rank_visibility,
        "hours_per_half_day": camp.hours_per_half_day,
        "min_hours_share": camp.min_hours_share,
    }
    assert client.post(reverse("camp-edit", args=[camp.code]), data).status_code == 302
    assert Camp.objects.get(pk=camp.pk).capacity == 160

    response = client.get(reverse("history-object", args=["camp.camp", camp.pk]))
    assert response.status_code == 200
    latest = _entries(response)[0]
    assert latest.who == cast.staff
    assert [(c.field, c.before, c.after) for c in latest.changes] == [("容量", "150", "160")]
    assert _entries(response)[-1].action == "创建"


@pytest.mark.django_db
def test_it_keeps_the_history_of_a_deleted_object(client, cast):
    code = ConductCode.objects.create(trainee=cast.trainee_in_group_1, text="初稿")
    pk = code.pk
    code.delete()
    client.force_login(cast.staff)
    response = client.get(reverse("history-object", args=["trainees.conductcode", pk]))
    assert response.status_code == 200
    assert [e.action for e in _entries(response)] == ["删除", "创建"]
    assert "已删除" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label",
    [
        pytest.param("trainees.groupmove", id="not-audited"),
        pytest.param("nope.nothing", id="unknown"),
        pytest.param("garbage", id="malformed"),
    ],
)
def test_it_answers_404_for_models_without_history(client, cast, label):
    client.force_login(cast.staff)
    assert client.get(reverse("history-object", args=[label, 1])).status_code == 404


@pytest.mark.django_db
def test_it_answers_404_for_an_object_without_records(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("history-object", args=["camp.camp", 999999])).status_code == 404


@pytest.mark.django_db
def test_the_object_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    trainee = cast.trainee_in_group_1
    for n, post in enumerate([Post.CLASS_OFFICER, Post.GROUP_LEADER, Post.NONE]):
        trainee.post = post
        trainee.withdrawn_on = datetime.date(2026, 3, 1 + n) if n else None
        _save(trainee, by=cast.staff, reason=f"第{n}次", fields=["post", "withdrawn_on"])
    client.force_login(cast.staff)
    url = reverse("history-object", args=["trainees.trainee", trainee.pk])
    # session, user, history records + their users, one per model named in the diffs (camp,
    # person, candidate, group), the current object, the header's current camp; then the
    # idle-timeout session save (savepoint, update, release)
    # + 6 for the menu's to-do count on a cold cache (camp/todos.py, kept a minute): pending
    # leave, roll calls not closed, unverified training days, summarised months, failed summary
    # runs, failed exports.
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200


# --- Index -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_lists_recent_changes_and_finds_a_trainee_by_name(client, cast):
    trainee = cast.trainee_in_group_1
    trainee.post = Post.CLASS_OFFICER
    _save(trainee, by=cast.staff, reason="最近一次改动", fields=["post"])
    client.force_login(cast.staff)

    response = client.get(reverse("history-index"), {"q": "张三"})
    assert response.status_code == 200
    assert list(response.context["trainees"]) == [trainee]
    assert response.context["entries"][0].reason == "最近一次改动"
    assert reverse("history-trainee", args=[trainee.pk]) in response.content.decode()


# --- Every kind of audited change, made by its service, is in the history ------------------------


@contextmanager
def _request_by(user):
    """What HistoryRequestMiddleware does for a page: the services run inside a request whose
    user the history records."""
    request = RequestFactory().post("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def _admission(cast):
    from trainees.services.admission import candidate_decide

    candidate = CandidateFactory(camp=cast.camp)
    candidate_decide(
        candidate=candidate, decision=Decision.WAITLISTED, by=cast.staff, reason="候补"
    )
    return "trainees.candidate", candidate.pk, "决定", "候补"


def _withdrawal(cast):
    from trainees.services.admission import trainee_withdraw

    trainee = cast.trainee_in_group_1
    trainee_withdraw(
        trainee=trainee,
        kind="promoted",
        reason="提拔任职",
        on=datetime.date(2026, 6, 1),
        by=cast.staff,
    )
    return "trainees.trainee", trainee.pk, "状态", "已退出"


def _placement(cast):
    from trainees.services.grouping import trainee_move

    trainee = cast.trainee_in_group_1
    trainee_move(trainee=trainee, to_group=cast.group_2, by=cast.staff, reason="平衡各组人数")
    return "trainees.trainee", trainee.pk, "学习小组", str(cast.group_2)


def _score(cast):
    from assessment.models import AssessmentItem
    from assessment.services.entries import score_entry_create

    item = AssessmentItem.objects.filter(scheme__camp=cast.camp).order_by("number").first()
    entry = score_entry_create(
        trainee=cast.trainee_in_group_1,
        item=item,
        points="1",
        date=datetime.date(2026, 3, 14),
        by=cast.staff,
        reason="课堂表现",
    )
    return "assessment.scoreentry", entry.pk, "分值", None


def _scheme(cast):
    from assessment.models import AssessmentItem
    from assessment.services.scheme import assessment_item_update

    item = AssessmentItem.objects.filter(scheme__camp=cast.camp).order_by("number").first()
    assessment_item_update(item=item, data={"name": "理论学习（修订）"}, by=cast.staff)
    return "assessment.assessmentitem", item.pk, None, "理论学习（修订）"


def _calendar(cast):
    from curriculum.services.calendar import training_day_move, training_days_plan

    training_days_plan(camp=cast.camp, by=cast.staff)
    day = cast.camp.training_days.order_by("date").first()
    to_date = day.date + datetime.timedelta(days=7)
    training_day_move(
        day=day, to_date=to_date, by=cast.staff, reason="与重点会议冲突", today=day.date
    )
    return "curriculum.trainingday", day.pk, None, to_date.isoformat()


def _attendance(cast):
    from curriculum.models import Attendance
    from curriculum.services.attendance import attendance_record
    from curriculum.services.calendar import training_days_plan
    from tests.factories import SessionFactory

    training_days_plan(camp=cast.camp, by=cast.staff)
    session = SessionFactory(training_day=cast.camp.training_days.order_by("date").first())
    trainee = cast.trainee_in_group_1
    attendance_record(session=session, marks={trainee.pk: "present"}, by=cast.staff)
    attendance_record(session=session, marks={trainee.pk: "absent"}, by=cast.staff)
    row = Attendance.objects.get(session=session, trainee=trainee)
    return "curriculum.attendance", row.pk, None, "缺勤"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [_admission, _withdrawal, _placement, _score, _scheme, _calendar, _attendance],
    ids=lambda f: f.__name__.strip("_"),
)
def test_each_kind_of_change_is_in_the_history_with_who_and_what(client, cast, change):
    with _request_by(cast.staff):
        label, pk, field_name, after = change(cast)
    client.force_login(cast.staff)
    response = client.get(reverse("history-object", args=[label, pk]))
    assert response.status_code == 200
    latest = _entries(response)[0]
    assert latest.who == cast.staff
    changes = [(c.field, c.after) for c in latest.changes]
    assert changes, f"{label} #{pk}: the latest record shows no change"
    if field_name is not None:
        assert field_name in [f for f, _ in changes], changes
    if after is not None:
        assert any(after in value for _, value in changes), changes


def test_the_history_search_finds_trainees_by_initials_and_pages_them(client, cast):
    from tests.factories import PersonFactory, TraineeFactory

    for _ in range(27):
        TraineeFactory(camp=cast.camp, person=PersonFactory(name="张华生"))
    client.force_login(cast.staff)
    url = reverse("history-index")
    first = client.get(url, {"q": "zhs"})
    assert len(first.context["trainees"]) == 25
    assert first.context["listing"].count == 27
    assert 'href="?q=zhs&amp;page=2"' in first.content.decode()
    assert len(client.get(url, {"q": "zhs", "page": 2}).context["trainees"]) == 2
    assert client.get(url, {"q": "华生"}).context["listing"].count == 27


def test_the_history_search_in_a_pinned_number_of_queries(client, cast, django_assert_num_queries):
    from tests.factories import PersonFactory, TraineeFactory

    for _ in range(30):
        TraineeFactory(camp=cast.camp, person=PersonFactory(name="张华生"))
    client.force_login(cast.staff)
    url = reverse("history-index")
    client.get(url, {"q": "zhs"})
    with CaptureQueriesContext(connection) as recent:
        history.recent_changes()
    # 2 login; 2 one page of trainees found: their count, then the page with person, camp
    # and group joined; the recent changes (one query per audited model); 1 the menu's
    # current camp.
    with django_assert_num_queries(2 + 2 + len(recent) + 1):
        client.get(url, {"q": "zhs", "page": 2})
