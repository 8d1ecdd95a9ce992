"""The camp's cached standing (`camp_standing`, read by the ranking, the group dashboards and every
trainee's page) shows each write once it commits, whichever service made it.

Every test primes the cache, writes through the real service inside
`committed()` (the test's own transaction never commits, so
that is where the services' on-commit version bumps run), then reads again. A service that
forgot to bump would leave the old figures in the cache for FIGURES_TIMEOUT, and the test would
read them. Each test also runs with the cache emptied before every read, through the standing
kept in the database (`reads`)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessment import standing as standing_module
from assessment.models import ContestKind, JudgeClass, Scheme, ScoreEntry
from assessment.score_selectors import (
    camp_ranking,
    camp_standing,
    group_dashboard,
    trainee_standing,
)
from assessment.services.attendance import attendance_deductions_sync
from assessment.services.contests import contest_close, contest_create, contest_marks_save
from assessment.services.entries import (
    score_entry_create,
    score_entry_delete,
    score_entry_update,
)
from assessment.services.grid import grid_save
from assessment.services.scheme import (
    assessment_item_update,
    scheme_activate,
    scheme_deactivate,
)
from assessment.services.submissions import submission_create, submission_grade
from assessment.standing_selectors import scores_as_of
from camp.services.camps import camp_update
from curriculum.models import Attendance, AttendanceStatus
from curriculum.services.attendance import attendance_record
from curriculum.services.calendar import training_day_move, training_days_plan
from tests.factories import (
    CandidateFactory,
    SessionFactory,
    TraineeFactory,
    TrainingDayFactory,
)
from trainees.models import WithdrawalKind
from trainees.services.admission import trainee_admit, trainee_withdraw
from trainees.services.grouping import groups_place, trainee_move

from .conftest import item_of

D = Decimal
MARCH_14 = datetime.date(2026, 3, 14)
END_OF_MARCH = datetime.date(2026, 3, 31)
# Without any entry, a trainee has full marks on the five deduction items (items 1, 2, 11, 12
# and 13) once deductions have started, and nothing else: 20 + 10 + 15 + 10 + 10.
DEDUCTION_MARKS = D("65.0")


@pytest.fixture(autouse=True, params=["cached", "kept"])
def reads(request, monkeypatch):
    """Every test runs twice: reading through the cache as a returning reader does, and with the
    cache emptied before every read (a deploy, a Redis restart in between), so that today's
    standing comes from the one kept in the database (camp/camp_cache.py) whenever the camp
    has not changed since; today is then END_OF_MARCH, the day most tests read."""
    if request.param == "kept":
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kw: END_OF_MARCH)
        cached = standing_module.camp_cached

        def after_an_emptied_cache(**kwargs):
            cache.clear()
            return cached(**kwargs)

        monkeypatch.setattr(standing_module, "camp_cached", after_an_emptied_cache)
    return request.param


def standing(cast, as_of=END_OF_MARCH):
    return camp_standing(cast.camp, as_of)


def score_of(cast, trainee, as_of=END_OF_MARCH):
    return standing(cast, as_of)[trainee.pk]


def record(cast, trainee, number, points, *, day=MARCH_14):
    return score_entry_create(
        trainee=trainee,
        item=item_of(cast.camp, number),
        points=points,
        date=day,
        by=cast.staff,
        reason="发言积极",
    )


# Score entries ---------------------------------------------------------------------------------


def test_the_ranking_shows_a_new_entry_once_it_commits(cast, committed):
    first, second = cast.trainee_in_group_1, cast.trainee_in_group_2
    assert score_of(cast, first).class_rank == score_of(cast, second).class_rank == 1
    assert camp_ranking(cast.camp, as_of=END_OF_MARCH)["class_average"] == DEDUCTION_MARKS

    with committed():
        record(cast, second, 5, "8")

    assert score_of(cast, second).total == DEDUCTION_MARKS + 8
    assert (score_of(cast, second).class_rank, score_of(cast, first).class_rank) == (1, 2)
    assert camp_ranking(cast.camp, as_of=END_OF_MARCH)["class_average"] == D("69.0")


def test_an_edited_entry_shows_its_new_points_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1
    entry = record(cast, trainee, 5, "8")
    assert trainee_standing(trainee, END_OF_MARCH).items[5].score == D("8.0")

    with committed():
        score_entry_update(
            entry=entry,
            points="6",
            date=MARCH_14,
            by=cast.staff,
            reason="核对后更正",
            version=entry.version,
        )

    score = trainee_standing(trainee, END_OF_MARCH)
    assert score.items[5].score == D("6.0")
    assert score.total == DEDUCTION_MARKS + 6


def test_an_entry_moved_after_the_day_leaves_that_days_standing_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1
    entry = record(cast, trainee, 5, "8")
    assert score_of(cast, trainee).items[5].score == D("8.0")

    with committed():
        score_entry_update(
            entry=entry,
            points="8",
            date=datetime.date(2026, 4, 11),
            by=cast.staff,
            reason="日期录错",
            version=entry.version,
        )

    assert score_of(cast, trainee).items[5].score is None
    assert score_of(cast, trainee).total == DEDUCTION_MARKS


def test_a_deleted_entry_leaves_the_standing_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1
    entry = record(cast, trainee, 5, "8")
    assert score_of(cast, trainee).total == DEDUCTION_MARKS + 8

    with committed():
        score_entry_delete(entry=entry, by=cast.staff, reason="录错学员", version=entry.version)

    assert score_of(cast, trainee).items[5].score is None
    assert score_of(cast, trainee).total == DEDUCTION_MARKS


# Fast entry ------------------------------------------------------------------------------------


def test_a_saved_grid_shows_in_the_group_dashboard_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1

    def dashboard_total():
        rows = group_dashboard(cast.group_1, END_OF_MARCH)["rows"]
        return next(row["score"].total for row in rows if row["trainee"].pk == trainee.pk)

    assert dashboard_total() == DEDUCTION_MARKS

    with committed():
        grid_save(
            group=cast.group_1,
            item=item_of(cast.camp, 2),
            day=MARCH_14,
            values={trainee.pk: "1.5"},
            versions={trainee.pk: 0},
            by=cast.staff,
            reason="3月14日课堂纪律",
        )

    assert dashboard_total() == DEDUCTION_MARKS - D("1.5")
    assert score_of(cast, trainee).items[2].score == D("8.5")


def test_a_cleared_grid_cell_leaves_the_standing_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1
    grid = {"group": cast.group_1, "item": item_of(cast.camp, 2), "day": MARCH_14}
    grid_save(
        **grid,
        values={trainee.pk: "1.5"},
        versions={trainee.pk: 0},
        by=cast.staff,
        reason="课堂纪律",
    )
    assert score_of(cast, trainee).items[2].score == D("8.5")

    with committed():
        grid_save(
            **grid,
            values={trainee.pk: ""},
            versions={trainee.pk: 1},
            by=cast.staff,
            reason="误扣，清空",
        )

    assert score_of(cast, trainee).items[2].score == D("10.0")


# Attendance ------------------------------------------------------------------------------------


@pytest.fixture
def session(cast):
    """A morning session on 14 March, the camp's only (so first) training day."""
    day = TrainingDayFactory(camp=cast.camp, slot_date=MARCH_14)
    return SessionFactory(training_day=day)


