"""Random small camp years, driven through the app's services, against a plain recomputation.

Each example is a year from January to April of the cast's camp: the two cast trainees and up
to three more, admitted on 1 January or later as replacements, in groups 1 and 2, with
back-dated group moves, withdrawals, approved leave (closed in time), unexcused absences,
entries by hand on a graded monthly item, a graded once-only item, a deduction item and a
bonus item, re-grades of a cell, and group contests (an A and a B judge; every member of a
group on the contest's date gets its result). The app then computes every month's summary and the
ranking workbook. The expected figures are computed here from assessment-scheme.md alone
(its item table, "How an item is scored", "Rounding", "Ranking", "Membership and dates",
"Rates" and the attendance table): this module never calls the app's scoring code. The live
ranking's group averages as of each month's end are checked too.

Not generated (and so not checked here): individual contests, lateness, leave closed late, rows of
trainees before their admission, and the change column for a trainee admitted since the
previous month. Withdrawals never fall on a month's last day (the scheme counts a member on
the day of withdrawal; the ranking excludes them from that day).

Examples: 25 by default; `HYPOTHESIS_PROFILE=long` runs 200.
"""

from __future__ import annotations

import datetime
import io
import os
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from assessment.models import (
    AssessmentItem,
    ClassMonthlySummary,
    ContestKind,
    GroupMonthlySummary,
    JudgeClass,
    MonthlySummaryRow,
)
from assessment.score_selectors import camp_ranking
from assessment.services.attendance import attendance_deductions_sync
from assessment.services.contests import contest_close, contest_create, contest_marks_save
from assessment.services.entries import score_entry_create
from assessment.services.summaries import monthly_summary_compute
from camp.workbooks import ExportRequest, build_export
from curriculum.models import AttendanceStatus
from curriculum.services.attendance import attendance_record
from curriculum.services.calendar import training_days_plan
from curriculum.services.leave import leave_close, leave_request
from tests.factories import SessionFactory, TraineeFactory
from trainees.models import WithdrawalKind
from trainees.services.admission import trainee_withdraw
from trainees.services.grouping import trainee_move

EXAMPLES = 200 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 25
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 5, 6, 10, tzinfo=SHANGHAI)
MONTH_ENDS = [
    datetime.date(2026, 1, 31),
    datetime.date(2026, 2, 28),
    datetime.date(2026, 3, 31),
    datetime.date(2026, 4, 30),
]
TENTH = Decimal("0.1")

# The scheme's item table: number → (max, kind).
# fmt: off
ITEMS = {
    1: (20, "deduction"), 2: (10, "deduction"), 3: (10, "graded"), 4: (20, "graded"),
    5: (10, "graded"), 6: (10, "graded"), 7: (10, "graded"), 8: (20, "graded"),
    9: (20, "graded"), 10: (10, "graded"), 11: (15, "deduction"), 12: (10, "deduction"),
    13: (10, "deduction"), 14: (10, "graded"), 15: (10, "graded"), 16: (10, "graded"),
    17: (5, "bonus"), 18: (20, "graded"), 19: (15, "graded"), 20: (15, "graded"),
    21: (5, "graded"), 22: (5, "graded"), 23: (5, "graded"), 24: (5, "bonus"),
    25: (5, "bonus"), 26: (15, "graded"),
}
# fmt: on
# The attendance table: an unexcused absence deducts 2 on item 1 and 2 on item 12 per
# half-day; approved leave 0.5 on item 1 per half-day session it covers that took place.
ABSENCE = {1: Decimal(2), 12: Decimal(2)}
LEAVE = Decimal("0.5")
# Items entered by hand here, with the period that makes their cell.
HAND_ITEMS = {4: "month", 8: "once", 13: "date", 17: "date"}


