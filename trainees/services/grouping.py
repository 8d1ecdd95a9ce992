"""Placing trainees in the six study groups, automatically and by hand.

The article divides the class "按照学员的工作经历、专业特长、岗位职责" into six groups aligned
with the city's central work. Automatic placement reads those three fields, in that order of
weight, against a keyword table per theme, then fills the groups:

- balance (a hard rule): group sizes differ by at most 2; the target sizes lean towards the
  themes most trainees match, within that band (only staff's own moves, which a re-run keeps,
  can push a group outside it);
- matching: as many trainees as balance allows get their first theme; a trainee whose theme
  group is full then tries the themes their other fields point to, and otherwise fills the
  group that most needs people;
- mixing: a unit with k trainees puts at most ceil(k / 6) of them in one group, unless that
  would cost a trainee their theme. Where a theme is oversubscribed, colleagues are the ones
  who give way, and trainees placed by balance go where they have no colleague yet.

Every placement records its reason in Chinese and a GroupMove.

Re-running is safe. By default only trainees without a group are placed (a replacement admitted
from the waitlist mid-year joins without disturbing anyone). `replace=True` re-places everyone
except trainees whose latest move was made by hand: staff decisions outrank the algorithm.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp, User
from trainees.membership import check_move_date
from trainees.models import GroupMove, StudyGroup, Theme, Trainee, TraineeStatus

from ..grouping_rules import GROUP_COUNT, MATCH_FIELDS, target_sizes, theme_matches


@dataclass
class _Placement:
    trainee: Trainee
    group: StudyGroup
    reason: str


class _Board:
    """Room left in each group and how many of each unit it already holds."""

    def __init__(self, groups, sizes, fixed_trainees, unit_totals):
        self.groups = groups
        self.room = {g.pk: sizes[g.pk] for g in groups}
        self.unit_counts: Counter = Counter()
        self.unit_caps = {u: math.ceil(n / GROUP_COUNT) for u, n in unit_totals.items()}
        for trainee in fixed_trainees:
            self.room[trainee.group_id] -= 1
            self.unit_counts[(trainee.group_id, trainee.person.unit)] += 1

    def fits(self, group: StudyGroup, unit: str, mixing: bool = True) -> bool:
        if self.room[group.pk] <= 0:
            return False
        return not mixing or self.unit_counts[(group.pk, unit)] < self.unit_caps[unit]

    def take(self, group: StudyGroup, unit: str) -> None:
        self.room[group.pk] -= 1
        self.unit_counts[(group.pk, unit)] += 1


def _plan(groups: list[StudyGroup], movable: list[Trainee], fixed: list[Trainee]) -> list:
    by_theme = {g.theme: g for g in groups}
    matches = {t.pk: theme_matches(t.person) for t in movable}
    demand = Counter(by_theme[m[0].theme].pk for m in matches.values() if m)
    fixed_counts = Counter(t.group_id for t in fixed)
    sizes = target_sizes(
        total=len(movable) + len(fixed),
        fixed=fixed_counts,
        demand=demand,
        group_ids=[g.pk for g in groups],
    )
    unit_totals = Counter(t.person.unit for t in [*movable, *fixed])
    board = _Board(groups, sizes, fixed, unit_totals)

    # Strongest evidence first (a work-field match outranks a title match), so that when a
    # theme is oversubscribed the trainees it fits best keep it.
    strength = {label: i for i, (_attr, label) in enumerate(MATCH_FIELDS)}
    ordered = sorted(
        movable,
        key=lambda t: (
            strength[matches[t.pk][0].field_label] if matches[t.pk] else len(MATCH_FIELDS),
            t.pk,
        ),
    )
    placements: list[_Placement] = []

    def place_where_fits(pending, pick, mixing):
        waiting = []
        for trainee in pending:
            match = next(
                (
                    m
                    for m in pick(trainee)
                    if board.fits(by_theme[m.theme], trainee.person.unit, mixing)
                ),
                None,
            )
            if match is None:
                waiting.append(trainee)
                continue
            board.take(by_theme[match.theme], trainee.person.unit)
            first = matches[trainee.pk][0]
            reason = match.reason()
            if match is not first:
                reason += _("（%(theme)s组名额已满）") % {"theme": Theme(first.theme).label}
            placements.append(_Placement(trainee, by_theme[match.theme], reason))
        return waiting

    # Matching outranks mixing: colleagues are first kept apart, then allowed together when
    # that is the only way to keep their theme. Only then do other fields' themes come in,
    # so a secondary match never takes a place that someone's first theme needed.
    pending = [t for t in ordered if matches[t.pk]]
    for mixing in (True, False):
        pending = place_where_fits(pending, lambda t: matches[t.pk][:1], mixing)
    for mixing in (True, False):
        pending = place_where_fits(pending, lambda t: matches[t.pk][1:], mixing)

    leftovers = [(t, _("无明确匹配，按人数均衡分入")) for t in ordered if not matches[t.pk]]
    leftovers += [
        (
            t,
            _("%(first)s，但该组名额已满，按人数均衡分入") % {"first": matches[t.pk][0].reason()},
        )
        for t in pending
    ]
    leftovers.sort(key=lambda item: item[0].pk)
    for trainee, reason in leftovers:
        unit = trainee.person.unit
        with_room = [g for g in groups if board.room[g.pk] > 0] or groups
        mixing = [g for g in with_room if board.fits(g, unit)] or with_room
        group = max(mixing, key=lambda g: (board.room[g.pk], -g.number))
        board.take(group, unit)
        placements.append(_Placement(trainee, group, reason))
    return placements


@transaction.atomic
def groups_place(
    *, camp: Camp, by: User, replace: bool = False, on: datetime.date | None = None
) -> list[GroupMove]:
    """Place the camp's active trainees in its six groups (see the module docstring).

    Without `replace`, only trainees without a group are placed; with it, everyone is
    re-placed except those whose latest move was made by hand. Returns the moves recorded,
    one per trainee whose group was set (a trainee re-placed into the same group gets none).

    A first placement takes effect from the trainee's admission; a re-placement from `on`
    (default today), never before admission nor before the trainee's previous move."""
    on = on or timezone.localdate()
    groups = list(StudyGroup.objects.filter(camp=camp).order_by("number"))
    if len(groups) != GROUP_COUNT:
        raise ValidationError(
            _("本期应有%(n)d个学习小组，现有%(m)d个，请先补齐小组再分组。"),
            params={"n": GROUP_COUNT, "m": len(groups)},
        )
    latest_move_automatic = Subquery(
        GroupMove.objects.filter(trainee=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("automatic")[:1]
    )
    trainees = list(
        Trainee.objects.filter(camp=camp, status=TraineeStatus.ACTIVE)
        .select_related("person")
        .annotate(
            latest_move_automatic=latest_move_automatic,
            latest_effective_on=Max("group_moves__effective_on"),
        )
        .order_by("pk")
    )
    if not trainees:
        raise ValidationError(_("本期还没有在训学员，请先录取学员再分组。"))

    def stays(trainee: Trainee) -> bool:
        if trainee.group_id is None:
            return False
        automatic = trainee.latest_move_automatic
        return not replace or (automatic is not None and not automatic)

    fixed = [t for t in trainees if stays(t)]
    movable = [t for t in trainees if not stays(t)]
    placements = _plan(groups, movable, fixed)

    changed, moves = [], []
    for placement in placements:
        trainee = placement.trainee
        previous = trainee.group_id
        trainee.placement_reason = placement.reason[:200]
        trainee.group = placement.group
        trainee._change_reason = _("自动分组")
        changed.append(trainee)
        if previous != placement.group.pk:
            if previous is None:
                effective_on = trainee.admitted_on
            else:
                effective_on = max(on, trainee.admitted_on, trainee.latest_effective_on or on)
            moves.append(
                GroupMove(
                    trainee=trainee,
                    from_group_id=previous,
                    to_group=placement.group,
                    reason=trainee.placement_reason,
                    automatic=True,
                    by=by,
                    effective_on=effective_on,
                )
            )
    if changed:
        bulk_update_with_history(changed, Trainee, ["group", "placement_reason"], default_user=by)
        camp_changed(camp_id=camp.pk)
    # GroupMove is itself the audit trail (append-only, no history table).
    return GroupMove.objects.bulk_create(moves)


@transaction.atomic
def trainee_move(
    *,
    trainee: Trainee,
    to_group: StudyGroup,
    by: User,
    reason: str,
    effective_on: datetime.date | None = None,
) -> GroupMove:
    """Staff move a trainee to another group, from `effective_on` (default today, or the
    trainee's first day if still to come; it may be in the past, see
    `trainees.membership.check_move_date`). The move and its reason are kept, and automatic
    re-placement leaves the trainee where staff put them."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整原因，例如“工作调整，便于参加本组调研”。"))
    if len(reason) > 150:
        raise ValidationError(_("调整原因请控制在150字以内。"))
    trainee = (
        Trainee.objects.select_for_update(of=("self",)).select_related("camp").get(pk=trainee.pk)
    )
    if trainee.status != TraineeStatus.ACTIVE:
        raise ValidationError(_("该学员已退出培训，不能调整小组。"))
    # Today, or the trainee's first day where that is still to come; never later, so that
    # `Trainee.group` (the latest move's group) is the group today.
    latest_day = max(timezone.localdate(), trainee.admitted_on, trainee.camp.start_date)
    if effective_on is None:
        effective_on = latest_day
    check_move_date(trainee, effective_on)
    if effective_on > latest_day:
        raise ValidationError(
            _("生效日期不能晚于今天（%(day)s）。"), params={"day": latest_day.isoformat()}
        )
    if to_group.camp_id != trainee.camp_id:
        raise ValidationError(_("只能调入本期的学习小组，请重新选择。"))
    if to_group.pk == trainee.group_id:
        raise ValidationError(
            _("该学员已在%(group)s，请选择其他小组。"), params={"group": str(to_group)}
        )
    previous = trainee.group_id
    trainee.group = to_group
    trainee.placement_reason = (_("人工调整：%(reason)s") % {"reason": reason})[:200]
    trainee._history_user = by
    trainee._change_reason = trainee.placement_reason
    trainee.full_clean()
    trainee.save(update_fields=["group", "placement_reason"])
    camp_changed(camp_id=trainee.camp_id)
    move = GroupMove(
        trainee=trainee,
        from_group_id=previous,
        to_group=to_group,
        reason=reason,
        automatic=False,
        by=by,
        effective_on=effective_on,
    )
    move.full_clean()
    move.save()
    return move
