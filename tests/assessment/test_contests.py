"""Contests: the A/B weighting, ranking, item-20 grades, hidden marks and re-closing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessment.models import ContestKind, JudgeClass, ScoreEntry, Source
from assessment.scoring import contest_result
from assessment.services.contests import contest_close, contest_create, contest_marks_save
from camp.roles import Role
from tests.factories import TraineeFactory, UserFactory

D = Decimal
DAY = datetime.date(2026, 5, 16)


def test_the_result_weights_a_and_b_judges():
    assert contest_result(mean_a=D("12"), mean_b=D("10")) == D("11.2")  # 7.2 + 4.0


def test_only_a_judges_give_the_mean_of_a():
    assert contest_result(mean_a=D("12.25"), mean_b=None) == D("12.3")  # half up


def test_only_b_judges_give_the_mean_of_b():
    assert contest_result(mean_a=None, mean_b=D("9.5")) == D("9.5")


def test_custom_weights_are_used():
    assert contest_result(
        mean_a=D("10"), mean_b=D("14"), weight_a=D("0.5"), weight_b=D("0.5")
    ) == D("12.0")


def test_no_marks_give_no_result():
    assert contest_result(mean_a=None, mean_b=None) is None


@pytest.fixture
def judges(cast):
    return {
        "a1": cast.leader,
        "a2": UserFactory(username="leader2", role=Role.LEADER),
        "b1": cast.orgdept,
    }


def _contest(cast, people, **kwargs):
    other = TraineeFactory(camp=cast.camp, group=cast.group_2)
    defaults = {
        "camp": cast.camp,
        "title": "项目路演擂台赛",
        "date": DAY,
        "kind": ContestKind.TRAINEES,
        "trainees": [cast.trainee_in_group_1, other],
        "judges": [
            (people["a1"], JudgeClass.A),
            (people["a2"], JudgeClass.A),
            (people["b1"], JudgeClass.B),
        ],
        "by": cast.staff,
    }
    defaults.update(kwargs)
    return contest_create(**defaults), other


def _mark(contest, user, marks_by_trainee):
    judge = contest.judges.get(user=user)
    by_participant = {
        p.pk: marks_by_trainee[p.trainee_id or p.group_id] for p in contest.participants.all()
    }
    contest_marks_save(judge=judge, marks=by_participant, by=user)


def test_closing_ranks_and_records_item_20_grades(cast, judges):
    contest, other = _contest(cast, judges)
    me = cast.trainee_in_group_1
    _mark(contest, judges["a1"], {me.pk: "13", other.pk: "10"})
    _mark(contest, judges["a2"], {me.pk: "12", other.pk: "11"})
    _mark(contest, judges["b1"], {me.pk: "10", other.pk: "14"})
    contest_close(contest=contest, by=cast.staff)

    mine = contest.participants.get(trainee=me)
    theirs = contest.participants.get(trainee=other)
    assert mine.result == D("11.5")  # 0.6 × 12.5 + 0.4 × 10
    assert theirs.result == D("11.9")  # 0.6 × 10.5 + 0.4 × 14
    assert (theirs.rank, mine.rank) == (1, 2)
    entry = ScoreEntry.objects.get(trainee=me, source=Source.CONTEST)
    assert entry.item.number == 20
    assert entry.points == D("11.5")
    assert entry.date == DAY


def test_closing_again_changes_nothing_and_adds_no_entries(cast, judges):
    contest, other = _contest(cast, judges)
    for user in judges.values():
        _mark(contest, user, {cast.trainee_in_group_1.pk: "12", other.pk: "9"})
    contest_close(contest=contest, by=cast.staff)
    contest_close(contest=contest, by=cast.staff)
    assert ScoreEntry.objects.filter(source=Source.CONTEST).count() == 2
    assert set(ScoreEntry.objects.values_list("points", flat=True)) == {D("12.0"), D("9.0")}


def test_a_group_contest_gives_every_member_the_groups_result(cast, judges):
    mate = TraineeFactory(camp=cast.camp, group=cast.group_1)
    contest, _ = _contest(
        cast,
        judges,
        kind=ContestKind.GROUPS,
        trainees=[],
        groups=[cast.group_1, cast.group_2],
        judges=[(judges["b1"], JudgeClass.B)],
    )
    _mark(contest, judges["b1"], {cast.group_1.pk: "13.5", cast.group_2.pk: "12"})
    contest_close(contest=contest, by=cast.staff)
    grades = dict(
        ScoreEntry.objects.filter(source=Source.CONTEST).values_list("trainee_id", "points")
    )
    assert grades[cast.trainee_in_group_1.pk] == D("13.5")
    assert grades[mate.pk] == D("13.5")
    assert grades[cast.trainee_in_group_2.pk] == D("12.0")


def test_it_refuses_to_close_before_every_judge_has_marked(cast, judges):
    contest, other = _contest(cast, judges)
    _mark(contest, judges["a1"], {cast.trainee_in_group_1.pk: "12", other.pk: "9"})
    with pytest.raises(ValidationError, match="尚未完成评分"):
        contest_close(contest=contest, by=cast.staff)
    assert not ScoreEntry.objects.exists()


def test_it_refuses_marks_above_15_and_saves_none(cast, judges):
    contest, _other = _contest(cast, judges)
    judge = contest.judges.get(user=judges["a1"])
    participants = list(contest.participants.all())
    with pytest.raises(ValidationError):
        contest_marks_save(
            judge=judge, marks={participants[0].pk: "12", participants[1].pk: "16"}, by=judges["a1"]
        )
    assert not judge.marks.exists()


def test_weights_must_add_up_to_one(cast, judges):
    with pytest.raises(ValidationError, match="权重之和"):
        _contest(cast, judges, weight_a=D("0.7"), weight_b=D("0.4"))


def test_a_judge_sees_only_their_own_marks_until_closed(client, cast, judges):
    contest, other = _contest(cast, judges)
    _mark(contest, judges["a2"], {cast.trainee_in_group_1.pk: "14.5", other.pk: "9.5"})
    client.force_login(judges["a1"])
    page = client.get(reverse("assessment-contest-judge", args=[contest.pk])).content.decode()
    assert "14.5" not in page
    detail = client.get(reverse("assessment-contest", args=[contest.pk])).content.decode()
    assert "14.5" not in detail
    assert 'data-testid="all-marks"' not in detail


def test_a_non_judge_cannot_open_the_marking_page(client, cast, judges):
    contest, _ = _contest(cast, judges)
    for user in (cast.staff, cast.counselor_1, cast.trainee_1):
        client.force_login(user)
        status = client.get(reverse("assessment-contest-judge", args=[contest.pk])).status_code
        assert status in (403, 404)


def test_a_judge_marks_through_the_page(client, cast, judges):
    contest, other = _contest(cast, judges)
    client.force_login(judges["b1"])
    participants = {p.trainee_id: p.pk for p in contest.participants.all()}
    response = client.post(
        reverse("assessment-contest-judge", args=[contest.pk]),
        {
            f"mark_{participants[cast.trainee_in_group_1.pk]}": "12.5",
            f"mark_{participants[other.pk]}": "abc",
        },
    )
    assert response.status_code == 200
    assert "不是有效的分值" in response.content.decode()
    # Each mark is named for whom it marks, for a screen reader and for the arrow keys' grid.
    assert 'aria-label="张三的评分" data-grid-cell' in response.content.decode()
    assert not contest.judges.get(user=judges["b1"]).marks.exists()


def test_only_staff_create_and_close(client, cast, judges):
    contest, _ = _contest(cast, judges)
    for user in (cast.leader, cast.orgdept, cast.counselor_1, cast.trainee_1):
        client.force_login(user)
        assert client.get(reverse("assessment-contest-new", args=["2026"])).status_code == 403
        assert (
            client.post(reverse("assessment-contest-close", args=[contest.pk])).status_code == 403
        )


def test_after_closing_overseers_see_every_mark_and_trainees_the_results(client, cast, judges):
    contest, other = _contest(cast, judges)
    for user, mark in zip(judges.values(), ("14.5", "12", "10"), strict=True):
        _mark(contest, user, {cast.trainee_in_group_1.pk: mark, other.pk: "9"})
    contest_close(contest=contest, by=cast.staff)
    url = reverse("assessment-contest", args=[contest.pk])
    client.force_login(cast.staff)
    page = client.get(url).content.decode()
    assert 'data-testid="all-marks"' in page
    assert "14.5" in page
    client.force_login(cast.trainee_1)
    page = client.get(url).content.decode()
    assert 'data-testid="all-marks"' not in page
    assert "12.0" in page  # 0.6 × 13.25 + 0.4 × 10 = 11.95, half up to 12.0


def test_a_contest_closes_when_a_participant_withdrew_before_its_date(cast, judges):
    contest, other = _contest(cast, judges)
    # `other` left in April; the judges could not mark them on 16 May.
    other.status, other.withdrawn_on = "withdrawn", datetime.date(2026, 4, 30)
    other.save(update_fields=["status", "withdrawn_on"])
    mine = cast.trainee_in_group_1
    for user, mark in ((judges["a1"], 12), (judges["a2"], 12), (judges["b1"], 10)):
        judge = contest.judges.get(user=user)
        participant = contest.participants.get(trainee=mine)
        contest_marks_save(judge=judge, marks={participant.pk: mark}, by=user)

    contest_close(contest=contest, by=cast.staff)

    grades = ScoreEntry.objects.filter(source=Source.CONTEST)
    assert list(grades.values_list("trainee_id", "points")) == [(mine.pk, D("11.2"))]
    assert contest.participants.get(trainee=mine).rank == 1
    assert contest.participants.get(trainee=other).result is None