def half_up(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class Person:
    """One trainee's year as generated."""

    admitted_on: datetime.date
    first_group: int  # 0 or 1: group 1 or 2
    moves: list[tuple[datetime.date, int]] = field(default_factory=list)
    withdrawn_on: datetime.date | None = None
    absences: list[int] = field(default_factory=list)  # session indexes
    leaves: list[int] = field(default_factory=list)  # session indexes (mornings)
    entries: list[tuple[int, datetime.date, Decimal]] = field(default_factory=list)

    def member_on(self, day: datetime.date) -> bool:
        return self.admitted_on <= day and (self.withdrawn_on is None or day <= self.withdrawn_on)

    def ranked_on(self, day: datetime.date) -> bool:
        # Not ranked after withdrawal; withdrawals never fall on a month's end here.
        return self.member_on(day)

    def group_on(self, day: datetime.date) -> int | None:
        if day < self.admitted_on:
            return None
        group = self.first_group
        for effective_on, to_group in self.moves:
            if effective_on <= day:
                group = to_group
        return group


@dataclass
class Year:
    people: list[Person]
    # Group contests: (date, {group index: (A judge's mark, B judge's mark)}).
    contests: list[tuple[datetime.date, dict[int, tuple[Decimal, Decimal]]]] = field(
        default_factory=list
    )


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


@st.composite
def years(draw, training_days: list[datetime.date], sessions: list[tuple[datetime.date, str]]):
    first_day, last_day = training_days[0], MONTH_ENDS[-1]
    replacements = draw(st.integers(min_value=0, max_value=3))
    admissions = [datetime.date(2026, 1, 1)] * 2 + [
        draw(st.sampled_from([datetime.date(2026, 1, 1), *training_days[1:]]))
        for _ in range(replacements)
    ]
    people = []
    for index, admitted_on in enumerate(admissions):
        person = Person(
            admitted_on=admitted_on,
            first_group=index if index < 2 else draw(st.integers(0, 1)),
        )
        # The first day the person's records may carry (entries start at the first training day).
        start = max(admitted_on, first_day)
        if draw(st.booleans()) and draw(st.booleans()):
            options = [d for d in _days(start, last_day) if d not in MONTH_ENDS and d > start]
            person.withdrawn_on = draw(st.sampled_from(options))
        end = person.withdrawn_on or last_day
        member_days = _days(start, end)
        # Back-dated moves: dates in order, each to the other group.
        dates = sorted(
            draw(st.lists(st.sampled_from(_days(admitted_on, end)), max_size=2, unique=True))
        )
        group = person.first_group
        for effective_on in dates:
            group = 1 - group
            person.moves.append((effective_on, group))
        for index_, (day, half) in enumerate(sessions):
            if not person.member_on(day):
                continue
            what = draw(st.sampled_from(["", "", "", "absent", "leave"]))
            if what == "absent":
                person.absences.append(index_)
            elif what == "leave" and half == "morning":
                person.leaves.append(index_)
        for _ in range(draw(st.integers(0, 5))):
            number = draw(st.sampled_from(sorted(HAND_ITEMS)))
            if number == 17 and sum(1 for e in person.entries if e[0] == 17) >= 2:
                continue  # awards above the cap are refused: two of at most 2 fit under 5
            maximum = ITEMS[number][0]
            top = {"graded": maximum, "deduction": 6, "bonus": 2}[ITEMS[number][1]]
            points = Decimal(draw(st.integers(0 if number in (4, 8) else 1, top * 2))) / 2
            person.entries.append((number, draw(st.sampled_from(member_days)), points))
        people.append(person)
    marks = st.integers(0, 30).map(lambda n: Decimal(n) / 2)  # 0 to 15 by halves
    contests = [
        (
            draw(st.sampled_from(_days(first_day, last_day))),
            {group: (draw(marks), draw(marks)) for group in (0, 1)},
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return Year(people=people, contests=contests)


# The recomputation --------------------------------------------------------------------------


def _cells(person: Person) -> dict[tuple, tuple[datetime.date, Decimal]]:
    """Each hand cell: (item, period) → (the date of its first entry, the last value)."""
    cells: dict[tuple, tuple[datetime.date, Decimal]] = {}
    for number, day, points in person.entries:
        period = {"month": (day.year, day.month), "once": None, "date": day}[HAND_ITEMS[number]]
        key = (number, period)
        cells[key] = (cells[key][0] if key in cells else day, points)
    return cells


def contest_grade(a: Decimal, b: Decimal) -> Decimal:
    """Scheme, contests: 0.6 × mean(A) + 0.4 × mean(B), rounded to 0.1 (one judge a class)."""
    return half_up(Decimal("0.6") * a + Decimal("0.4") * b)


def expected_score(
    person: Person, day: datetime.date, sessions, contests=()
) -> tuple[Decimal, Decimal]:
    """(total, assessed points) as of `day`, from the scheme."""
    deducted: dict[int, Decimal] = defaultdict(Decimal)
    graded: dict[int, list[Decimal]] = defaultdict(list)
    bonus: dict[int, Decimal] = defaultdict(Decimal)
    # A group contest grades every member of the group on its date (item 20, one cell each).
    for date, results in contests:
        if date <= day and person.member_on(date):
            graded[20].append(contest_grade(*results[person.group_on(date)]))
    for index in person.absences:
        if sessions[index][0] <= day:
            for number, points in ABSENCE.items():
                deducted[number] += points
    for index in person.leaves:
        if sessions[index][0] <= day:
            deducted[1] += LEAVE
    for (number, _period), (date, points) in _cells(person).items():
        if date > day:
            continue
        kind = ITEMS[number][1]
        if kind == "graded":
            graded[number].append(points)
        elif kind == "deduction":
            deducted[number] += points
        else:
            bonus[number] += points
    total = assessed = Decimal(0)
    for number, (maximum, kind) in ITEMS.items():
        if kind == "deduction":  # every month's end here is after the first training day
            score = max(Decimal(0), maximum - deducted[number])
        elif kind == "graded":
            if not graded[number]:
                continue  # not yet assessed
            score = sum(graded[number]) / len(graded[number])
        else:
            if number not in bonus:
                continue  # no award yet
            score = min(Decimal(maximum), bonus[number])
        total += half_up(score)
        assessed += maximum
    return total, assessed


def shared_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    return {pk: 1 + sum(1 for other in totals.values() if other > t) for pk, t in totals.items()}


def mean(values: list[Decimal]) -> Decimal | None:
    return half_up(sum(values) / len(values)) if values else None


def median(values: list[Decimal]) -> Decimal | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    return half_up((ordered[(n - 1) // 2] + ordered[n // 2]) / 2)


# Driving the app ----------------------------------------------------------------------------


def _play(cast, year: Year, days, sessions) -> list:
    """Record the year through the services; returns the trainees, in the year's order."""
    camp, staff = cast.camp, cast.staff
    groups = [cast.group_1, cast.group_2]
    trainees = []
    for index, person in enumerate(year.people):
        if index < 2:
            trainee = [cast.trainee_in_group_1, cast.trainee_in_group_2][index]
        else:
            trainee = TraineeFactory(camp=camp, admitted_on=person.admitted_on)
            trainee_move(
                trainee=trainee,
                to_group=groups[person.first_group],
                by=staff,
                reason="递补入营分组",
                effective_on=person.admitted_on,
            )
        for effective_on, group in person.moves:
            trainee_move(
                trainee=trainee,
                to_group=groups[group],
                by=staff,
                reason="工作调整",
                effective_on=effective_on,
            )
        trainees.append(trainee)
    for person, trainee in zip(year.people, trainees, strict=True):
        for index in person.leaves:
            session = sessions[index]
            leave = leave_request(
                trainee=trainee,
                training_day=session.training_day,
                half_day="morning",
                reason="单位工作",
                by=staff,
                approve=True,
            )
            evening = datetime.datetime.combine(session.date, datetime.time(18), SHANGHAI)
            with time_machine.travel(evening, tick=False):
                leave_close(leave=leave, by=staff)
        for index in person.absences:
            attendance_record(
                session=sessions[index], marks={trainee.pk: AttendanceStatus.ABSENT}, by=staff
            )
        for number, day, points in person.entries:
            score_entry_create(
                trainee=trainee,
                item=days["items"][number],
                points=points,
                date=day,
                by=staff,
                reason="随机生成",
                seen_version=None,
            )
    for person, trainee in zip(year.people, trainees, strict=True):
        if person.withdrawn_on is not None:
            trainee_withdraw(
                trainee=trainee,
                kind=WithdrawalKind.LEFT,
                reason="工作调动",
                on=person.withdrawn_on,
                by=staff,
            )
    # After the withdrawals: closing grades the groups' members on the contest's date.
    for date, results in year.contests:
        contest = contest_create(
            camp=camp,
            title="项目路演擂台赛",
            date=date,
            kind=ContestKind.GROUPS,
            groups=groups,
            judges=[(staff, JudgeClass.A), (cast.orgdept, JudgeClass.B)],
            by=staff,
        )
        participants = {p.group_id: p.pk for p in contest.participants.all()}
        for judge in contest.judges.select_related("user"):
            which = 0 if judge.judge_class == JudgeClass.A else 1
            contest_marks_save(
                judge=judge,
                marks={participants[g.pk]: results[i][which] for i, g in enumerate(groups)},
                by=judge.user,
            )
        contest_close(contest=contest, by=staff)
    attendance_deductions_sync(camp=camp, today=TODAY.date())
    return trainees


def _check_month(cast, year: Year, trainees, end: datetime.date, sessions_at) -> None:
    month = end.replace(day=1)
    groups = [cast.group_1, cast.group_2]
    scores = {
        trainee.pk: expected_score(person, end, sessions_at, year.contests)
        for person, trainee in zip(year.people, trainees, strict=True)
    }
    people = dict(zip([t.pk for t in trainees], year.people, strict=True))
    ranked = {pk: scores[pk][0] for pk, person in people.items() if person.ranked_on(end)}
    class_ranks = shared_ranks(ranked)
    by_group: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pk, total in ranked.items():
        by_group[groups[people[pk].group_on(end)].pk][pk] = total
    group_ranks = {pk: r for totals in by_group.values() for pk, r in shared_ranks(totals).items()}

    rows = {row.trainee_id: row for row in MonthlySummaryRow.objects.filter(month=month)}
    for pk, person in people.items():
        row = rows.get(pk)
        if pk not in ranked:
            assert row is None or row.class_rank is None, (end, pk)
            continue
        group = groups[person.group_on(end)].pk
        assert (row.total, row.assessed_points) == scores[pk], (end, pk)
        assert row.theory + row.party_spirit + row.capability == row.total
        assert (row.class_rank, row.group_id, row.group_rank) == (
            class_ranks[pk],
            group,
            group_ranks[pk],
        ), (end, pk)

    published = {g.group_id: g for g in GroupMonthlySummary.objects.filter(month=month)}
    assert set(published) == set(by_group), end
    for group_id, totals in by_group.items():
        figures = published[group_id]
        assert figures.trainee_count == len(totals)
        assert figures.average_total == mean(list(totals.values())), (end, group_id)

    # The live ranking as of the month's end gives the same group averages and head counts.
    live = {g["group"].pk: g for g in camp_ranking(cast.camp, as_of=end)["groups"]}
    for group in groups:
        totals = list(by_group.get(group.pk, {}).values())
        assert (live[group.pk]["n"], live[group.pk]["average"]) == (len(totals), mean(totals))

    klass = ClassMonthlySummary.objects.get(month=month)
    totals = list(ranked.values())
    assert klass.trainee_count == len(totals)
    assert klass.average_total == mean(totals)
    assert klass.median_total == median(totals)
    extremes = (max(totals), min(totals)) if totals else (None, None)
    assert (klass.highest_total, klass.lowest_total) == extremes
    bands = [
        sum(1 for t in totals if low <= t and (t <= 300 if low == 270 else t < low + 30))
        for low in range(0, 300, 30)
    ]
    assert [band["count"] for band in klass.distribution] == bands

    if end != MONTH_ENDS[-1]:
        return
    # The last month's ranking workbook (one is enough, and a workbook is the slowest part):
    # the class sheet's ranked rows and the group sheet's.
    workbook, _name = build_export(
        "ranking", ExportRequest(camp=cast.camp, user=cast.staff, month=month)
    )
    book = load_workbook(io.BytesIO(_bytes(workbook)))
    labels = {g.pk: str(g) for g in groups}
    names = {t.pk: t.person.name for t in trainees}
    klass_sheet = [r for r in book["班级排名"].iter_rows(min_row=3, values_only=True) if r[0]]
    expected = sorted(
        (class_ranks[pk], labels[groups[people[pk].group_on(end)].pk], names[pk], float(t))
        for pk, t in ranked.items()
    )
    assert sorted((r[0], r[1], r[2], float(r[3])) for r in klass_sheet) == expected
    group_sheet = [r for r in book["小组排名"].iter_rows(min_row=3, values_only=True) if r[1]]
    expected = sorted(
        (labels[group_id], group_ranks[pk], names[pk], float(t))
        for group_id, members in by_group.items()
        for pk, t in members.items()
    )
    assert sorted((r[0], r[1], r[2], float(r[3])) for r in group_sheet) == expected


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(cast):
    """The camp's training days with a morning session on each of January to April's, and an
    afternoon one on two of them."""
    with time_machine.travel(TODAY, tick=False):
        training_days_plan(camp=cast.camp, by=cast.staff)
    days = list(cast.camp.training_days.filter(date__lte=MONTH_ENDS[-1]).order_by("date"))
    sessions = [SessionFactory(training_day=day) for day in days]
    for day in days[1:3]:
        sessions.append(
            SessionFactory(
                training_day=day,
                half_day="afternoon",
                start_time=datetime.time(14),
                end_time=datetime.time(16),
            )
        )
    sessions.sort(key=lambda s: (s.date, s.half_day != "morning"))
    items = {i.number: i for i in AssessmentItem.objects.filter(scheme__camp=cast.camp)}
    return {"days": [d.date for d in days], "sessions": sessions, "items": items}


def test_published_figures_equal_the_schemes_arithmetic(cast, plan):
    sessions = plan["sessions"]
    shape = [(s.date, s.half_day) for s in sessions]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=EXAMPLES == 25,
    )
    @given(year=years(plan["days"], shape))
    def check(year: Year) -> None:
        with time_machine.travel(TODAY, tick=False), transaction.atomic():
            trainees = _play(cast, year, plan, sessions)
            for end in MONTH_ENDS:
                monthly_summary_compute(camp=cast.camp, month=end.replace(day=1))
            for end in MONTH_ENDS:
                _check_month(cast, year, trainees, end, shape)
            transaction.set_rollback(True)
        for trainee in (cast.trainee_in_group_1, cast.trainee_in_group_2):
            trainee.refresh_from_db()

    check()
