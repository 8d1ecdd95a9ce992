"""Comprehensive comparison (综合比选): a round's shortlist and the department's decisions.

Not selection (选调), which is admission. Each decision carries its reason and is audited.

A round keeps the figures it is decided on (`ShortlistFigures`): every member's standing, item
scores, attendance and contests as of the round's date, taken when the round is created. A
month computed later never moves them; the department refreshes them only on purpose, with a
reason the round's history keeps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessment.score_selectors import contest_results
from assessment.standing_selectors import scores_as_of
from camp.models import Camp
from curriculum.leave_coverage import leave_charged_sessions
from curriculum.models import Attendance, LeaveRequest, LeaveStatus
from curriculum.rate_selectors import attendance_by_trainee
from trainees.models import Trainee

from ..models import ShortlistDecision, ShortlistEntry, ShortlistFigures, ShortlistRound


@transaction.atomic
def shortlist_round_create(
    *, camp: Camp, by, title: str, date: datetime.date, notes: str = ""
) -> ShortlistRound:
    """A round, with its figures taken as of its date at once."""
    shortlist_round = ShortlistRound(
        camp=camp, created_by=by, title=title.strip(), date=date, notes=notes.strip()
    )
    shortlist_round.full_clean()
    shortlist_round._history_user = by
    shortlist_round.save()
    _take_figures(shortlist_round, by=by, reason=_("创建比选轮次时取数"))
    return shortlist_round


@transaction.atomic
def shortlist_figures_refresh(
    *, shortlist_round: ShortlistRound, by, reason: str
) -> ShortlistRound:
    """Take the round's figures again, as of its date (scores corrected since, a summary
    recomputed). Deliberate: it needs a reason, and the round's history names who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明更新比选依据的原因，例如“成绩更正后重新取数”。")})
    shortlist_round = ShortlistRound.objects.select_for_update().get(pk=shortlist_round.pk)
    _take_figures(shortlist_round, by=by, reason=reason[:100])
    return shortlist_round


def _take_figures(shortlist_round: ShortlistRound, *, by, reason: str) -> None:
    """Replace the round's figures with those of its date: everyone admitted by then, with
    the standing, each item score, attendance at sessions held by then, and the contests."""
    camp, as_of = shortlist_round.camp, shortlist_round.date
    # Computed afresh, not from the cached standing: a refresh must see every correction.
    standing = scores_as_of(camp=camp, as_of=as_of)
    members = set(
        Trainee.objects.filter(camp=camp, admitted_on__lte=as_of).values_list("pk", flat=True)
    )
    scores = {pk: score for pk, score in standing.items() if pk in members}
    attendance = {
        row["trainee_id"]: row
        for row in attendance_by_trainee(
            Attendance.objects.filter(trainee_id__in=list(scores), session__date__lte=as_of)
        )
    }
    contests = contest_results(camp, list(scores), up_to=as_of)
    on_leave = _sessions_on_leave(list(scores), as_of)
    rows = []
    for pk, score in scores.items():
        seen = attendance.get(pk) or {}
        rows.append(
            ShortlistFigures(
                round=shortlist_round,
                trainee_id=pk,
                total=score.total,
                assessed_points=score.assessed_points,
                theory=score.categories.get("theory", 0),
                party_spirit=score.categories.get("party_spirit", 0),
                capability=score.categories.get("capability", 0),
                class_rank=score.class_rank,
                group_rank=score.group_rank,
                item_scores=score.item_scores_json(),
                attendance_rate=seen.get("rate"),
                absent=seen.get("absent") or 0,
                on_leave=on_leave.get(pk, 0),
                contests=[_contest_json(p) for p in contests.get(pk, [])],
            )
        )
    ShortlistFigures.objects.filter(round=shortlist_round).delete()
    ShortlistFigures.objects.bulk_create(rows, batch_size=1000)
    shortlist_round.figures_taken_at = timezone.now()
    shortlist_round.figures_taken_by = by
    shortlist_round._history_user = by
    shortlist_round._change_reason = reason
    shortlist_round.save(update_fields=["figures_taken_at", "figures_taken_by"])


def _sessions_on_leave(trainee_ids: list[int], as_of: datetime.date) -> dict[int, int]:
    """{trainee id: sessions on approved leave as of the day}: from leave coverage (the
    sessions a leave covers that were held by then, during membership, and not attended), the
    same sessions the deductions charge; never a count of leave requests, so a leave for a day
    still to come counts nothing yet. Three queries: the leaves, their sessions, attendance."""
    leaves = {
        leave.pk: leave
        for leave in LeaveRequest.objects.filter(
            trainee_id__in=trainee_ids, status=LeaveStatus.APPROVED
        ).select_related("trainee", "training_day", "last_training_day")
    }
    sessions: dict[int, set[int]] = {}
    for leave_pk, charged in leave_charged_sessions(leaves.values(), up_to=as_of).items():
        # Two leaves over one session count it once.
        trainee_id = leaves[leave_pk].trainee_id
        sessions.setdefault(trainee_id, set()).update(session.pk for session in charged)
    return {pk: len(ids) for pk, ids in sessions.items()}


def _contest_json(participant) -> dict:
    return {
        "date": participant.contest.date.isoformat(),
        "title": participant.contest.title,
        "result": None if participant.result is None else str(participant.result),
        "rank": participant.rank,
        "group": str(participant.group) if participant.group_id else "",
    }


@transaction.atomic
def shortlist_add_trainees(
    *, shortlist_round: ShortlistRound, trainees: Iterable[Trainee], by
) -> list[ShortlistEntry]:
    """Put trainees on the shortlist; those already on it are left as they are."""
    trainees = list(trainees)
    foreign = [t for t in trainees if t.camp_id != shortlist_round.camp_id]
    if foreign:
        raise ValidationError(
            _("只能比选本期学员：%(names)s 不属于本期。")
            % {"names": "、".join(str(t) for t in foreign)}
        )
    present = set(shortlist_round.entries.values_list("trainee_id", flat=True))
    new = [
        ShortlistEntry(round=shortlist_round, trainee=t) for t in trainees if t.pk not in present
    ]
    return bulk_create_with_history(new, ShortlistEntry, default_user=by)


@transaction.atomic
def shortlist_decide(*, entry: ShortlistEntry, by, decision: str, reason: str) -> ShortlistEntry:
    """Record the department's decision with its reason. Changing it later keeps the old one
    in the history."""
    if decision not in ShortlistDecision.values:
        raise ValidationError({"decision": _("请选择比选意见：推荐使用、后备或本次不推荐。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明比选意见的理由。")})
    entry = ShortlistEntry.objects.select_for_update().get(pk=entry.pk)
    entry.decision = decision
    entry.reason = reason.strip()
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.full_clean()
    entry._history_user = by
    entry.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return entry
