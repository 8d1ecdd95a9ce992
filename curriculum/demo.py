"""The teaching year of the demo camp: calendar, sessions, attendance, leave, talks, research,
chief projects and task forces. Bulk inserts throughout, so it takes seconds.

Reads from earlier steps (all optional, with fallbacks): `ctx.camp` (else the camp coded 2026),
`ctx.shared["staff"]` (a User, else the first staff user). Trainees and counselors are read from
the camp in the database."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.files.base import ContentFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from camp.demo import DemoContext, demo_step
from camp.models import Camp, User
from camp.roles import Role
from trainees.models import CadreType

from .models import (
    ActivityKind,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    ChiefProject,
    HalfDay,
    Instructor,
    InstructorSource,
    LeaveRequest,
    LeaveStatus,
    ProgressNote,
    ResearchMember,
    ResearchMilestone,
    ResearchTopic,
    Session,
    SessionEvaluation,
    Talk,
    TaskForce,
    TaskForceLogEntry,
)
from .services.calendar import training_days_plan
from .services.plan import curriculum_targets_create_defaults

A, G, IND = InstructorSource.ACADEMIC, InstructorSource.GOVERNMENT, InstructorSource.INDUSTRY
INSTRUCTORS = [
    ("陈立群", "浙江大学马克思主义学院", "教授", A),
    ("林雅琴", "中共浙江省委党校", "教授", A),
    ("许文博", "湖州师范学院", "副教授", A),
    ("沈卫东", "中共湖州市委党校", "教授", A),
    ("方晓岚", "浙江工业大学", "研究员", A),
    ("钱国栋", "湖州市委组织部", "副部长", G),
    ("孙建华", "湖州市发展和改革委员会", "主任", G),
    ("周晓明", "湖州市住房和城乡建设局", "局长", G),
    ("吴丽萍", "湖州市农业农村局", "局长", G),
    ("郑海涛", "湖州市商务局", "局长", G),
    ("冯志远", "湖州市文化广电旅游局", "局长", G),
    ("蒋一鸣", "安吉县余村村", "党支部书记", IND),
    ("韩书剑", "湖州南太湖新区产业集团", "董事长", IND),
    ("杨春燕", "长兴县新能源企业", "总经理", IND),
    ("朱振宇", "德清地理信息小镇", "负责人", IND),
    ("秦晓雯", "湖州市青年企业家协会", "会长", IND),
]

PARTY_LECTURES = [
    "习近平新时代中国特色社会主义思想的世界观和方法论",
    "坚定理想信念 筑牢信仰之基",
    "“八八战略”与浙江实践",
    "“两山”理念的湖州实践",
    "新时代年轻干部的政治能力",
    "全面从严治党与年轻干部廉洁自律",
    "党的创新理论与基层治理",
    "弘扬红船精神 走在时代前列",
    "中国式现代化的湖州答卷",
    "年轻干部的担当与作为",
]
PUBLIC_LECTURES = [
    "青能量：我的基层成长路",
    "青能量：数字化改革与治理",
    "青能量：招商引资的实战方法",
    "青能量：群众工作的方法与艺术",
    "青能量：应急管理与舆情应对",
    "青能量：共同富裕示范区建设",
    "青能量：科技创新与产业升级",
    "青能量：营商环境优化",
    "青能量：公文写作与调查研究",
    "青能量：领导力与团队建设",
]
CAPABILITY_MODULES = ["政治能力模块", "专业能力模块", "六个新湖州模块"]
DEPARTMENT_LECTURES = [
    "发展改革：湖州经济形势与重点任务",
    "住房城建：城市生命线工程",
    "农业农村：乡村振兴的湖州路径",
    "商务：开放型经济与项目招引",
    "文化旅游：城市文化产业能级提升",
    "组织工作：年轻干部培养选拔",
]
FORUMS = ["南太湖青年论坛：在基层一线成长", "南太湖讲坛：生态文明新实践", "青年干部论坛：担当作为"]
FIELD_TEACHING = [
    ("“两山”理念发源地现场教学", "安吉县余村"),
    ("红色根脉现场教学", "长兴新四军苏浙军区旧址"),
    ("数字经济现场教学", "德清地理信息小镇"),
    ("南太湖新区现场教学", "湖州南太湖新区"),
]
TRIPS = [
    ("异地现场教学：浙江大学专题研修", "浙江大学紫金港校区", 120),
    ("异地现场教学：苏州工业园区开放创新", "苏州工业园区", 150),
]
RESEARCH_SESSIONS = ["调研课题开题", "调研方法辅导", "调研中期交流", "调研成果汇报"]
PROJECT_SESSIONS = ["首席项目交流", "首席项目推进点评"]
SHARING = ["我的项目我领衔（一）", "我的项目我领衔（二）"]

RESEARCH_TOPICS = [
    "城市生命线工程建设运营",
    "乡村产业项目高质量招引",
    "城市文化产业能级提升",
    "数字化改革赋能基层治理",
    "南太湖新区产业链培育",
    "生态产品价值实现机制",
    "青年人才引育留用",
    "老旧小区改造与社区治理",
    "县域共同富裕路径",
]
TASK_FORCES = [
    ("织里镇突击队", "吴兴区织里镇", "童装产业转型升级与安全生产"),
    ("练市镇突击队", "南浔区练市镇", "重大项目落地攻坚"),
    ("莫干山镇突击队", "德清县莫干山镇", "民宿经济提质与乡村治理"),
    ("太湖图影突击队", "长兴县太湖图影旅游度假区", "文旅项目招引"),
    ("天荒坪镇突击队", "安吉县天荒坪镇", "抽水蓄能项目服务保障"),
    ("南太湖新区突击队", "湖州南太湖新区", "产业平台招商与企业服务"),
]
TALK_TOPICS = ["思想动态", "工作压力", "成长规划", "家庭情况", "学习体会", "项目推进"]

MORNING = (datetime.time(9, 0), datetime.time(11, 30))
AFTERNOON = (datetime.time(14, 0), datetime.time(16, 30))
SCHOOL = "市委党校报告厅"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _staff(ctx: DemoContext):
    staff = ctx.shared.get("staff")
    if staff is None:
        staff = User.objects.filter(role=Role.STAFF).order_by("pk").first()
    return staff


def _half_day_items(kinds) -> list[tuple]:
    """(kind, topic, sources, extra) for every half-day of the year, in teaching order: the
    classrooms take turns, each keeping its own order (a research topic opens before it reports)."""
    k = kinds
    streams = [
        [(k["专题党课"], t, (A, G), {}) for t in PARTY_LECTURES],
        [(k["青能量公开课"], t, (IND, A), {}) for t in PUBLIC_LECTURES],
        [(k["专题辅导"], t, (A,), {}) for t in CAPABILITY_MODULES]
        + [(k["部门授课"], t, (G,), {}) for t in DEPARTMENT_LECTURES],
        [(k["讲坛/论坛"], t, (A, IND), {}) for t in FORUMS]
        + [
            (k["现场教学"], t, (IND,), {"off_site": True, "location": loc, "place": loc})
            for t, loc in FIELD_TEACHING
        ],
        [(k["调研"], t, (A,), {}) for t in RESEARCH_SESSIONS]
        + [(k["项目"], t, (G,), {}) for t in PROJECT_SESSIONS]
        + [(k["经验分享交流会"], t, (), {"presenters": True}) for t in SHARING],
    ]
    items = []
    while any(streams):
        for stream in streams:
            if stream:
                items.append(stream.pop(0))
    return items


@demo_step(order=20, label="教学日历、课程与考勤")
def build_curriculum(ctx: DemoContext) -> None:
    camp = ctx.camp or Camp.objects.filter(code="2026").first()
    if camp is None:
        ctx.log("curriculum: no camp, skipped")
        return
    if Session.objects.filter(camp=camp).exists():
        ctx.log("curriculum: the camp already has sessions, skipped")
        return
    rng = ctx.rng
    staff = _staff(ctx)
    curriculum_targets_create_defaults(camp=camp)
    report = training_days_plan(camp=camp, by=staff)
    for line in report.lines():
        ctx.log(f"  {line}")

    instructors = []
    for name, unit, title, source in INSTRUCTORS:
        instructor, _created = Instructor.objects.get_or_create(
            name=name, unit=unit, defaults={"title": title, "source": source}
        )
        instructors.append(instructor)
    by_source = defaultdict(list)
    for instructor in instructors:
        by_source[instructor.source].append(instructor)
    kinds = {kind.name: kind for kind in ActivityKind.objects.all()}

    # From the database rather than ctx.shared: earlier steps may have withdrawn some since.
    trainees = list(camp.trainees.active().select_related("person").order_by("pk"))
    groups = list(camp.groups.select_related("counselor__user").order_by("number"))

    days = list(camp.training_days.order_by("date"))
    items = _half_day_items(kinds)
    trip_days = {days[7].pk: TRIPS[0], days[16].pk: TRIPS[1]} if len(days) > 16 else {}
    sessions, session_instructors, presenter_links = [], [], []
    item_index = 0
    for day in days:
        if day.pk in trip_days:
            topic, location, travel = trip_days[day.pk]
            sessions.append(
                Session(
                    camp=camp,
                    training_day=day,
                    date=day.date,
                    half_day=HalfDay.MORNING,
                    start_time=datetime.time(8, 0),
                    end_time=datetime.time(17, 30),
                    place=location,
                    classroom=kinds["异地现场教学"].classroom,
                    activity_kind=kinds["异地现场教学"],
                    topic=topic,
                    off_site=True,
                    location=location,
                    assembly_time=datetime.time(6, 30),
                    assembly_place="市委党校东门",
                    travel_minutes=travel,
                    counts_as_half_days=2,
                )
            )
            session_instructors.append([rng.choice(by_source[A])])
            continue
        for half_day, (start, end) in ((HalfDay.MORNING, MORNING), (HalfDay.AFTERNOON, AFTERNOON)):
            kind, topic, sources, extra = items[item_index % len(items)]
            item_index += 1
            sessions.append(
                Session(
                    camp=camp,
                    training_day=day,
                    date=day.date,
                    half_day=half_day,
                    start_time=start,
                    end_time=end,
                    place=extra.get("place", SCHOOL),
                    classroom=kind.classroom,
                    activity_kind=kind,
                    topic=topic,
                    off_site=extra.get("off_site", False),
                    location=extra.get("location", ""),
                    assembly_time=datetime.time(7, 30) if extra.get("off_site") else None,
                    assembly_place="市委党校东门" if extra.get("off_site") else "",
                    travel_minutes=60 if extra.get("off_site") else None,
                )
            )
            session_instructors.append([rng.choice(by_source[s]) for s in sources])
            if extra.get("presenters"):
                presenter_links.append(len(sessions) - 1)

    # Activities outside the training days: the monthly round table per group, debates,
    # reading sessions (not counted for attendance: they are the groups' own meetings).
    off_days = []
    for day in days[1::2]:  # one per month: the Wednesday after the second training day
        wednesday = day.date + datetime.timedelta(days=4)
        if wednesday > camp.end_date:
            continue
        for group in groups:
            off_days.append(
                Session(
                    camp=camp,
                    date=wednesday,
                    half_day=HalfDay.EVENING,
                    start_time=datetime.time(18, 30),
                    end_time=datetime.time(20, 30),
                    place="市委党校研讨室",
                    classroom=kinds["圆桌会"].classroom,
                    activity_kind=kinds["圆桌会"],
                    topic=f"青蓝共成长圆桌会（第{group.number}组）",
                    group=group,
                    attendance_required=False,
                )
            )
    for index, (kind_name, topic) in enumerate(
        [
            ("主题辩论赛", "年轻干部“快”与“稳”"),
            ("读书分享会", "《之江新语》"),
            ("读书分享会", "《习近平在浙江》"),
            ("主题辩论赛", "数字化与基层减负"),
        ]
    ):
        date = days[3 + index * 5].date + datetime.timedelta(days=5) if len(days) > 20 else None
        if date is None or date > camp.end_date:
            continue
        off_days.append(
            Session(
                camp=camp,
                date=date,
                half_day=HalfDay.EVENING,
                start_time=datetime.time(18, 30),
                end_time=datetime.time(20, 30),
                place="市委党校多功能厅",
                classroom=kinds[kind_name].classroom,
                activity_kind=kinds[kind_name],
                topic=topic,
                attendance_required=False,
            )
        )
    created = bulk_create_with_history(sessions + off_days, Session, default_user=staff)
    through = Session.instructors.through
    through.objects.bulk_create(
        [
            through(session_id=session.pk, instructor_id=instructor.pk)
            for session, chosen in zip(created, session_instructors, strict=False)
            for instructor in {i.pk: i for i in chosen}.values()
        ]
    )
    presenters = Session.presenters.through
    presenters.objects.bulk_create(
        [
            presenters(session_id=created[index].pk, trainee_id=trainee.pk)
            for index in presenter_links
            for trainee in rng.sample(trainees, min(4, len(trainees)))
        ]
    )
    _attendance_and_leave(ctx, camp, created[: len(sessions)], trainees, staff)
    _evaluations(ctx, created[: len(sessions)], trainees, session_instructors)
    _talks(ctx, camp, groups, trainees)
    _research(ctx, camp, trainees, by_source, staff)
    _practice(ctx, camp, trainees, groups, staff)
    ctx.shared["instructors"] = instructors
    ctx.log(
        f"curriculum: {len(days)} training days, {len(created)} sessions, "
        f"{len(instructors)} instructors"
    )


def _attendance_and_leave(ctx, camp, sessions, trainees, staff) -> None:
    rng = ctx.rng
    today = ctx.today
    now = timezone.now()
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
            leave = LeaveRequest(
                trainee=trainee,
                training_day_id=day_id,
                half_day=half,
                half_days=1 if half else 2,
                reason=rng.choice(["单位重要工作任务", "身体不适就医", "家中有事", "参加上级会议"]),
                status=LeaveStatus.APPROVED,
                decided_by=staff,
                decided_at=now,
                close_due_on=date + datetime.timedelta(days=3),
                closed_at=now if closed else None,
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
                decided_at=now,
                decision_note="理由不充分，请合理安排个人事务",
            )
        )
    created = bulk_create_with_history(leaves, LeaveRequest, default_user=staff)
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
                    recorded_at=now,
                )
            )
    bulk_create_with_history(rows, Attendance, default_user=staff, batch_size=2000)
    ctx.log(f"curriculum: {len(rows)} attendance records, {len(created)} leave requests")


def _evaluations(ctx, sessions, trainees, session_instructors) -> None:
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
    ctx.log(f"curriculum: {len(rows)} session evaluations")


def _talks(ctx, camp, groups, trainees) -> None:
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
    ctx.log(f"curriculum: {len(talks)} talks")


def _research(ctx, camp, trainees, by_source, staff) -> None:
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
            topic.report_uploaded_at = timezone.now()
            topic.report_uploaded_by = staff
            topic.save()


def _practice(ctx, camp, trainees, groups, staff) -> None:
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
        ChiefProject.objects.filter(trainee__camp=camp).select_related("trainee__group")
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
                        commented_at=timezone.now() if commented else None,
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
    ctx.log(
        f"curriculum: {len(projects)} chief projects, {len(notes)} progress notes, 6 task forces"
    )
