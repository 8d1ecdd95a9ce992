"""The teaching years of the demo's earlier editions (2023 to 2025): their training days,
the two half-days of each, and the attendance and leave of the year, written as the 2026 demo
writes them (`build_attendance_and_leave`) with a generator of its own per edition, so the
2026 edition's data does not move. Reads `ctx.shared["past_editions"]` (trainees.demo_editions).
"""

from __future__ import annotations

import datetime
import random

from camp.demo import DemoContext, demo_step
from camp.models import User
from camp.roles import Role

from .demo import _half_day_items
from .demo_data import AFTERNOON, MORNING, SCHOOL
from .demo_records import build_attendance_and_leave
from .models import ActivityKind, HalfDay, Session
from .services.calendar import training_days_plan


def past_context(ctx: DemoContext, camp, name: str) -> DemoContext:
    """A context for one earlier edition: its own seeded generator and, for "today", the day
    after its graduation, so that the whole year is in the past."""
    return DemoContext(
        today=camp.graduation_date + datetime.timedelta(days=1),
        password=ctx.password,
        rng=random.Random(f"demo-{name}-{camp.year}"),
        camp=camp,
        shared=ctx.shared,
        log=ctx.log,
    )


@demo_step(order=32, label="往届（2023—2025届）：培训日、课程与考勤")
def build_past_curriculum(ctx: DemoContext) -> None:
    staff = ctx.shared.get("staff") or User.objects.filter(role=Role.STAFF).order_by("pk").first()
    kinds = {kind.name: kind for kind in ActivityKind.objects.all()}
    for camp, trainees in ctx.shared.get("past_editions", []):
        past = past_context(ctx, camp, "curriculum")
        training_days_plan(camp=camp, by=staff)
        items = _half_day_items(kinds)
        sessions = []
        for day in camp.training_days.order_by("date"):
            for half_day, (start, end) in (
                (HalfDay.MORNING, MORNING),
                (HalfDay.AFTERNOON, AFTERNOON),
            ):
                kind, topic, _sources, _extra = items[len(sessions) % len(items)]
                sessions.append(
                    Session(
                        camp=camp,
                        training_day=day,
                        date=day.date,
                        half_day=half_day,
                        start_time=start,
                        end_time=end,
                        place=SCHOOL,
                        classroom=kind.classroom,
                        activity_kind=kind,
                        topic=topic,
                    )
                )
        sessions = Session.objects.bulk_create(sessions)
        # Those who stayed the year; a withdrawn trainee's records went with them, as in 2026.
        staying = [t for t in trainees if t.withdrawn_on is None]
        build_attendance_and_leave(past, camp, sessions, staying, staff, history=False)
