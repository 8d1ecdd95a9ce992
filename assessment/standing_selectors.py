"""A camp's scores from the database: the scheme's items, the training days, the entries
aggregated per trainee and item in one grouped query (up to one day, or two at once), and every
trainee's score as of a day, ranked in class and group. The arithmetic that turns the aggregates
into scores is assessment/scoring.py's.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Min, Q, Sum, When

from camp.models import Camp
from trainees.models import Trainee, group_on

from .models import AssessmentItem, ScoreEntry
from .rates import mean
from .scoring import (
    CATEGORIES,
    SUM_FIELD,
    ItemRule,
    Scorer,
    TraineeScore,
    is_ranked_on,
    round_points,
    shared_ranks,
)


def _item_rules_with_pks(camp: Camp) -> list[tuple[int, ItemRule]]:
    return [
        (pk, ItemRule(number, category, kind, max_points))
        for pk, number, category, kind, max_points in AssessmentItem.objects.filter(
            scheme__camp=camp
        )
        .order_by("number")
        .values_list("pk", "number", "category", "kind", "max_points")
    ]


def first_training_day(camp: Camp) -> datetime.date:
    """The camp's first training day from the curriculum, or its start date without one."""
    from curriculum.models import TrainingDay

    first = TrainingDay.objects.filter(camp=camp).aggregate(first=Min("date"))["first"]
    return first or camp.start_date


def training_day_dates(camp: Camp) -> list[datetime.date]:
    """The camp's training days, in order (one query)."""
    from curriculum.models import TrainingDay

    return list(
        TrainingDay.objects.filter(camp=camp).order_by("date").values_list("date", flat=True)
    )


def deductions_start(
    camp: Camp, days: list[datetime.date], admitted_on: datetime.date
) -> datetime.date:
    """The day a trainee's deduction items begin to count (and to enter assessed points): their
    first training day as a member (scheme: "Membership and dates"), the camp's first for
    those admitted before it. Without a plan, the later of the camp's start and the
    admission; with a plan but no training day left after the admission, never."""
    if not days:
        return max(camp.start_date, admitted_on)
    index = bisect.bisect_left(days, admitted_on)
    return days[index] if index < len(days) else datetime.date.max


def camp_span(camp: Camp) -> tuple[datetime.date, datetime.date]:
    """The days an entry may carry: the camp's first to last training day (its start and end
    months while it has no plan). Scheme: an entry outside them is refused."""
    from curriculum.models import TrainingDay

    span = TrainingDay.objects.filter(camp=camp).aggregate(first=Min("date"), last=Max("date"))
    return span["first"] or camp.start_date, span["last"] or camp.end_date


def _camp_entries(*, camp: Camp, as_of, trainee_ids, item_numbers):
    if item_numbers is None:
        item_numbers = {pk: rule.number for pk, rule in _item_rules_with_pks(camp)}
    entries = ScoreEntry.objects.filter(item_id__in=list(item_numbers), date__lte=as_of)
    if trainee_ids is not None:
        entries = entries.filter(trainee_id__in=list(trainee_ids))
    return entries, item_numbers


def entry_aggregates(
    *,
    camp: Camp,
    as_of: datetime.date,
    trainee_ids: Iterable[int] | None = None,
    item_numbers: dict[int, int] | None = None,
) -> dict[int, dict[int, tuple[Decimal, int]]]:
    """{trainee id: {item number: (sum of points, number of entries)}} up to `as_of`, in one
    grouped query. Filtering on the camp's item ids (`item_numbers`: {item pk: number}) lets the
    (item, date, trainee, points) index find the camp's entries without joining the trainees,
    and answer from the index alone: entries are counted by their points (never null), since
    counting their ids would make PostgreSQL read every row from the table."""
    entries, item_numbers = _camp_entries(
        camp=camp, as_of=as_of, trainee_ids=trainee_ids, item_numbers=item_numbers
    )
    rows = (
        entries.values_list("trainee_id", "item_id")
        .annotate(total=Sum("points", output_field=SUM_FIELD), count=Count("points"))
        .order_by()
    )
    result: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for trainee_id, item_id, total, count in rows:
        result[trainee_id][item_numbers[item_id]] = (round_points(Decimal(total)), count)
    return result


