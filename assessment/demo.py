"""The demo camp's assessment year: scores, weekly reviews, contests, leader comments and the
monthly summaries computed by the job.

Reads from earlier steps: `ctx.camp`, `ctx.shared["staff"]`, `["orgdept"]`, `["leader"]`
(Users) and the curriculum's attendance (turned into deductions by the attendance sync).

Scores have real variation: each trainee has a steady "quality" (plus their group's), which
moves their grades and how often they are deducted, with month-to-month noise. Demo rows are
written in bulk *with history* (`bulk_create_with_history`), like any bulk write.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from simple_history.utils import bulk_create_with_history

from camp.demo import DemoContext, demo_step
from camp.models import User
from camp.months import camp_months, month_end
from camp.roles import Role
from trainees.models import Post, StudyGroup, Trainee

from .cells import item_cell_key
from .models import (
    AssessmentItem,
    CommentTarget,
    ContestKind,
    JudgeClass,
    ScoreEntry,
    Source,
    SummaryRun,
    WeeklyReview,
    WeeklyReviewRemark,
)

HALF = Decimal("0.5")
MONTHLY_GRADED = (3, 4, 7, 10, 15, 16, 19)
EVENT_GRADED = {5: 4, 6: 3, 14: 3, 21: 1, 22: 2, 23: 2}  # item: events in the year
# Once-only items, graded in the month given (if the demo's today has passed its end).
ONCE_GRADED = {9: 5, 18: 10, 8: 12, 26: 12}
HIGHLIGHTS = (
    "小组成员按时完成学习心得，讨论发言积极，结合岗位谈体会。",
    "圆桌会围绕中心工作展开，多名学员提出了可操作的建议。",
    "志愿服务活动组织有序，学员主动担当。",
    "读书分享准备充分，理论联系实际。",
)
PROBLEMS = (
    "个别学员笔记不够规范，需加强理论学习的系统性。",
    "部分发言泛泛而谈，对问题的分析还不够深入。",
    "有学员请假后未及时销假，需严格遵守请销假制度。",
    "",
)
REMARKS = (
    "本周表现突出，发言有深度。",
    "学习笔记有进步，继续保持。",
    "需注意按时参加小组活动。",
    "调研思路清晰，建议多听基层声音。",
)


def _grade(rng, maximum: Decimal, quality: float) -> Decimal:
    share = min(1.0, max(0.35, 0.72 + 0.12 * quality + rng.gauss(0, 0.08)))
    return (maximum * Decimal(str(share)) / HALF).quantize(Decimal("1"), ROUND_HALF_UP) * HALF


def _user(ctx: DemoContext, name: str, role: str):
    return ctx.shared.get(name) or User.objects.filter(role=role).order_by("pk").first()


@demo_step(order=30, label="考核：成绩、每周讲评、擂台比拼、领导点评与每月小结")
def build_assessment(ctx: DemoContext) -> None:
    camp = ctx.camp
    staff = _user(ctx, "staff", Role.STAFF)
    items = {i.number: i for i in AssessmentItem.objects.filter(scheme__camp=camp)}
    groups = list(StudyGroup.objects.filter(camp=camp).select_related("counselor__user"))
    # In the order they were admitted: the generator's draws go to the same trainees whatever
    # order the rows lie in on disk (an update moves a row, and the planner reads a table that
    # holds a previous demo's dead rows another way than a fresh one).
    trainees = list(
        Trainee.objects.filter(camp=camp).select_related("person", "group").order_by("pk")
    )
    rng = ctx.rng
    group_quality = {g.pk: rng.gauss(0, 0.5) for g in groups}
    quality = {t.pk: rng.gauss(0, 1) + group_quality.get(t.group_id, 0) for t in trainees}
    counselor_of = {g.pk: g.counselor.user if g.counselor else None for g in groups}
    months = camp_months(camp, ctx.today)

    entries = _scores(ctx, items, trainees, quality, months, staff, counselor_of)
    bulk_create_with_history(entries, ScoreEntry, batch_size=1000, default_user=staff)
    _attendance_deductions(camp, staff, ctx.today)
    _reviews(ctx, groups, trainees, counselor_of)
    _contests(ctx, camp, groups, trainees, quality, staff)
    _comments(ctx, camp, groups, trainees)
    _summaries(ctx, camp, months, staff)
    ctx.log(f"  考核记录 {ScoreEntry.objects.filter(trainee__camp=camp).count()} 条")


def _alive(trainee: Trainee, day: datetime.date) -> bool:
    """An entry may be dated only while the trainee is in the camp."""
    if day < trainee.admitted_on:
        return False
    return trainee.withdrawn_on is None or day < trainee.withdrawn_on


def _scores(ctx, items, trainees, quality, months, staff, counselor_of) -> list[ScoreEntry]:
    rng, today = ctx.rng, ctx.today
    entries: list[ScoreEntry] = []

    def add(trainee, number, points, day, reason=""):
        if day > today or not _alive(trainee, day):
            return
        item = items[number]
        by = counselor_of.get(trainee.group_id) if "counselor" in item.recorded_by else staff
        entries.append(
            ScoreEntry(
                trainee=trainee,
                item=item,
                points=points,
                date=day,
                reason=reason,
                recorded_by=by or staff,
                source=Source.MANUAL,
                cell=item_cell_key(item, day),
            )
        )

    for month in months:
        end = min(month_end(month), today)
        graded_on = month_end(month)
        for trainee in trainees:
            q = quality[trainee.pk]
            for number in MONTHLY_GRADED:
                add(trainee, number, _grade(rng, items[number].max_points, q), graded_on)
            # Discipline: the weaker trainees are deducted more often.
            for number, reason in (
                (2, "课堂上使用手机"),
                (11, "未按要求参加小组活动"),
                (13, "违反廉洁自律要求，已谈话提醒"),
            ):
                chance = {2: 0.08, 11: 0.05, 13: 0.005}[number] * (1.5 if q < -0.8 else 1)
                if rng.random() < chance:
                    day = month + datetime.timedelta(days=rng.randrange((end - month).days + 1))
                    add(trainee, number, Decimal("1.0"), day, reason)
            if rng.random() < 0.12 + 0.05 * max(q, 0):
                add(trainee, 17, Decimal("1.0"), month + datetime.timedelta(days=14), "志愿服务")
    for number, events in EVENT_GRADED.items():
        for event in range(events):
            month = datetime.date(ctx.camp.year, 2 + event * 10 // max(events, 1), 1)
            day = month + datetime.timedelta(days=19)
            for trainee in rng.sample(trainees, k=min(len(trainees), 40)):
                add(
                    trainee, number, _grade(rng, items[number].max_points, quality[trainee.pk]), day
                )
    for number, month_number in ONCE_GRADED.items():
        day = month_end(datetime.date(ctx.camp.year, month_number, 1))
        for trainee in trainees:
            add(trainee, number, _grade(rng, items[number].max_points, quality[trainee.pk]), day)
    for trainee in trainees:
        if trainee.post in (Post.CLASS_OFFICER, Post.GROUP_LEADER):
            add(trainee, 24, Decimal("5.0"), datetime.date(ctx.camp.year, 1, 31), "担任班委或组长")
        if quality[trainee.pk] > 1.2 and rng.random() < 0.4:
            add(trainee, 25, Decimal("2.0"), datetime.date(ctx.camp.year, 6, 30), "调研成果被采纳")
    return entries


def _attendance_deductions(camp, staff, today: datetime.date) -> None:
    from .services.attendance import attendance_deductions_sync

    # As of the demo's today, not the clock's: a leave not closed counts only once its
    # deadline has passed on the demo's calendar.
    attendance_deductions_sync(camp=camp, by=staff, today=today)


def _reviews(ctx, groups, trainees, counselor_of) -> None:
    from .review_selectors import review_weeks

    rng = ctx.rng
    members: dict[int, list[Trainee]] = {}
    for trainee in trainees:
        members.setdefault(trainee.group_id, []).append(trainee)
    reviews = []
    for group in groups:
        author = counselor_of.get(group.pk)
        if author is None:
            continue
        weeks = review_weeks(group, ctx.today)
        # A few weeks left unwritten, so the counselor's home page has something to show.
        for week in weeks[: max(0, len(weeks) - rng.randrange(0, 3))]:
            reviews.append(
                WeeklyReview(
                    group=group,
                    week_start=week,
                    highlights=rng.choice(HIGHLIGHTS),
                    problems=rng.choice(PROBLEMS),
                    author=author,
                )
            )
    reviews = bulk_create_with_history(reviews, WeeklyReview, batch_size=500)
    saved = {
        (r.group_id, r.week_start): r
        for r in WeeklyReview.objects.filter(group__in=groups).only("pk", "group_id", "week_start")
    }
    remarks = []
    for review in saved.values():
        for trainee in rng.sample(
            members.get(review.group_id, []), k=min(2, len(members.get(review.group_id, [])))
        ):
            if _alive(trainee, review.week_start):
                remarks.append(
                    WeeklyReviewRemark(review=review, trainee=trainee, remark=rng.choice(REMARKS))
                )
    bulk_create_with_history(remarks, WeeklyReviewRemark, batch_size=1000)


def _contests(ctx, camp, groups, trainees, quality, staff) -> None:
    from .services.contests import contest_close, contest_create, contest_marks_save

    rng = ctx.rng
    leader = _user(ctx, "leader", Role.LEADER)
    orgdept = _user(ctx, "orgdept", Role.ORGDEPT)
    judges = [(leader, JudgeClass.A), (orgdept, JudgeClass.B), (staff, JudgeClass.B)]
    active = [t for t in trainees if t.status == "active"]
    plans = [
        (datetime.date(camp.year, 5, 16), "“青春建功”项目路演擂台赛", ContestKind.TRAINEES),
        (datetime.date(camp.year, 9, 19), "“六个新湖州”小组擂台比武", ContestKind.GROUPS),
    ]
    for day, title, kind in plans:
        if day > ctx.today:
            continue
        contestants = (
            rng.sample(active, k=min(8, len(active))) if kind == ContestKind.TRAINEES else []
        )
        contest = contest_create(
            camp=camp,
            title=title,
            date=day,
            kind=kind,
            trainees=contestants,
            groups=groups if kind == ContestKind.GROUPS else [],
            judges=judges,
            by=staff,
        )
        # Judges and participants in the order they were added, as the trainees above: the
        # generator's draws must not follow the order rows happen to lie in on disk.
        for judge in contest.judges.select_related("user").order_by("pk"):
            marks = {}
            for participant in contest.participants.order_by("pk"):
                q = quality.get(participant.trainee_id, 0) if participant.trainee_id else 0
                mark = min(15.0, max(8.0, 12 + q + rng.gauss(0, 0.8)))
                marks[participant.pk] = Decimal(str(round(mark, 1)))
            contest_marks_save(judge=judge, marks=marks, by=judge.user)
        contest_close(contest=contest, by=staff)


def _comments(ctx, camp, groups, trainees) -> None:
    from .services.comments import leader_comment_create

    leader = _user(ctx, "leader", Role.LEADER)
    orgdept = _user(ctx, "orgdept", Role.ORGDEPT)
    plans = [
        (
            datetime.date(camp.year, 3, 28),
            leader,
            CommentTarget.CAMP,
            None,
            None,
            "开班后首次学员成长汇报会",
            "学员们精神面貌好，学习劲头足。希望大家把学到的理论转化为推动工作的实际本领。",
        ),
        (
            datetime.date(camp.year, 6, 27),
            orgdept,
            CommentTarget.GROUP,
            groups[0] if groups else None,
            None,
            "年中小组工作汇报",
            "小组围绕党的建设开展调研扎实，建议进一步聚焦基层实际问题。",
        ),
        (
            datetime.date(camp.year, 9, 26),
            leader,
            CommentTarget.TRAINEE,
            None,
            trainees[0] if trainees else None,
            "项目首席负责制汇报",
            "项目推进有力，思路清晰，要注重总结可复制的经验。",
        ),
    ]
    for day, author, target, group, trainee, occasion, text in plans:
        if day > ctx.today or author is None:
            continue
        leader_comment_create(
            camp=camp,
            author=author,
            date=day,
            occasion=occasion,
            text=text,
            target=target,
            group=group,
            trainee=trainee,
        )


def _summaries(ctx, camp, months, staff) -> None:
    """Every month up to today, computed by the job itself (its task, run in this process)."""
    from .tasks import compute_monthly_summary

    for month in months:
        run = SummaryRun.objects.create(camp=camp, month=month, requested_by=staff)
        compute_monthly_summary.apply(args=[run.pk])
