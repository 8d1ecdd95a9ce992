"""The teaching year of the demo camp: calendar, sessions, attendance, leave, talks, research,
chief projects and task forces. Bulk inserts throughout, so it takes seconds.

Reads from earlier steps (all optional, with fallbacks): `ctx.camp` (else the camp coded 2026),
`ctx.shared["staff"]` (a User, else the first staff user). Trainees and counselors are read from
the camp in the database."""

from __future__ import annotations

import datetime
from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from camp.demo import DemoContext, demo_step
from camp.models import Camp, User
from camp.roles import Role

from .demo_data import (
    AFTERNOON,
    CAPABILITY_MODULES,
    DEPARTMENT_LECTURES,
    FIELD_TEACHING,
    FORUMS,
    IND,
    INSTRUCTORS,
    MORNING,
    PARTY_LECTURES,
    PROJECT_SESSIONS,
    PUBLIC_LECTURES,
    RESEARCH_SESSIONS,
    SCHOOL,
    SHARING,
    TRIPS,
    A,
    G,
)
from .demo_records import (
    build_attendance_and_leave,
    build_evaluations,
    build_practice,
    build_research,
    build_talks,
)
from .models import ActivityKind, HalfDay, Instructor, Session
from .services.calendar import training_days_plan
from .services.plan import curriculum_targets_create_defaults


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
        ctx.log("  没有届次，跳过教学数据")
        return
    if Session.objects.filter(camp=camp).exists():
        ctx.log("  该届次已有课程，跳过教学数据")
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
    # One round table per group and month, the Wednesday after the month's first training day:
    # a day moved into another month must not leave its own month without one.
    off_days = []
    first_of_month = {}
    for day in days:
        first_of_month.setdefault((day.date.year, day.date.month), day)
    for day in first_of_month.values():
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
    build_attendance_and_leave(ctx, camp, created[: len(sessions)], trainees, staff)
    build_evaluations(ctx, created[: len(sessions)], trainees, session_instructors)
    build_talks(ctx, camp, groups, trainees)
    build_research(ctx, camp, trainees, by_source, staff)
    build_practice(ctx, camp, trainees, groups, staff)
    ctx.shared["instructors"] = instructors
    ctx.log(f"  培训日 {len(days)} 天，课程 {len(created)} 节，授课教师 {len(instructors)} 人")
