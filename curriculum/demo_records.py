"""Demo records of the year: attendance, leave, evaluations, talks, research and practice.
Bulk inserts throughout (with history where the model keeps it)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.files.base import ContentFile
from simple_history.utils import bulk_create_with_history

from camp.months import next_month
from trainees.models import CadreType

from .demo_data import MINIMAL_PDF, RESEARCH_TOPICS, TALK_TOPICS, TASK_FORCES, A, G
from .models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ChiefProject,
    HalfDay,
    LeaveRequest,
    LeaveStatus,
    ProgressNote,
    ResearchMember,
    ResearchMilestone,
    ResearchTopic,
    SessionEvaluation,
    Talk,
    TaskForce,
    TaskForceLogEntry,
)


def build_attendance_and_leave(ctx, camp, sessions, trainees, staff, history: bool = True) -> None:
    """Leave and attendance of the sessions before `ctx.today`. `history=False` leaves the
    history tables empty (an earlier edition's generated past, where the rows cost seconds)."""

    def bulk(rows, model, **options):
        if history:
            return bulk_create_with_history(rows, model, default_user=staff, **options)
        return model.objects.bulk_create(rows, **options)

    rng = ctx.rng
    today = ctx.today
    close_days = camp.leave_close_days
    past_days = sorted(
        {s.training_day_id: s.date for s in sessions if s.date < today}.items(),
        key=lambda kv: kv[1],
    )
    future_days = sorted(
        {s.training_day_id: s.date for s in sessions if s.date >= today}.items(),
        key=lambda kv: kv[1],
    )
    leaves = []
    leave_key = {}
    # A handful of trainees take a lot of leave, so the 1/7 warning has someone to show.
    heavy = rng.sample(trainees, min(2, len(trainees)))
    for trainee in trainees:
        chosen = rng.sample(
            past_days,
            min(len(past_days), 6 if trainee in heavy else rng.choice([0, 0, 0, 1, 1, 2])),
        )
        for day_id, date in chosen:
            half = rng.choice(["", HalfDay.MORNING, HalfDay.AFTERNOON])
            closed = rng.random() < 0.85
            # Closed within the camp's deadline, one to `close_days` days after the day.
            closed_on = date + datetime.timedelta(days=1 + len(leaves) % close_days)
            leave = LeaveRequest(
                trainee=trainee,
                training_day_id=day_id,
                half_day=half,
                half_days=1 if half else 2,
                reason=rng.choice(["单位重要工作任务", "身体不适就医", "家中有事", "参加上级会议"]),
                status=LeaveStatus.APPROVED,
                decided_by=staff,
                decided_at=ctx.at(date - datetime.timedelta(days=2), 10),
                closed_at=ctx.at(closed_on, 9) if closed else None,
            )
            leaves.append(leave)
    for trainee in rng.sample(trainees, min(6, len(trainees))):
        if future_days:
            day_id, _date = future_days[0]
            leaves.append(
                LeaveRequest(
                    trainee=trainee,
                    training_day_id=day_id,
                    half_day=HalfDay.AFTERNOON,
                    half_days=1,
                    reason="单位临时安排接待任务",
                )
            )
    if past_days:
        refused_trainee = trainees[0]
        leaves.append(
            LeaveRequest(
                trainee=refused_trainee,
                training_day_id=past_days[-1][0],
                half_day="",
                half_days=2,
                reason="个人事务",
                status=LeaveStatus.REFUSED,
                decided_by=staff,
                decided_at=ctx.at(past_days[-1][1] - datetime.timedelta(days=2), 10),
                decision_note="理由不充分，请合理安排个人事务",
            )
        )
    created = bulk(leaves, LeaveRequest)
    for leave in created:
        if leave.status == LeaveStatus.APPROVED:
            leave_key[(leave.trainee_id, leave.training_day_id)] = leave
    rows = []
    for session in sessions:
        if session.date >= today or not session.attendance_required:
            continue
        for trainee in trainees:
            if session.group_id and trainee.group_id != session.group_id:
                continue
            leave = leave_key.get((trainee.pk, session.training_day_id))
            if leave and (not leave.half_day or leave.half_day == session.half_day):
                status, source = AttendanceStatus.ON_LEAVE, AttendanceSource.LEAVE
            else:
                roll = rng.random()
                leave = None
                source = AttendanceSource.CHECK_IN if roll < 0.7 else AttendanceSource.STAFF
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.955
                    else AttendanceStatus.LATE
                    if roll < 0.975
                    else AttendanceStatus.LEFT_EARLY
                    if roll < 0.99
                    else AttendanceStatus.ABSENT
                )
            rows.append(
                Attendance(
                    session=session,
                    trainee=trainee,
                    status=status,
                    source=source,
                    leave=leave,
                    recorded_by=staff,
                    recorded_at=ctx.at(session.date, 12),
                )
            )
    bulk(rows, Attendance, batch_size=2000)
    ctx.log(f"  考勤记录 {len(rows)} 条，请假 {len(created)} 次")


