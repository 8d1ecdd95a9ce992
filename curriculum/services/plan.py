"""The curriculum plan: instructors, activity kinds and each camp's target counts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from camp.models import Camp
from curriculum.models import (
    ActivityKind,
    ClassroomType,
    CurriculumTarget,
    Instructor,
    TargetMeasure,
)

# The article's counts: (label, classroom, measure, activity kind, topic keyword, count).
DEFAULT_TARGETS = [
    ("青春心向党专题党课", ClassroomType.CONVICTION, TargetMeasure.SESSIONS, "专题党课", "", 10),
    ("青能量公开课", ClassroomType.MENTORING, TargetMeasure.SESSIONS, "青能量公开课", "", 10),
    ("能力模块专题辅导", ClassroomType.EMPOWERMENT, TargetMeasure.SESSIONS, "专题辅导", "", 3),
    ("部门主要负责人授课", ClassroomType.EMPOWERMENT, TargetMeasure.SESSIONS, "部门授课", "", 6),
    ("调研课题", ClassroomType.RESEARCH, TargetMeasure.RESEARCH_TOPICS, None, "", 9),
    ("突击队", ClassroomType.PRACTICE, TargetMeasure.TASK_FORCES, None, "", 6),
]


@transaction.atomic
def curriculum_targets_create_defaults(*, camp: Camp) -> list[CurriculumTarget]:
    """Give a camp the article's target counts; existing targets are left as staff set them."""
    kinds = {kind.name: kind for kind in ActivityKind.objects.all()}
    targets = []
    for label, classroom, measure, kind_name, keyword, count in DEFAULT_TARGETS:
        target, _created = CurriculumTarget.objects.get_or_create(
            camp=camp,
            label=label,
            defaults={
                "classroom": classroom,
                "measure": measure,
                "activity_kind": kinds.get(kind_name) if kind_name else None,
                "topic_contains": keyword,
                "count": count,
            },
        )
        targets.append(target)
    return targets


@transaction.atomic
def curriculum_target_set_count(*, target: CurriculumTarget, count: int) -> CurriculumTarget:
    if count is None or count < 0 or count > 500:
        raise ValidationError(_("计划数量应为 0 到 500 之间的整数。"))
    target.count = count
    target.full_clean()
    target.save(update_fields=["count"])
    return target


@transaction.atomic
def activity_kind_create(*, name: str, classroom: str) -> ActivityKind:
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写活动类型名称。"))
    if ActivityKind.objects.filter(name=name).exists():
        raise ValidationError(_("已有名为“%(name)s”的活动类型。") % {"name": name})
    kind = ActivityKind(name=name, classroom=classroom)
    kind.full_clean()
    kind.save()
    return kind


@transaction.atomic
def instructor_create(*, name: str, unit: str, title: str, source: str) -> Instructor:
    instructor = Instructor(
        name=name.strip(), unit=unit.strip(), title=title.strip(), source=source
    )
    instructor.full_clean()
    instructor.save()
    return instructor
