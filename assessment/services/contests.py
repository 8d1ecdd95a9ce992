"""Contests (擂台比拼): create, mark, close.

A participant's result is wA × mean(A marks) + wB × mean(B marks); with only A judges it is
mean(A), with only B judges mean(B). Rounded half-up to 0.1, it becomes the item-20 grade of the
trainee (or, in a group contest, of every member of the group), as a ScoreEntry with source
`contest` and one source key per contest, so closing again updates those entries instead of
adding new ones.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees.models import Trainee

from ..access import can_judge_contests
from ..entry_rules import parse_points
from ..models import (
    MAX_MARK,
    AssessmentItem,
    Contest,
    ContestJudge,
    ContestKind,
    ContestMark,
    ContestParticipant,
    ContestStatus,
    JudgeClass,
    ScoreEntry,
    Source,
)
from ..scoring import contest_result, shared_ranks
from .entries import score_entry_create

CONTEST_ITEM_NUMBER = 20


@transaction.atomic
def contest_create(
    *,
    camp,
    title: str,
    date: datetime.date,
    kind: str,
    trainees=(),
    groups=(),
    judges: list[tuple[object, str]],
    weight_a: Decimal = Decimal("0.60"),
    weight_b: Decimal = Decimal("0.40"),
    by,
) -> Contest:
    """A contest with its participants (trainees, or groups) and invited judges (user, class)."""
    if weight_a + weight_b != 1:
        raise ValidationError(_("A类与B类权重之和应为 1（如 0.6 与 0.4）。"))
    participants = list(trainees) if kind == ContestKind.TRAINEES else list(groups)
    if len(participants) < 2:
        raise ValidationError(_("至少需要两名参赛者（学员或小组）。"))
    if any(p.camp_id != camp.pk for p in participants):
        raise ValidationError(_("参赛者必须属于本期。"))
    if not judges:
        raise ValidationError(_("请至少邀请一位评委。"))
    users = [user for user, _cls in judges]
    if len({u.pk for u in users}) != len(users):
        raise ValidationError(_("同一位评委只能邀请一次。"))
    for user, judge_class in judges:
        if not can_judge_contests(user) or judge_class not in JudgeClass.values:
            raise ValidationError(
                _("%(name)s 不能担任评委：评委应为领导、组织部、党校管理员或辅导员。")
                % {"name": user}
            )
    item = AssessmentItem.objects.filter(scheme__camp=camp, number=CONTEST_ITEM_NUMBER).first()
    if item is None:
        raise ValidationError(_("本期考核方案中没有第20项（擂台比拼），请先检查考核方案。"))
    contest = Contest(
        camp=camp,
        title=(title or "").strip(),
        date=date,
        kind=kind,
        weight_a=weight_a,
        weight_b=weight_b,
        item=item,
        created_by=by,
    )
    contest.full_clean()
    contest._history_user = by
    contest.save()
    ContestParticipant.objects.bulk_create(
        ContestParticipant(contest=contest, trainee=p)
        if kind == ContestKind.TRAINEES
        else ContestParticipant(contest=contest, group=p)
        for p in participants
    )
    ContestJudge.objects.bulk_create(
        ContestJudge(contest=contest, user=user, judge_class=judge_class)
        for user, judge_class in judges
    )
    return contest


@transaction.atomic
def contest_marks_save(*, judge: ContestJudge, marks: dict[int, object], by) -> int:
    """A judge's marks, one per participant (0–15, one decimal): all saved, or none with an
    error per participant (ValidationError with a dict {participant id: [message]})."""
    contest = Contest.objects.select_for_update().get(pk=judge.contest_id)
    if contest.is_closed:
        raise ValidationError(_("本场比拼已结束评分，不能再修改。"))
    if judge.user_id != by.pk:
        raise ValidationError(_("只能填写自己的评分。"))
    participant_ids = set(contest.participants.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    clean: dict[int, Decimal] = {}
    for participant_id, raw in marks.items():
        if participant_id not in participant_ids:
            raise ValidationError(_("参赛者不属于本场比拼，请刷新页面后重试。"))
        if raw in (None, ""):
            continue
        try:
            mark = parse_points(raw)
        except ValidationError as error:
            errors[str(participant_id)] = error.messages
            continue
        if mark > MAX_MARK:
            errors[str(participant_id)] = [_("评分应在 0 到 15 之间。")]
            continue
        clean[participant_id] = mark
    if errors:
        raise ValidationError(errors)
    existing = {m.participant_id: m for m in judge.marks.all()}
    saved = 0
    for participant_id, mark in clean.items():
        current = existing.get(participant_id) or ContestMark(
            judge=judge, participant_id=participant_id
        )
        if current.pk and current.mark == mark:
            continue
        current.mark = mark
        current._history_user = by
        current.save()
        saved += 1
    return saved


def _means(contest: Contest) -> dict[int, dict[str, Decimal]]:
    """{participant id: {"A": mean, "B": mean}} by the database."""
    means: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        ContestMark.objects.filter(participant__contest=contest)
        .values("participant_id", "judge__judge_class")
        .annotate(mean=Avg("mark"))
        .order_by()
    )
    for row in rows:
        means[row["participant_id"]][row["judge__judge_class"]] = Decimal(str(row["mean"]))
    return means


@transaction.atomic
def contest_close(*, contest: Contest, by) -> Contest:
    """Compute results and ranks, and record the item-20 grades. Refused while a judge has not
    marked every participant. Closing again gives the same results and the same entries."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    # A trainee who withdrew before the contest's date is left out: unmarked, unranked, and
    # given no grade (an entry after withdrawal would be refused).
    participants = [
        p
        for p in contest.participants.select_related("trainee", "group").order_by("pk")
        if p.trainee is None
        or (p.trainee.withdrawn_on is None or p.trainee.withdrawn_on >= contest.date)
    ]
    counted = Q(marks__participant__in=[p.pk for p in participants])
    judges = contest.judges.select_related("user").annotate(n=Count("marks", filter=counted))
    unfinished = [j.user.display_name for j in judges if j.n < len(participants)]
    if unfinished:
        raise ValidationError(
            _("以下评委尚未完成评分：%(names)s。请待全部评分后再结束。")
            % {"names": "、".join(unfinished)}
        )
    means = _means(contest)
    results = {}
    for participant in participants:
        participant.result = contest_result(
            mean_a=means[participant.pk].get(JudgeClass.A),
            mean_b=means[participant.pk].get(JudgeClass.B),
            weight_a=contest.weight_a,
            weight_b=contest.weight_b,
        )
        results[participant.pk] = participant.result
    ranks = shared_ranks(results)
    for participant in participants:
        participant.rank = ranks[participant.pk]
    ContestParticipant.objects.bulk_update(participants, ["result", "rank"])
    contest.status, contest.closed_at = ContestStatus.CLOSED, timezone.now()
    contest._history_user = by
    contest.save(update_fields=["status", "closed_at"])
    _record_grades(contest, participants, by=by)
    return contest