def build_evaluations(ctx, sessions, trainees, session_instructors) -> None:
    """About a third of the class rates each past session (评课)."""
    rng = ctx.rng
    rows = []
    for session, chosen in zip(sessions, session_instructors, strict=False):
        if session.date >= ctx.today:
            continue
        instructor = chosen[0] if chosen else None
        for trainee in trainees:
            if rng.random() > 0.3:
                continue
            score = rng.choice([5, 5, 5, 4, 4, 3])
            rows.append(
                SessionEvaluation(
                    session=session,
                    trainee=trainee,
                    session_score=score,
                    instructor=instructor,
                    instructor_score=min(5, score + rng.choice([0, 0, 1])) if instructor else None,
                    comment=rng.choice(["", "", "内容紧贴实际，很有启发", "希望增加互动交流"]),
                )
            )
    SessionEvaluation.objects.bulk_create(rows, batch_size=2000)
    ctx.log(f"  评课 {len(rows)} 条")


def build_talks(ctx, camp, groups, trainees) -> None:
    rng = ctx.rng
    today = ctx.today
    talks = []
    by_group = defaultdict(list)
    for trainee in trainees:
        by_group[trainee.group_id].append(trainee)
    month = camp.start_date
    while month <= today:
        for group in groups:
            if group.counselor_id is None:
                continue
            members = by_group.get(group.pk, [])
            # About a third of the group each month; the current month is only half done.
            share = 0.15 if (month.year, month.month) == (today.year, today.month) else 0.35
            for trainee in members:
                if rng.random() > share:
                    continue
                last = min(today, (month + datetime.timedelta(days=27)))
                held = month + datetime.timedelta(
                    days=rng.randrange(max(1, (last - month).days + 1))
                )
                talks.append(
                    Talk(
                        trainee=trainee,
                        group=group,
                        counselor_id=group.counselor_id,
                        held_on=held,
                        topics="、".join(rng.sample(TALK_TOPICS, 2)),
                        summary="谈话中该同志思想稳定，工作积极，表示将结合岗位实际把所学转化为工作实效。"
                        "辅导员提醒其注意工作方法，平衡好工作与学习。",
                    )
                )
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    bulk_create_with_history(talks, Talk)
    ctx.log(f"  谈心谈话 {len(talks)} 次")


