"""The demo's appraisal texts (学员鉴定表): for the 2026 edition's graduation drafts (written by
the organization department's step before this one), each trainee's own summary and, for most,
their counselor's group opinion, written through the same service as the pages. Texts are
picked by position, not by the shared rng, so that later steps draw the same numbers."""

from __future__ import annotations

import datetime

from camp.demo import DemoContext, demo_step

from .models import AppraisalStatement, Graduation, StatementKind
from .services.appraisal_statements import appraisal_statement_save

SELF_SUMMARIES = (
    "一年来，我坚持把学习党的创新理论放在首位，按时参加集中培训，认真完成学习笔记和心得。"
    "在首席项目推进中学会了统筹协调，在调研课题中提升了发现问题、解决问题的能力。"
    "今后将把所学所悟转化为推动工作的实际成效。",
    "通过特训营的学习，我的理论功底更加扎实，党性修养得到锤炼。参加现场教学和小组活动，"
    "开阔了视野，找到了差距。今后我将继续发扬实干担当精神，在基层一线建功立业。",
    "培训期间我积极参加圆桌会、读书分享和主题辩论，与同学们相互学习、共同进步。"
    "不足之处是统筹兼顾能力仍需加强，今后将在岗位实践中补齐短板。",
)
GROUP_OPINIONS = (
    "该同志政治立场坚定，学习态度端正，积极参加小组各项活动，调研扎实，首席项目推进有力，"
    "在组内起到了较好的带头作用。同意结业。",
    "该同志遵规守纪，学习认真，能结合本职工作思考问题，小组讨论发言有见地，"
    "团队协作意识强。建议今后进一步加强统筹协调能力。同意结业。",
)
GROUP_OPINIONS_WRITTEN = 20  # the rest are still with their counselor: the demo shows both


@demo_step(order=45, label="结业鉴定表：个人总结与小组鉴定意见")
def build_appraisal_texts(ctx: DemoContext) -> None:
    camp = ctx.shared.get("camp") or ctx.camp
    graduations = list(
        Graduation.objects.filter(trainee__camp=camp)
        .select_related("trainee__person__user", "trainee__group__counselor__user", "trainee__camp")
        .order_by("trainee__group__number", "trainee__admitted_on", "trainee__pk")
    )
    opinions = 0
    for index, graduation in enumerate(graduations):
        trainee = graduation.trainee
        writer = trainee.person.user or ctx.shared["staff"]
        appraisal_statement_save(
            trainee=trainee,
            kind=StatementKind.SELF_SUMMARY,
            text=SELF_SUMMARIES[index % len(SELF_SUMMARIES)],
            by=writer,
            seen_version=0,
        )
        counselor = trainee.group.counselor if trainee.group else None
        if counselor is not None and opinions < GROUP_OPINIONS_WRITTEN:
            appraisal_statement_save(
                trainee=trainee,
                kind=StatementKind.GROUP_OPINION,
                text=GROUP_OPINIONS[index % len(GROUP_OPINIONS)],
                by=counselor.user,
                seen_version=0,
            )
            opinions += 1
    _date_the_texts(ctx, [graduation.trainee_id for graduation in graduations])
    ctx.log(f"  结业鉴定表：个人总结{len(graduations)}份，小组鉴定意见{opinions}份")


def _date_the_texts(ctx: DemoContext, trainee_ids: list[int]) -> None:
    """The service stamps a save with the clock; the demo dates the summaries five days and the
    opinions two days before its today, so that the story reads the same on any day."""
    for kind, days_before in ((StatementKind.SELF_SUMMARY, 5), (StatementKind.GROUP_OPINION, 2)):
        moment = ctx.at(ctx.today - datetime.timedelta(days=days_before), 16)
        AppraisalStatement.objects.filter(trainee_id__in=trainee_ids, kind=kind).update(
            updated_at=moment
        )
        AppraisalStatement.history.filter(trainee_id__in=trainee_ids, kind=kind).update(
            updated_at=moment, history_date=moment
        )