def test_attendance_deductions_show_once_the_sync_commits(cast, session, committed):
    trainee = cast.trainee_in_group_1
    Attendance.objects.create(session=session, trainee=trainee, status=AttendanceStatus.ABSENT)
    assert score_of(cast, trainee).total == DEDUCTION_MARKS

    with committed():
        attendance_deductions_sync(camp=cast.camp, by=cast.staff, today=END_OF_MARCH)

    score = score_of(cast, trainee)
    assert (score.items[1].score, score.items[12].score) == (D("18.0"), D("8.0"))
    assert score.total == DEDUCTION_MARKS - 4


def test_an_absence_recorded_for_a_session_shows_as_deductions_once_it_commits(
    cast, session, committed
):
    """Recording attendance commits first; the deductions are synced by the hook that runs on
    that commit, and show once the sync's own transaction commits."""
    trainee = cast.trainee_in_group_1
    assert score_of(cast, trainee).total == DEDUCTION_MARKS

    with committed():
        attendance_record(
            session=session, marks={trainee.pk: AttendanceStatus.ABSENT}, by=cast.staff
        )

    assert score_of(cast, trainee).total == DEDUCTION_MARKS - 4
    assert score_of(cast, cast.trainee_in_group_2).total == DEDUCTION_MARKS


# Contests and submissions ----------------------------------------------------------------------