def build_research(ctx, camp, trainees, by_source, staff) -> None:
    rng = ctx.rng
    topics = []
    advisers = by_source[A] + by_source[G]
    for index, title in enumerate(RESEARCH_TOPICS):
        topics.append(
            ResearchTopic(
                camp=camp,
                title=title,
                description=f"围绕“{title}”开展专题调研，形成调研报告和对策建议。",
                adviser=advisers[index % len(advisers)],
            )
        )
    topics = bulk_create_with_history(topics, ResearchTopic, default_user=staff)
    topics = list(ResearchTopic.objects.filter(camp=camp).order_by("pk"))
    shuffled = trainees[:]
    rng.shuffle(shuffled)
    members, milestones = [], []
    for index, trainee in enumerate(shuffled):
        topic = topics[index % len(topics)]
        members.append(ResearchMember(topic=topic, trainee=trainee, is_leader=index < len(topics)))
    ResearchMember.objects.bulk_create(members)
    start = camp.start_date
    for topic in topics:
        for months, title in ((2, "开题"), (6, "中期交流"), (10, "成果汇报")):
            due = start + datetime.timedelta(days=30 * months)
            milestones.append(
                ResearchMilestone(
                    topic=topic, title=title, due_on=due, done_on=due if due < ctx.today else None
                )
            )
    ResearchMilestone.objects.bulk_create(milestones)
    # Two teams have already handed in their final report.
    if ctx.today >= start + datetime.timedelta(days=300):
        for topic in topics[:2]:
            topic.report.save("report.pdf", ContentFile(MINIMAL_PDF), save=False)
            topic.report_name = f"{topic.title}调研报告.pdf"
            topic.report_uploaded_at = ctx.at(start + datetime.timedelta(days=300), 16)
            topic.report_uploaded_by = staff
            topic.save()


def build_practice(ctx, camp, trainees, groups, staff) -> None:
    rng = ctx.rng
    today = ctx.today
    projects = [
        ChiefProject(
            trainee=trainee,
            title=f"{trainee.person.unit}重点项目攻坚"
            if hasattr(trainee, "person")
            else "重点项目攻坚",
            goal="年内完成项目主体建设，形成可复制推广的经验做法。",
            milestones="3月 完成方案\n6月 项目开工\n9月 主体完工\n12月 总结验收",
        )
        for trainee in trainees
    ]
    projects = bulk_create_with_history(projects, ChiefProject, default_user=staff)
    projects = list(
        ChiefProject.objects.filter(trainee__camp=camp)
        .select_related("trainee__group")
        .order_by("pk")
    )
    counselor_users = {g.pk: g.counselor.user if g.counselor else None for g in groups}
    notes = []
    for project in projects:
        month = camp.start_date
        while month <= today:
            if rng.random() < 0.8:
                commenter = counselor_users.get(project.trainee.group_id)
                commented = (
                    commenter is not None and rng.random() < 0.5 and month < today.replace(day=1)
                )
                notes.append(
                    ProgressNote(
                        project=project,
                        month=month,
                        text="本月按计划推进，完成阶段性任务；下月重点解决要素保障问题。",
                        counselor_comment="进展扎实，注意总结经验。" if commented else "",
                        commented_by=commenter if commented else None,
                        commented_at=ctx.at(next_month(month) + datetime.timedelta(days=4), 18)
                        if commented
                        else None,
                    )
                )
            month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    ProgressNote.objects.bulk_create(notes, batch_size=2000)
    graduates = [
        t
        for t in trainees
        if getattr(getattr(t, "person", None), "cadre_type", "")
        in (CadreType.SELECTED_GRADUATE, CadreType.RECRUITED_GRADUATE)
    ] or trainees[:36]
    rng.shuffle(graduates)
    log = []
    for index, (name, place, task) in enumerate(TASK_FORCES):
        force = TaskForce.objects.create(camp=camp, name=name, place=place, task=task)
        force.members.set(graduates[index :: len(TASK_FORCES)][:8])
        date = camp.start_date + datetime.timedelta(days=40 + index * 3)
        while date <= today:
            log.append(
                TaskForceLogEntry(
                    task_force=force,
                    date=date,
                    text=rng.choice(
                        [
                            "走访企业，收集问题清单",
                            "参与项目现场协调会",
                            "入户走访，宣讲政策",
                            "整理台账，形成周报",
                        ]
                    ),
                    by=staff,
                )
            )
            date += datetime.timedelta(days=21)
    TaskForceLogEntry.objects.bulk_create(log)
    ctx.log(f"  首席项目 {len(projects)} 个，进展记录 {len(notes)} 条，突击队 6 支")
