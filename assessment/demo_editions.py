"""The assessment years of the demo's earlier editions (2023 to 2025): their scores, the
attendance deductions their records call for, and graduation (graduates with certificate
numbers, about 15 % outstanding, a few not graduated with the reason).

Scores come from the 2026 demo's own generator (`demo._scores`), run with a generator of its
own per edition and the edition's graduation day as "today", so the 2026 edition's data does
not move; they are written in bulk without history (generated past data). The deductions and
the certificate numbers go through the services. Reads `ctx.shared["past_editions"]`.
"""

from __future__ import annotations

from camp.demo import DemoContext, demo_step
from camp.months import camp_months
from curriculum.demo_editions import past_context
from trainees.models import StudyGroup

from .demo import _attendance_deductions, _scores
from .models import AssessmentItem, Graduation, ScoreEntry
from .services.graduation import graduation_certificates_assign, outstanding_quota
from .standing_selectors import scores_as_of

APPRAISAL_TEXTS = (
    "该同志学习期间理想信念坚定，学习态度端正，按时参加集中培训，认真完成调研课题和首席项目任务。",
    "该同志政治站位高，理论学习扎实，在项目攻坚中敢于担当，履职能力明显提升。",
    "该同志遵守培训纪律，积极参与小组活动，调研报告质量较高，综合素质进一步增强。",
)
NOT_GRADUATED = (
    "请假超过全年集中培训半天数的1/7，不予结业",
    "考核总分未达到结业要求，不予结业",
)


@demo_step(order=33, label="往届（2023—2025届）：考核成绩与结业")
def build_past_assessment(ctx: DemoContext) -> None:
    staff = ctx.shared["staff"]
    for camp, trainees in ctx.shared.get("past_editions", []):
        day = camp.graduation_date
        past = past_context(ctx, camp, "assessment")
        past.today = day
        rng = past.rng
        items = {i.number: i for i in AssessmentItem.objects.filter(scheme__camp=camp)}
        groups = list(StudyGroup.objects.filter(camp=camp).select_related("counselor__user"))
        group_quality = {g.pk: rng.gauss(0, 0.5) for g in groups}
        quality = {t.pk: rng.gauss(0, 1) + group_quality.get(t.group_id, 0) for t in trainees}
        counselor_of = {g.pk: g.counselor.user if g.counselor else None for g in groups}
        # Graded each quarter rather than each month: a third of the rows, the same story.
        quarters = camp_months(camp, day)[2::3]
        entries = _scores(past, items, trainees, quality, quarters, staff, counselor_of)
        ScoreEntry.objects.bulk_create(entries, batch_size=2000)
        _attendance_deductions(camp, staff, day)
        _graduate(past, camp, staff)


def _graduate(past: DemoContext, camp, staff) -> None:
    """The lowest two do not graduate, with the reason; the best 15 % (the camp's quota) are
    outstanding; every graduate gets a certificate number (the service), dated on the day."""
    scores = scores_as_of(camp=camp, as_of=camp.graduation_date)
    active = sorted(
        (s for s in scores.values() if s.ranked), key=lambda s: (-s.total, s.trainee_id)
    )
    quota = outstanding_quota(camp)
    lowest = active[::-1][: len(NOT_GRADUATED)]
    declined = {s.trainee_id: reason for s, reason in zip(lowest, NOT_GRADUATED, strict=True)}
    outstanding = {s.trainee_id for s in active[:quota]}
    Graduation.objects.bulk_create(
        [
            Graduation(
                trainee_id=score.trainee_id,
                graduates=score.trainee_id not in declined,
                decline_reason=declined.get(score.trainee_id, ""),
                appraisal=past.rng.choice(APPRAISAL_TEXTS),
                outstanding=score.trainee_id in outstanding,
                updated_by=staff,
            )
            for score in active
        ]
    )
    graduation_certificates_assign(camp=camp, by=staff)
    Graduation.objects.filter(trainee__camp=camp, finalized_at__isnull=False).update(
        finalized_at=past.at(camp.graduation_date, 15)
    )
