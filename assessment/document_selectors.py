"""What the graduation documents (学员鉴定表, 结业证书) say about each trainee, read for many
trainees at once: a fixed number of queries whatever their number.

Every figure comes from its one home, as of the document day (the graduation day, or today while
the camp runs): 出勤率 (累计) from curriculum.rate_selectors, 学时 from curriculum.hours_selectors,
the total, the category totals and the class rank from the camp's standing
(assessment.standing → standing_selectors). Nothing here does arithmetic of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from camp.models import Camp
from camp.workbooks import labels_by_pk
from curriculum.hours_selectors import StudyHours, study_hours
from curriculum.models import Attendance
from curriculum.rate_selectors import attendance_rate, counts_by_trainee
from trainees.models import Trainee

from .models import AppraisalStatement, Category, Graduation, StatementKind
from .standing import camp_standing


@dataclass
class AppraisalSheet:
    """One trainee's appraisal form (学员鉴定表), ready to lay out."""

    trainee: Trainee
    group: str
    attendance_rate: Decimal | None
    hours: StudyHours | None
    total: Decimal | None
    categories: list[tuple[str, Decimal | None]]  # (label, points) in the scheme's order
    class_rank: int | None
    class_size: int
    self_summary: str
    group_opinion: str
    graduation: Graduation | None
    day: datetime.date


def graduating_trainees(camp: Camp, trainees: QuerySet[Trainee]) -> QuerySet[Trainee]:
    """Those of `trainees` up for graduation (withdrawn ones are not), in the list's order."""
    return (
        trainees.filter(camp=camp)
        .active()
        .select_related("person", "camp", "graduation")
        .order_by("group__number", "admitted_on", "pk")
    )


def certificate_holders(camp: Camp, trainees: QuerySet[Trainee]) -> QuerySet[Trainee]:
    """Those of `trainees` who graduate with a certificate number, in number order."""
    return (
        trainees.filter(
            camp=camp, graduation__graduates=True, graduation__certificate_number__isnull=False
        )
        .select_related("person", "camp", "graduation")
        .order_by("graduation__certificate_number")
    )


def appraisal_sheets(
    camp: Camp, trainees: QuerySet[Trainee], *, day: datetime.date
) -> list[AppraisalSheet]:
    """The appraisal forms of `trainees` (a queryset of the camp's) as of `day`. Queries: the
    trainees with their group on the day, the groups, the attendance counts, the study hours,
    the statements, and the camp's standing (cached per camp version)."""
    rows = list(trainees.with_group_on(day))
    ids = [trainee.pk for trainee in rows]
    groups = labels_by_pk(camp.groups.all())
    counts = counts_by_trainee(
        Attendance.objects.filter(trainee_id__in=ids, session__date__lte=day), part_from=day
    )
    hours = study_hours(Trainee.objects.filter(pk__in=ids), day=day)
    texts: dict[tuple[int, str], str] = {
        (trainee_id, kind): text
        for trainee_id, kind, text in AppraisalStatement.objects.filter(
            trainee_id__in=ids
        ).values_list("trainee_id", "kind", "text")
    }
    standing = camp_standing(camp, day)
    class_size = sum(1 for score in standing.values() if score.ranked)
    sheets = []
    for trainee in rows:
        score = standing.get(trainee.pk)
        one = counts.get(trainee.pk)
        sheets.append(
            AppraisalSheet(
                trainee=trainee,
                group=groups.get(trainee.group_on, ""),
                attendance_rate=attendance_rate(one.attended, one.required) if one else None,
                hours=hours.get(trainee.pk),
                total=score.total if score else None,
                categories=[
                    (str(label), score.categories.get(value) if score else None)
                    for value, label in Category.choices
                ],
                class_rank=score.class_rank if score else None,
                class_size=class_size,
                self_summary=texts.get((trainee.pk, StatementKind.SELF_SUMMARY), ""),
                group_opinion=texts.get((trainee.pk, StatementKind.GROUP_OPINION), ""),
                graduation=getattr(trainee, "graduation", None),
                day=day,
            )
        )
    return sheets


def statements_of(trainee: Trainee) -> dict[str, AppraisalStatement]:
    """The trainee's texts by kind, with who wrote them."""
    return {
        statement.kind: statement
        for statement in AppraisalStatement.objects.filter(trainee=trainee).select_related(
            "written_by"
        )
    }
