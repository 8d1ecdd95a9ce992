"""The demo's notifications (通知), leave approval chain and escalations (预警): addresses and
channel choices for some users, a leave at each kind of step, the escalations the demo's
absences call for (one closed with its talk), and the day's reminders in the inboxes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from camp.demo import DemoContext, demo_step
from camp.models import Camp
from camp.notifications.models import Kind, Notification
from camp.notifications.reminders import reminders_send
from camp.notifications.services import notification_settings_update
from camp.roles import Role
from trainees.models import Trainee

from .models import Escalation, EscalationState, LeaveRequest, LeaveStatus
from .services.escalations import escalation_close, escalations_sync
from .services.leave import leave_request
from .services.leave_approval import leave_step_decide

# Users whose addresses the demo fills: staff, the first counselors and trainees.
WITH_ADDRESSES = 6


@demo_step(order=50, label="通知、请假审批与考勤预警")
def build_notices(ctx: DemoContext) -> None:
    camp = ctx.camp or Camp.objects.filter(code="2026").first()
    if camp is None:
        ctx.log("  没有届次，跳过通知")
        return
    users = get_user_model().objects.filter(is_active=True).exclude(role="")
    for n, user in enumerate(users.order_by("role", "pk")[: WITH_ADDRESSES * 3]):
        if n % 3:
            continue  # some users, not all: the others keep the inbox alone
        notification_settings_update(
            user=user,
            by=user,
            email=f"{user.username}@demo.party-school.cn",
            messaging_id=f"zzd-{user.username}",
            channels={Kind.LEAVE_DECIDED: ["email", "webhook"], Kind.ESCALATION: ["webhook"]},
        )
    _approval_chain(ctx, camp)
    escalations_sync(camp=camp)
    _close_one_escalation(ctx, camp)
    made = reminders_send(camps=[camp], today=ctx.today)
    ctx.log("  " + "，".join(f"{kind} {n}" for kind, n in made.items()))
    # The demo's inboxes tell a story dated on the demo's today; a few items already read.
    Notification.objects.update(created_at=ctx.at(ctx.today, 18))
    for pk in Notification.objects.order_by("pk").values_list("pk", flat=True)[::3]:
        Notification.objects.filter(pk=pk).update(read_at=ctx.at(ctx.today, 19))
    ctx.log(f"  通知 {Notification.objects.count()} 条，预警 {Escalation.objects.count()} 条")


def _approval_chain(ctx: DemoContext, camp) -> None:
    """Three pending leaves on training days to come: a half-day with the group's counselor,
    a whole day with staff, and a longer one already past staff and with orgdept."""
    staff = get_user_model().objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    days = list(camp.training_days.filter(date__gt=ctx.today).order_by("date")[:3])
    if len(days) < 3:  # a demo seeded at the year's end: the last days, entered by staff
        days = sorted(camp.training_days.order_by("-date")[:3], key=lambda day: day.date)
    trainees = list(
        Trainee.objects.filter(camp=camp, group__isnull=False)
        .active()
        .select_related("person__user")
        .order_by("pk")[:3]
    )
    if staff is None or len(days) < 3 or len(trainees) < 3:
        ctx.log("  培训日或学员不足，跳过请假审批示例")
        return
    asks = [
        (trainees[0], days[0], "morning", None, "家中老人就医"),
        (trainees[1], days[1], "", None, "单位紧急公务"),
        (trainees[2], days[1], "", days[2], "参加省委党校专题调训"),
    ]
    for trainee, day, half, last, reason in asks:
        if LeaveRequest.objects.filter(trainee=trainee, status=LeaveStatus.PENDING).exists():
            continue
        try:
            leave = leave_request(
                trainee=trainee,
                training_day=day,
                half_day=half,
                last_training_day=last,
                reason=reason,
                by=staff,  # recorded on the trainee's behalf, as staff may
            )
        except ValidationError as error:
            ctx.log(f"  跳过 {trainee}：{'；'.join(error.messages)}")
            continue
        if last is not None:
            leave_step_decide(leave=leave, by=staff, approve=True, comment="同意，报组织部")


def _close_one_escalation(ctx: DemoContext, camp) -> None:
    escalation = (
        Escalation.objects.filter(trainee__camp=camp, state=EscalationState.OPEN)
        .select_related("trainee__group__counselor__user")
        .order_by("pk")
        .first()
    )
    if escalation is None:
        return
    group = escalation.trainee.group
    by = group.counselor.user if group and group.counselor and group.counselor.user else None
    by = by or get_user_model().objects.filter(role=Role.STAFF).order_by("pk").first()
    escalation_close(
        escalation=escalation,
        by=by,
        talk_on=min(ctx.today, timezone.localdate()),
        note="已谈心谈话，学员说明情况并表示今后严格遵守请假制度。",
    )