def contest_between(cast, trainees, marks):
    """A contest of `trainees` on 16 May, marked by one judge of each class with
    marks[trainee pk]."""
    judges = [(cast.leader, JudgeClass.A), (cast.orgdept, JudgeClass.B)]
    contest = contest_create(
        camp=cast.camp,
        title="项目路演擂台赛",
        date=datetime.date(2026, 5, 16),
        kind=ContestKind.TRAINEES,
        trainees=trainees,
        judges=judges,
        by=cast.staff,
    )
    for user, _judge_class in judges:
        judge = contest.judges.get(user=user)
        contest_marks_save(
            judge=judge,
            marks={p.pk: marks[p.trainee_id] for p in contest.participants.all()},
            by=user,
        )
    return contest


def test_closing_a_contest_shows_its_grades_once_it_commits(cast, committed):
    first, second = cast.trainee_in_group_1, cast.trainee_in_group_2
    contest = contest_between(cast, [first, second], {first.pk: "12", second.pk: "14"})
    may = datetime.date(2026, 5, 31)
    assert score_of(cast, second, may).items[20].score is None

    with committed():
        contest_close(contest=contest, by=cast.staff)

    assert score_of(cast, first, may).items[20].score == D("12.0")
    assert score_of(cast, second, may).items[20].score == D("14.0")
    assert (score_of(cast, second, may).class_rank, score_of(cast, first, may).class_rank) == (1, 2)


def test_a_graded_submission_shows_once_it_commits(cast, committed):
    trainee = cast.trainee_in_group_1
    submission = submission_create(
        trainee=trainee,
        item=item_of(cast.camp, 4),
        by=cast.trainee_1,
        text="本月学习心得……",
        period=datetime.date(2026, 3, 1),
    )
    assert score_of(cast, trainee).items[4].score is None

    with committed():
        submission_grade(submission=submission, points="17.5", comment="联系实际", by=cast.staff)

    assert score_of(cast, trainee).items[4].score == D("17.5")
    assert score_of(cast, trainee).total == DEDUCTION_MARKS + D("17.5")


# The scheme ------------------------------------------------------------------------------------


@pytest.fixture
def draft_scheme(cast):
    """The cast's scheme set back to draft, as staff do before scoring starts to edit it."""
    return scheme_deactivate(scheme=Scheme.objects.get(camp=cast.camp), by=cast.staff)


def test_a_new_maximum_on_a_draft_scheme_shows_once_it_commits(cast, draft_scheme, committed):
    trainee = cast.trainee_in_group_1
    assert score_of(cast, trainee).items[2].score == D("10.0")

    with committed():
        assessment_item_update(
            item=item_of(cast.camp, 2), data={"max_points": D("12.0")}, by=cast.staff
        )

    score = score_of(cast, trainee)
    assert score.items[2].score == D("12.0")
    assert score.total == DEDUCTION_MARKS + 2
    assert score.assessed_points == DEDUCTION_MARKS + 2


def test_a_redrafted_scheme_shows_its_new_items_once_it_is_activated(cast, draft_scheme, committed):
    """Staff's whole round: move five points from a graded item to a deduction item (300 in
    all, so it may be activated), then activate. Activation itself changes nothing the
    standing reads (the items count whatever the scheme's status): the figures must come out
    of the round equal to a live computation."""
    trainee = cast.trainee_in_group_1
    assert score_of(cast, trainee).total == DEDUCTION_MARKS

    with committed():
        assessment_item_update(
            item=item_of(cast.camp, 2), data={"max_points": D("15.0")}, by=cast.staff
        )
        assessment_item_update(
            item=item_of(cast.camp, 5), data={"max_points": D("5.0")}, by=cast.staff
        )
        scheme_activate(scheme=draft_scheme, by=cast.staff)

    assert score_of(cast, trainee).total == DEDUCTION_MARKS + 5
    live = scores_as_of(camp=cast.camp, as_of=END_OF_MARCH)
    assert {pk: s.total for pk, s in standing(cast).items()} == {
        pk: s.total for pk, s in live.items()
    }


# Trainees --------------------------------------------------------------------------------------


def test_an_admitted_trainee_joins_the_ranking_once_it_commits(cast, committed):
    candidate = CandidateFactory(camp=cast.camp)
    assert camp_ranking(cast.camp, as_of=END_OF_MARCH)["groups"][0]["n"] == 1
    known = set(standing(cast))

    with committed():
        trainee = trainee_admit(
            candidate=candidate,
            by=cast.staff,
            reason="破格录取",
            username="t900",
            admitted_on=datetime.date(2026, 1, 5),
        )

    assert set(standing(cast)) == known | {trainee.pk}
    assert score_of(cast, trainee).ranked
    assert score_of(cast, trainee).class_rank == 1  # level with everyone: no entries yet


