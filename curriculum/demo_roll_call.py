"""The demo's roll calls (issue 16 §4): staff closed the roll call of every session held before
the last training day; that day's stay open, so the staff home lists them and their boards show
who checked in, who was on leave and who was missing. 学时 need nothing more: they are read
from the attendance the curriculum step seeded."""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from camp.demo import DemoContext, demo_step

from .models import RollCall, Session


@demo_step(order=25, label="点名：已结束与待结束的点名")
def build_roll_calls(ctx: DemoContext) -> None:
    camp = ctx.shared.get("camp") or ctx.camp
    staff = ctx.shared.get("staff")
    held = list(
        Session.objects.filter(camp=camp, attendance_required=True, date__lt=ctx.today).order_by(
            "date", "start_time", "pk"
        )
    )
    days = [session.date for session in held if session.training_day_id is not None]
    if not days or staff is None:
        return
    last_day = max(days)
    closed = [
        RollCall(session=session, closed_by=staff, closed_at=ctx.at(session.date, 17))
        for session in held
        if session.date < last_day
    ]
    bulk_create_with_history(closed, RollCall, default_user=staff)
    ctx.log(f"  点名：已结束{len(closed)}节，{last_day:%m-%d}的点名待结束")
