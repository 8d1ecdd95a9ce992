"""The demo's after-camp records: for the graduates of every finished edition, the posts they
moved to (some promoted within one, two or three years), an appraisal grade for each full year
since graduation, and a few awards and notes. Written through the same services as the pages,
dated from the edition's graduation date up to the demo's today, with a seeded generator
of each edition's own.

On main the demo holds one running edition, so this step writes nothing until the older,
finished editions are seeded (the editions step, which runs before it)."""

from __future__ import annotations

import dataclasses
import datetime
import random

from camp.demo import DemoContext, demo_step
from camp.models import Camp, CampStatus, User
from camp.months import add_years
from camp.roles import Role
from trainees.models import Rank

from .after_camp_selectors import graduates
from .models import AppraisalGrade
from .services.after_camp import (
    after_camp_note_create,
    appraisal_create,
    award_create,
    post_change_create,
)

# Highest first, as Rank lists them: a promotion moves one step up.
RANKS = [value for value, _label in Rank.choices]
POSTS = {
    Rank.STAFF_MEMBER: ["综合科科员", "办公室科员"],
    Rank.DEPUTY_SECTION_CHIEF: ["镇党委委员、副镇长", "区发改局科长", "街道党工委委员"],
    Rank.SECTION_CHIEF: ["镇党委副书记、镇长", "区委办副主任", "市直部门处室负责人"],
    Rank.DEPUTY_DIVISION_CHIEF: ["镇党委书记", "区直部门副局长", "开发区管委会副主任"],
    Rank.DIVISION_CHIEF: ["区直部门局长", "县（区）委常委"],
    Rank.DEPUTY_BUREAU_CHIEF: ["市直部门副局长"],
    Rank.BUREAU_CHIEF: ["市直部门局长"],
}
TOWNS = ["织里镇", "八里店镇", "南浔镇", "练市镇", "新市镇", "洛舍镇", "和平镇", "泗安镇"]
# Cumulative shares promoted within one, two and three years: about 15%, 30% and 45%.
PROMOTED_BY_YEAR = (0.15, 0.30, 0.45)
GRADES = [
    (AppraisalGrade.EXCELLENT, 0.22),
    (AppraisalGrade.COMPETENT, 0.74),
    (AppraisalGrade.BASICALLY_COMPETENT, 0.04),
]
AWARDS = [
    ("全市优秀共产党员", "中共湖州市委"),
    ("全市“担当作为好干部”", "中共湖州市委组织部"),
    ("全省乡村振兴先进个人", "浙江省人民政府"),
    ("全市抗台救灾先进个人", "湖州市人民政府"),
]
NOTES = [
    "在重大项目攻坚中表现突出，继续跟踪培养。",
    "群众基础好，建议适时交流到综合部门任职。",
]


def _day_within(ctx: DemoContext, start: datetime.date, end: datetime.date) -> datetime.date:
    end = min(end, ctx.today)
    return start + datetime.timedelta(days=ctx.rng.randint(0, max((end - start).days, 0)))


def _post(ctx: DemoContext, rank: str) -> str:
    return ctx.rng.choice(TOWNS) + ctx.rng.choice(POSTS[rank])


def _grade(ctx: DemoContext) -> str:
    draw, total = ctx.rng.random(), 0.0
    for grade, share in GRADES:
        total += share
        if draw < total:
            return grade
    return AppraisalGrade.COMPETENT


def _one_graduate(ctx: DemoContext, graduate, by, graduated: datetime.date) -> tuple[int, int]:
    """Writes one graduate's records; returns (post changes, promotions)."""
    rank = graduate.person.rank or Rank.DEPUTY_SECTION_CHIEF
    draw = ctx.rng.random()
    promoted_in = next(
        (years for years, share in enumerate(PROMOTED_BY_YEAR, start=1) if draw < share), None
    )
    changes = promotions = 0
    if promoted_in is not None and RANKS.index(rank) > 0:
        start = add_years(graduated, promoted_in - 1)
        end = add_years(graduated, promoted_in) - datetime.timedelta(days=1)
        if start <= ctx.today:
            higher = RANKS[RANKS.index(rank) - 1]
            post_change_create(
                graduate=graduate,
                by=by,
                today=ctx.today,
                date=_day_within(ctx, start + datetime.timedelta(days=30), end),
                post=_post(ctx, higher),
                rank=higher,
                promotion=True,
            )
            changes, promotions = 1, 1
    elif ctx.rng.random() < 0.3 and graduated + datetime.timedelta(days=60) <= ctx.today:
        # A move at the same rank (交流任职): a post change that is no promotion.
        post_change_create(
            graduate=graduate,
            by=by,
            today=ctx.today,
            date=_day_within(ctx, graduated + datetime.timedelta(days=60), ctx.today),
            post=_post(ctx, rank),
            rank=rank,
            promotion=False,
        )
        changes = 1
    # The appraisal of a year is made early the next: one grade per full year since graduation.
    for year in range(graduated.year + 1, ctx.today.year):
        appraisal_create(graduate=graduate, by=by, year=year, grade=_grade(ctx), today=ctx.today)
    if ctx.rng.random() < 0.08:
        name, body = ctx.rng.choice(AWARDS)
        award_create(
            graduate=graduate,
            by=by,
            today=ctx.today,
            date=_day_within(ctx, graduated + datetime.timedelta(days=90), ctx.today),
            name=name,
            body=body,
        )
    if ctx.rng.random() < 0.05:
        after_camp_note_create(
            graduate=graduate,
            by=by,
            today=ctx.today,
            date=_day_within(ctx, graduated, ctx.today),
            text=ctx.rng.choice(NOTES),
        )
    return changes, promotions


@demo_step(order=45, label="组织部：往届结业学员的训后跟踪")
def build_after_camp(ctx: DemoContext) -> None:
    by = ctx.shared.get("orgdept") or User.objects.filter(role=Role.ORGDEPT).first()
    if by is None:
        return
    finished = Camp.objects.filter(status=CampStatus.FINISHED).order_by("year", "start_month")
    for camp in finished:
        graduated = camp.graduation_date
        if graduated > ctx.today:
            continue
        changes = promotions = 0
        # Each edition draws from a generator of its own: the shared one's later draws (the
        # 2026 notices and leave) stay the same whatever editions the demo holds.
        ctx = dataclasses.replace(ctx, rng=random.Random(f"demo-after-camp-{camp.code}"))
        alumni = graduates().filter(camp=camp).select_related("person", "camp").order_by("pk")
        for graduate in alumni:
            one_changes, one_promotions = _one_graduate(ctx, graduate, by, graduated)
            changes += one_changes
            promotions += one_promotions
        ctx.log(f"  训后跟踪：{camp.code}届 任职变动{changes}条（提拔{promotions}人）")