def test_a_withdrawn_trainee_is_no_longer_ranked_once_it_commits(cast, committed):
    leaving, staying = cast.trainee_in_group_1, cast.trainee_in_group_2
    record(cast, staying, 5, "8")
    assert score_of(cast, leaving).ranked
    assert camp_ranking(cast.camp, as_of=END_OF_MARCH)["class_average"] == D("69.0")

    with committed():
        trainee_withdraw(
            trainee=leaving,
            kind=WithdrawalKind.PROMOTED,
            reason="提拔任职",
            on=datetime.date(2026, 3, 20),
            by=cast.staff,
        )

    score = score_of(cast, leaving)
    assert not score.ranked
    assert (score.class_rank, score.group_rank) == (None, None)
    assert camp_ranking(cast.camp, as_of=END_OF_MARCH)["class_average"] == D("73.0")
    # Days before the withdrawal still rank them.
    assert score_of(cast, leaving, datetime.date(2026, 3, 19)).ranked


def test_a_trainee_moved_to_another_group_is_ranked_in_it_once_it_commits(cast, committed):
    moving = cast.trainee_in_group_1
    record(cast, cast.trainee_in_group_2, 5, "8")
    assert (score_of(cast, moving).group_id, score_of(cast, moving).group_rank) == (
        cast.group_1.pk,
        1,
    )

    with committed():
        trainee_move(
            trainee=moving,
            to_group=cast.group_2,
            by=cast.staff,
            reason="便于参加调研",
            effective_on=datetime.date(2026, 3, 1),
        )

    assert (score_of(cast, moving).group_id, score_of(cast, moving).group_rank) == (
        cast.group_2.pk,
        2,
    )
    # Before the move took effect they still rank in their old group.
    february = score_of(cast, moving, datetime.date(2026, 2, 28))
    assert (february.group_id, february.group_rank) == (cast.group_1.pk, 1)
    groups = {g["group"].pk: g for g in camp_ranking(cast.camp, as_of=END_OF_MARCH)["groups"]}
    assert (groups[cast.group_1.pk]["n"], groups[cast.group_2.pk]["n"]) == (0, 2)


def test_trainees_placed_in_groups_are_ranked_in_them_once_it_commits(cast, committed):
    newcomer = TraineeFactory(camp=cast.camp, group=None)
    assert (score_of(cast, newcomer).group_id, score_of(cast, newcomer).group_rank) == (None, None)

    with committed():
        groups_place(camp=cast.camp, by=cast.staff)

    newcomer.refresh_from_db()
    assert newcomer.group_id is not None
    assert score_of(cast, newcomer).group_id == newcomer.group_id
    assert score_of(cast, newcomer).group_rank == 1


# Training days ---------------------------------------------------------------------------------


def test_moving_the_first_training_day_later_postpones_the_deductions_once_it_commits(
    cast, committed
):
    day = TrainingDayFactory(camp=cast.camp, slot_date=MARCH_14)
    trainee = cast.trainee_in_group_1
    on = datetime.date(2026, 3, 20)
    assert score_of(cast, trainee, on).total == DEDUCTION_MARKS

    with committed():
        training_day_move(
            day=day,
            to_date=datetime.date(2026, 3, 28),
            by=cast.staff,
            reason="市里重要会议",
            today=datetime.date(2026, 3, 1),
        )

    score = score_of(cast, trainee, on)
    assert score.items[1].score is None  # not yet assessed: training has not begun
    assert score.total == D("0.0")


def test_a_replacement_counts_deductions_from_their_first_training_day_as_a_member(cast):
    """Admitted between two training days, a trainee's deduction items begin (and enter the
    assessed points) on the next one, not on the camp's first."""
    TrainingDayFactory(camp=cast.camp, slot_date=MARCH_14)
    TrainingDayFactory(camp=cast.camp, slot_date=datetime.date(2026, 3, 28))
    newcomer = TraineeFactory(
        camp=cast.camp, group=cast.group_1, admitted_on=datetime.date(2026, 3, 20)
    )
    waiting = score_of(cast, newcomer, datetime.date(2026, 3, 27))
    assert waiting.items[1].score is None
    assert waiting.total == D("0.0")
    assert waiting.assessed_points == 0
    assert score_of(cast, cast.trainee_in_group_1, datetime.date(2026, 3, 27)).total == (
        DEDUCTION_MARKS
    )
    assert score_of(cast, newcomer, datetime.date(2026, 3, 28)).total == DEDUCTION_MARKS