def entry_aggregates_at_two_days(
    *,
    camp: Camp,
    as_of: datetime.date,
    earlier: datetime.date,
    trainee_ids: Iterable[int] | None = None,
    item_numbers: dict[int, int] | None = None,
) -> tuple[dict[int, dict[int, tuple[Decimal, int]]], dict[int, dict[int, tuple[Decimal, int]]]]:
    """`entry_aggregates` up to `as_of` and up to `earlier` (a day before it), from ONE grouped
    query: the earlier sums are the same groups' sums filtered on the date
    (`SUM(points) FILTER (WHERE date <= earlier)`), so the entries are read once. A (trainee,
    item) without entries up to a day is absent from that day's result, as in
    `entry_aggregates`."""
    if earlier > as_of:
        raise ValueError("earlier must not be after as_of")
    entries, item_numbers = _camp_entries(
        camp=camp, as_of=as_of, trainee_ids=trainee_ids, item_numbers=item_numbers
    )
    up_to_earlier = Q(date__lte=earlier)
    rows = (
        entries.values_list("trainee_id", "item_id")
        .annotate(
            total=Sum("points", output_field=SUM_FIELD),
            count=Count("points"),
            earlier_total=Sum("points", output_field=SUM_FIELD, filter=up_to_earlier),
            earlier_count=Count("points", filter=up_to_earlier),
        )
        .order_by()
    )
    now: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    before: dict[int, dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for trainee_id, item_id, total, count, earlier_total, earlier_count in rows:
        number = item_numbers[item_id]
        now[trainee_id][number] = (round_points(Decimal(total)), count)
        if earlier_count:
            before[trainee_id][number] = (round_points(Decimal(earlier_total)), earlier_count)
    return now, before


def scores_as_of(
    *, camp: Camp, as_of: datetime.date, trainee_ids: Iterable[int] | None = None
) -> dict[int, TraineeScore]:
    """Every trainee's (or the given trainees') score as of a day, ranked in class and group.

    Four queries whatever the number of trainees: the items, the training days, the
    trainees, and the grouped entry aggregates. Ranks are always over the whole camp, so asking
    for one trainee still ranks them among everyone.
    """
    rules_with_pks = _item_rules_with_pks(camp)
    starts = _deduction_starts(camp, trainees := _trainees_for_scoring(camp, as_of))
    aggregates = entry_aggregates(
        camp=camp, as_of=as_of, item_numbers={pk: rule.number for pk, rule in rules_with_pks}
    )
    scores = _scores(
        rules=[rule for _pk, rule in rules_with_pks],
        starts=starts,
        trainees=trainees,
        aggregates=aggregates,
        as_of=as_of,
    )
    if trainee_ids is not None:
        wanted = set(trainee_ids)
        scores = {pk: score for pk, score in scores.items() if pk in wanted}
    return scores


def rescored(
    *,
    camp: Camp,
    as_of: datetime.date,
    scores: dict[int, TraineeScore],
    trainee_ids: Iterable[int],
) -> dict[int, TraineeScore]:
    """The camp's standing `scores` (scores_as_of's, computed earlier) with `trainee_ids`
    scored afresh and everyone ranked again: what scores_as_of gives now, provided only those
    trainees' entries changed since (camp/camp_cache.py records which changes those are). In
    scores_as_of's four queries, each over the named trainees only."""
    wanted = set(trainee_ids)
    rules_with_pks = _item_rules_with_pks(camp)
    trainees = _trainees_for_scoring(camp, as_of, trainee_ids=wanted)
    fresh = _scores(
        rules=[rule for _pk, rule in rules_with_pks],
        starts=_deduction_starts(camp, trainees),
        trainees=trainees,
        aggregates=entry_aggregates(
            camp=camp,
            as_of=as_of,
            trainee_ids=wanted,
            item_numbers={pk: rule.number for pk, rule in rules_with_pks},
        ),
        as_of=as_of,
    )
    merged = {pk: score for pk, score in scores.items() if pk not in wanted}
    merged.update(fresh)
    for score in merged.values():
        score.class_rank = score.group_rank = None
    _rank(merged)
    return merged


def scores_and_earlier_totals(
    *, camp: Camp, as_of: datetime.date, earlier: datetime.date
) -> tuple[dict[int, TraineeScore], dict[int, Decimal]]:
    """`scores_as_of(camp=camp, as_of=as_of)`, and every trainee's total as of `earlier` (equal
    to `scores_as_of(camp=camp, as_of=earlier)[pk].total`), in scores_as_of's four queries: the
    entries are read once for both days (`entry_aggregates_at_two_days`)."""
    rules_with_pks = _item_rules_with_pks(camp)
    rules = [rule for _pk, rule in rules_with_pks]
    trainees = _trainees_for_scoring(camp, as_of)
    starts = _deduction_starts(camp, trainees)
    aggregates, earlier_aggregates = entry_aggregates_at_two_days(
        camp=camp,
        as_of=as_of,
        earlier=earlier,
        item_numbers={pk: rule.number for pk, rule in rules_with_pks},
    )
    scores = _scores(
        rules=rules, starts=starts, trainees=trainees, aggregates=aggregates, as_of=as_of
    )
    scorers = _scorers(rules)
    empty: dict[int, tuple[Decimal, int]] = {}
    earlier_totals = {
        pk: scorers[earlier >= starts[pk]].total(earlier_aggregates.get(pk, empty))
        for pk, *_rest in trainees
    }
    return scores, earlier_totals


def _trainees_for_scoring(
    camp: Camp, as_of: datetime.date, *, trainee_ids: set[int] | None = None
) -> list[tuple]:
    """(pk, group on `as_of`, status, admitted on, withdrawn on) of every trainee (or of those
    named): the group from the dated membership (GroupMove.effective_on), in the same query."""
    trainees = Trainee.objects.filter(camp=camp)
    if trainee_ids is not None:
        trainees = trainees.filter(pk__in=trainee_ids)
    return list(
        trainees.with_group_on(as_of).values_list(
            "pk", "group_on", "status", "admitted_on", "withdrawn_on"
        )
    )


def _deduction_starts(camp: Camp, trainees: list[tuple]) -> dict[int, datetime.date]:
    """{trainee id: the day their deduction items begin to count} (one query)."""
    days = training_day_dates(camp)
    return {
        pk: deductions_start(camp, days, admitted_on) for pk, _g, _s, admitted_on, _w in trainees
    }


def _scorers(rules) -> dict[bool, Scorer]:
    """One Scorer for trainees whose deductions have begun and one for the others."""
    rules = list(rules)
    return {started: Scorer(rules, deductions_started=started) for started in (True, False)}


def _scores(*, rules, starts, trainees, aggregates, as_of) -> dict[int, TraineeScore]:
    scorers = _scorers(rules)
    empty: dict[int, tuple[Decimal, int]] = {}
    scores: dict[int, TraineeScore] = {}
    for pk, group_id, status, admitted_on, withdrawn_on in trainees:
        scores[pk] = scorers[as_of >= starts[pk]].score(
            trainee_id=pk,
            group_id=group_id,
            aggregates=aggregates.get(pk, empty),
            # Ranked only while a member: not before admission (scheme: membership and dates).
            ranked=admitted_on <= as_of
            and is_ranked_on(status=status, withdrawn_on=withdrawn_on, day=as_of),
        )
        scores[pk].admitted_on = admitted_on
    _rank(scores)
    return scores


def _rank(scores: dict[int, TraineeScore]) -> None:
    ranked = {pk: score for pk, score in scores.items() if score.ranked}
    for pk, rank in shared_ranks({pk: s.total for pk, s in ranked.items()}).items():
        scores[pk].class_rank = rank
    by_group: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pk, score in ranked.items():
        if score.group_id is not None:
            by_group[score.group_id][pk] = score.total
    for totals in by_group.values():
        for pk, rank in shared_ranks(totals).items():
            scores[pk].group_rank = rank


def scores_of_camps(as_of: dict[Camp, datetime.date]) -> dict[int, dict[int, TraineeScore]]:
    """{camp id: `scores_as_of(camp=camp, as_of=day)`} for several camps, each as of its own
    day (the editions side by side), in scores_as_of's four queries whatever the number of
    camps: the items, the training days, the trainees (each in their group on their camp's
    day) and the grouped entry aggregates, each read once for all the camps. The arithmetic
    and the ranking are scores_as_of's own (`_scores`)."""
    from curriculum.models import TrainingDay

    if not as_of:
        return {}
    by_pk = {camp.pk: (camp, day) for camp, day in as_of.items()}
    rules: dict[int, list[tuple[int, ItemRule]]] = defaultdict(list)
    for camp_id, pk, number, category, kind, max_points in (
        AssessmentItem.objects.filter(scheme__camp_id__in=list(by_pk))
        .order_by("scheme__camp_id", "number")
        .values_list("scheme__camp_id", "pk", "number", "category", "kind", "max_points")
    ):
        rules[camp_id].append((pk, ItemRule(number, category, kind, max_points)))
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for camp_id, date in (
        TrainingDay.objects.filter(camp_id__in=list(by_pk))
        .order_by("camp_id", "date")
        .values_list("camp_id", "date")
    ):
        days[camp_id].append(date)
    # Each trainee in the group they belonged to on their own camp's day.
    group_on_day = Case(
        *[When(camp_id=pk, then=group_on(day)) for pk, (_camp, day) in by_pk.items()],
        default=None,
        output_field=IntegerField(),
    )
    trainees: dict[int, list[tuple]] = defaultdict(list)
    for camp_id, *row in (
        Trainee.objects.filter(camp_id__in=list(by_pk))
        .annotate(group_on=group_on_day)
        .values_list("camp_id", "pk", "group_on", "status", "admitted_on", "withdrawn_on")
    ):
        trainees[camp_id].append(tuple(row))
    item_numbers = {pk: rule.number for pairs in rules.values() for pk, rule in pairs}
    item_camp = {pk: camp_id for camp_id, pairs in rules.items() for pk, _rule in pairs}
    wanted = Q(pk__in=[])
    for camp_id, pairs in rules.items():
        wanted |= Q(item_id__in=[pk for pk, _rule in pairs], date__lte=by_pk[camp_id][1])
    aggregates: dict[int, dict[int, dict[int, tuple[Decimal, int]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for trainee_id, item_id, total, count in (
        ScoreEntry.objects.filter(wanted)
        .values_list("trainee_id", "item_id")
        .annotate(total=Sum("points", output_field=SUM_FIELD), count=Count("pk"))
        .order_by()
    ):
        aggregates[item_camp[item_id]][trainee_id][item_numbers[item_id]] = (
            round_points(Decimal(total)),
            count,
        )
    result = {}
    for pk, (camp, day) in by_pk.items():
        rows = trainees.get(pk, [])
        result[pk] = _scores(
            rules=[rule for _pk, rule in rules.get(pk, [])],
            starts={
                trainee_id: deductions_start(camp, days.get(pk, []), admitted_on)
                for trainee_id, _g, _s, admitted_on, _w in rows
            },
            trainees=rows,
            aggregates=aggregates.get(pk, {}),
            as_of=day,
        )
    return result


@dataclass(frozen=True)
class GroupStanding:
    """A study group's figures on the scores' day, over its ranked members then."""

    group_id: int
    trainee_ids: frozenset[int]
    average_total: Decimal | None
    category_averages: dict[str, Decimal | None]

    @property
    def members(self) -> int:
        return len(self.trainee_ids)


def group_standings(scores: dict[int, TraineeScore]) -> dict[int, GroupStanding]:
    """{group id: GroupStanding} from a camp's scores as of a day (`scores_as_of`,
    `assessment.standing.camp_standing`): each trainee counts in the group the scores carry,
    the one of the dated membership on that day, and only while ranked, with the averages as
    the monthly summary publishes them (`rates.mean` of the rounded scores)."""
    members: dict[int, list[TraineeScore]] = defaultdict(list)
    for score in scores.values():
        if score.ranked and score.group_id is not None:
            members[score.group_id].append(score)
    return {
        group_id: GroupStanding(
            group_id=group_id,
            trainee_ids=frozenset(score.trainee_id for score in group),
            average_total=mean(score.total for score in group),
            category_averages={
                category: mean(score.categories.get(category) for score in group)
                for category in CATEGORIES
            },
        )
        for group_id, group in members.items()
    }
