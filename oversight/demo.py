"""The demo's organization-department side: trainees followed, inspection notes, interviews, a
shortlist round with decisions, and graduation drafts (the demo's today, 2026-11-30, is before
the year ends, so no certificate numbers yet). Written through the same services as the pages.

Runs after the assessment's demo steps, so that the strongest trainees by the latest monthly
summary are the ones the department follows; without summaries it picks by the seeded rng.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from assessment.models import MonthlySummaryRow
from assessment.services.graduation import graduation_save, outstanding_quota
from camp.demo import DemoContext, demo_step

from .models import InterviewCategory, ShortlistEntry, ShortlistRound
from .services.shortlist import shortlist_add_trainees, shortlist_decide, shortlist_round_create
from .services.tracking import inspection_note_create, interview_create, tracking_mark

OCCASIONS = ["驻村调研现场", "重点项目推进会", "基层治理现场会", "招商引资洽谈会", "信访接待日"]
OBSERVATIONS = [
    "现场组织协调有序，群众反映较好，能够主动回应诉求。",
    "汇报条理清晰，数据掌握扎实，对问题有自己的思考。",
    "面对突发情况沉着应对，处置得当，体现了较强的担当精神。",
    "与基层干部沟通顺畅，工作作风扎实，能沉下身子抓落实。",
]
INTERVIEW_NOTES = {
    "成长规划": "谈及今后三年的成长规划，希望到基层一线多岗位锻炼，目标明确。",
    "岗位履职": "介绍了本职工作和首席项目推进情况，履职尽责，成效明显。",
    "问题短板": "坦诚谈及统筹协调经验不足，表示将在实践课堂中有针对性地补齐短板。",
}
REASONS = {
    "recommended": "综合考核排名靠前，专项考察和面谈表现突出，建议推荐使用。",
    "reserve": "各方面表现良好，尚需更多岗位历练，列入后备。",
    "not_now": "培训期间表现平稳，本次暂不推荐，继续跟踪培养。",
}
APPRAISAL = (
    "该同志在南太湖新锐特训营学习期间，理想信念坚定，学习态度端正，按时参加集中培训，"
    "认真完成调研课题和首席项目任务，党性修养和履职能力均有明显提升。"
)


def _ranked_trainees(ctx: DemoContext) -> list:
    trainees = list(ctx.shared.get("trainees", []))
    camp = ctx.shared["camp"]
    latest = (
        MonthlySummaryRow.objects.filter(camp=camp)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is None:
        ctx.rng.shuffle(trainees)
        return trainees
    rank = dict(
        MonthlySummaryRow.objects.filter(camp=camp, month=latest).values_list(
            "trainee_id", "class_rank"
        )
    )
    return sorted(trainees, key=lambda t: (rank.get(t.pk) or 9999, t.pk))


def _date_the_round(ctx: DemoContext, shortlist_round) -> None:
    """The services stamp when the figures were taken and the decisions made with the clock;
    the demo dates them on the round's own day, so that the story reads the same on any day."""
    taken, decided = ctx.at(shortlist_round.date, 10), ctx.at(shortlist_round.date, 15)
    ShortlistRound.objects.filter(pk=shortlist_round.pk).update(figures_taken_at=taken)
    shortlist_round.history.filter(figures_taken_at__isnull=False).update(figures_taken_at=taken)
    decided_entries = ShortlistEntry.objects.filter(round=shortlist_round, decided_at__isnull=False)
    decided_entries.update(decided_at=decided)
    ShortlistEntry.history.filter(round_id=shortlist_round.pk, decided_at__isnull=False).update(
        decided_at=decided
    )


@demo_step(order=40, label="组织部：跟踪关注、专项考察、分类面谈、综合比选与结业鉴定")
def build_oversight(ctx: DemoContext) -> None:
    orgdept, staff = ctx.shared["orgdept"], ctx.shared["staff"]
    rng = ctx.rng
    ranked = _ranked_trainees(ctx)
    if not ranked:
        return
    followed = ranked[:12]
    for trainee in followed:
        tracking_mark(trainee=trainee, by=orgdept, reason="月度考核排名靠前，重点跟踪")
    for index, trainee in enumerate(followed[:8]):
        inspection_note_create(
            trainee=trainee,
            by=orgdept,
            date=datetime.date(2026, 9, 10) + datetime.timedelta(days=7 * index),
            occasion=rng.choice(OCCASIONS),
            observation=rng.choice(OBSERVATIONS),
        )
    categories = list(InterviewCategory.objects.all())
    for index, trainee in enumerate(followed[:10]):
        category = categories[index % len(categories)]
        interview_create(
            trainee=trainee,
            by=orgdept,
            category=category,
            date=datetime.date(2026, 10, 12) + datetime.timedelta(days=3 * index),
            interviewers="市委组织部干部一处",
            notes=INTERVIEW_NOTES.get(category.name, "面谈情况良好。"),
        )
    shortlist_round = shortlist_round_create(
        camp=ctx.shared["camp"],
        by=orgdept,
        title="2026年度综合比选（第一轮）",
        date=datetime.date(2026, 11, 20),
        notes="结合全年考核、专项考察和分类面谈情况综合比选。",
    )
    entries = shortlist_add_trainees(
        shortlist_round=shortlist_round, trainees=ranked[:15], by=orgdept
    )
    for index, entry in enumerate(entries[:12]):
        decision = "recommended" if index < 5 else "reserve" if index < 10 else "not_now"
        shortlist_decide(entry=entry, by=orgdept, decision=decision, reason=REASONS[decision])
    _date_the_round(ctx, shortlist_round)
    quota = outstanding_quota(ctx.shared["camp"])
    for index, trainee in enumerate(ranked[:30]):
        try:
            graduation_save(
                trainee=trainee,
                by=staff,
                graduates=True,
                appraisal=APPRAISAL,
                outstanding=index < min(quota, 10),
            )
        except ValidationError:
            continue  # a withdrawn trainee or a full quota: the demo leaves them without one
    ctx.log(f"  组织部：关注{len(followed)}人，比选{len(entries)}人，结业鉴定草稿30份")