def _record_grades(contest: Contest, participants: list[ContestParticipant], *, by) -> None:
    """The grades are the system's (item 20 is the judges', never typed in), so they are
    recorded without a recorder; who closed the contest is named in the reason."""
    key = f"contest:{contest.pk}"
    reason = _("擂台比拼《%(title)s》成绩（%(who)s 结束评分）") % {
        "title": contest.title,
        "who": getattr(by, "display_name", "") or _("系统"),
    }
    grades: dict[int, Decimal] = {
        p.trainee_id: p.result for p in participants if p.trainee_id is not None
    }
    # Every member of a competing group on the contest's day gets the group's result: one query
    # for them all.
    group_results = {p.group_id: p.result for p in participants if p.trainee_id is None}
    members = (
        Trainee.objects.members_on(contest.date)
        .with_group_on(contest.date)  # the group they belonged to that day (dated membership)
        .filter(group_on__in=group_results)
    )
    for trainee_id, group_id in members.values_list("pk", "group_on"):
        grades[trainee_id] = group_results[group_id]
    existing = {
        e.trainee_id: e
        for e in ScoreEntry.objects.filter(item=contest.item, source=Source.CONTEST, source_key=key)
    }
    trainees = Trainee.objects.in_bulk(list(grades))
    for trainee_id, grade in grades.items():
        entry = existing.get(trainee_id)
        if entry is None or entry.points != grade or entry.date != contest.date:
            # The contest's own cell (event:contest:<pk>): a re-close edits it.
            score_entry_create(
                trainee=trainees[trainee_id],
                item=contest.item,
                points=grade,
                date=contest.date,
                by=None,
                reason=reason,
                source=Source.CONTEST,
                source_key=key,
                occasion=key,
                seen_version=None,
            )