def test_planning_the_training_days_starts_the_deductions_on_the_first_one_once_it_commits(
    cast, committed
):
    """Without training days deductions count from the camp's start (1 January); the plan's
    first day is the second Saturday of January."""
    trainee = cast.trainee_in_group_1
    on = datetime.date(2026, 1, 5)
    assert score_of(cast, trainee, on).total == DEDUCTION_MARKS

    with committed():
        training_days_plan(camp=cast.camp, by=cast.staff)

    assert cast.camp.training_days.order_by("date").first().date == datetime.date(2026, 1, 10)
    assert score_of(cast, trainee, on).total == D("0.0")


def test_a_later_start_month_postpones_the_deductions_once_it_commits(cast, committed):
    """Before the year is planned, deductions count from the camp's start date."""
    trainee = cast.trainee_in_group_1
    on = datetime.date(2026, 2, 15)
    assert score_of(cast, trainee, on).total == DEDUCTION_MARKS

    with committed():
        camp_update(camp=cast.camp, data={"start_month": 3})

    assert score_of(cast, trainee, on).total == D("0.0")


# A write that does not commit ------------------------------------------------------------------


@pytest.mark.parametrize("warm", [True, False], ids=["cache-warm", "cache-empty"])
def test_a_rolled_back_write_leaves_the_cached_standing_valid(cast, committed, warm):
    """One unit of work records a grade, reads the standing, then records an award the service
    refuses (over item 17's 5-point cap): everything rolls back, the requested bump with it.
    Inside, the unit reads its own grade, computed live and never stored (other processes must
    not see it, and it must not outlive the rollback); outside, the cache serves the committed
    figures, whether it was warm or empty before, and the next committed write still shows."""
    trainee = cast.trainee_in_group_1
    live = scores_as_of(camp=cast.camp, as_of=END_OF_MARCH)
    before = {pk: (s.total, s.class_rank) for pk, s in live.items()}
    if warm:
        standing(cast)

    @transaction.atomic
    def grade_then_award_over_the_cap():
        record(cast, trainee, 5, "8")
        assert score_of(cast, trainee).total == DEDUCTION_MARKS + 8
        record(cast, trainee, 17, "6")

    with (
        committed(),
        pytest.raises(ValidationError, match="加分将超过"),
    ):
        grade_then_award_over_the_cap()

    assert not ScoreEntry.objects.exists()
    assert {pk: (s.total, s.class_rank) for pk, s in standing(cast).items()} == before

    with committed():
        record(cast, trainee, 5, "8")

    assert score_of(cast, trainee).total == DEDUCTION_MARKS + 8


# Through the pages -----------------------------------------------------------------------------


def ranking_row(html: str, name: str) -> str:
    """The ranking table's row of the trainee called `name`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if f">{name}</a>" in row]
    assert len(rows) == 1, rows
    return rows[0]


def test_the_ranking_page_shows_a_total_recorded_through_the_entry_form(client, cast, committed):
    trainee = cast.trainee_in_group_1
    client.force_login(cast.staff)
    ranking_url = reverse("assessment-ranking", args=[cast.camp.code])
    before = score_of(cast, trainee, timezone.localdate()).total
    page = client.get(ranking_url).content.decode()
    assert f">{before}</td>" in ranking_row(page, "张三")

    with committed():
        response = client.post(
            reverse("assessment-entry-new", args=[trainee.pk]),
            {
                "item": item_of(cast.camp, 5).pk,
                "points": "8",
                "date": timezone.localdate().isoformat(),
                "reason": "研讨发言",
            },
        )
    assert response.status_code == 302, response.content.decode()

    page = client.get(ranking_url).content.decode()
    assert f">{before + 8}</td>" in ranking_row(page, "张三")


def test_the_ranking_stays_whole_but_finds_a_name_by_fragment_or_initials(cast):
    from tests.factories import PersonFactory, TraineeFactory

    TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="张华生"))
    for typed in ("zhs", "华生", "张华生"):
        rows = camp_ranking(cast.camp, as_of=END_OF_MARCH, query=typed)["rows"]
        assert [row["name"] for row in rows] == ["张华生"]
