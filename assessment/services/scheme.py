"""The scheme's use cases: the default copy for a new camp, editing items, activation.

A new camp's scheme is a copy of the default, already active because the default is valid.
Staff who want to change it first set it back to draft, which is allowed only before scoring
starts (no entries yet); they edit the items, and activate it again, which checks 26 items and
300 points. Once an item has entries its maximum, kind, category and frequency are frozen:
scores already given must not change meaning, and the frequency decides which cell (period)
each entry fills (assessment/cells.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from camp.camp_cache import camp_changed
from camp.models import Camp

from ..default_scheme import DEFAULT_ITEMS, SUBMISSION_ITEMS
from ..models import (
    AssessmentItem,
    Recorder,
    Scheme,
    SchemeStatus,
)
from ..scheme_selectors import scheme_has_entries, scheme_problems

# Fields that give recorded scores their meaning.
FROZEN_ONCE_SCORED = ("max_points", "kind", "category", "frequency")
EDITABLE_FIELDS = (
    "name",
    "category",
    "max_points",
    "kind",
    "frequency",
    "recorded_by",
    "accepts_submissions",
    "submission_due_date",
    "submission_grace_days",
    "description",
)


@transaction.atomic
def scheme_create_default(*, camp: Camp) -> Scheme:
    """Give a camp its own copy of the default scheme (a CAMP_CREATED_HOOK)."""
    scheme, created = Scheme.objects.get_or_create(
        camp=camp, defaults={"status": SchemeStatus.ACTIVE, "activated_at": timezone.now()}
    )
    if created:
        items = [
            AssessmentItem(
                scheme=scheme,
                number=item.number,
                name=item.name,
                category=item.category,
                max_points=item.max_points,
                kind=item.kind,
                frequency=item.frequency,
                recorded_by=list(item.recorded_by),
                accepts_submissions=item.number in SUBMISSION_ITEMS,
                description=item.description,
            )
            for item in DEFAULT_ITEMS
        ]
        bulk_create_with_history(
            items, AssessmentItem, default_change_reason=_("新届次复制默认考核方案")
        )
    return scheme


@transaction.atomic
def scheme_activate(*, scheme: Scheme, by) -> Scheme:
    """Activate a scheme: exactly 26 items summing to exactly 300, or a message saying what
    is wrong."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    problems = scheme_problems(scheme=scheme)
    if problems:
        raise ValidationError(problems)
    scheme.status = SchemeStatus.ACTIVE
    scheme.activated_at = timezone.now()
    scheme.activated_by = by
    scheme.save(update_fields=["status", "activated_at", "activated_by"])
    camp_changed(camp_id=scheme.camp_id)
    return scheme


@transaction.atomic
def scheme_deactivate(*, scheme: Scheme, by) -> Scheme:
    """Back to draft to edit the items: only before scoring starts."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme_has_entries(scheme):
        raise ValidationError(
            _(
                "考核已开始（已有考核记录），方案不能退回草稿。如需调整项目名称、记录人或尚无记录的项目的频次，可直接编辑。"
            )
        )
    scheme.status = SchemeStatus.DRAFT
    scheme.save(update_fields=["status"])
    return scheme


def _clean_recorded_by(value) -> list[str]:
    roles = [value] if isinstance(value, str) else list(value or [])
    unknown = [role for role in roles if role not in Recorder.values]
    if unknown or not roles:
        raise ValidationError(
            {"recorded_by": _("请选择记录人（党校管理员、政治辅导员或擂台评委）。")}
        )
    return roles


@transaction.atomic
def assessment_item_update(*, item: AssessmentItem, data: dict, by) -> AssessmentItem:
    """Edit one item. The maximum, kind, category and frequency change only while the item has
    no entries (the first three also only on a draft scheme); names and recorders may change
    at any time."""
    item = (
        AssessmentItem.objects.select_for_update(of=("self",))
        .select_related("scheme")
        .get(pk=item.pk)
    )
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    changed_meaning = [
        name for name in FROZEN_ONCE_SCORED if name in data and data[name] != getattr(item, name)
    ]
    if changed_meaning:
        if item.entries.exists():
            raise ValidationError(
                _(
                    "“%(item)s”已有考核记录，不能再修改满分、计分方式、类别或频次，"
                    "否则已给出的分数会改变含义。"
                )
                % {"item": item.name}
            )
        if item.scheme.is_active and changed_meaning != ["frequency"]:
            raise ValidationError(_("方案已启用：修改满分、计分方式或类别前，请先将方案退回草稿。"))
    if "recorded_by" in data:
        data = {**data, "recorded_by": _clean_recorded_by(data["recorded_by"])}
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    item._change_reason = _("修改考核项目")
    item._history_user = by
    item.save()
    camp_changed(camp_id=item.scheme.camp_id)
    return item
