"""Sessions: created and changed by staff. A change trainees need to know about (date, time,
place, assembly) marks the session as changed and says what changed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from camp.models import Camp
from curriculum.models import Instructor, Session, SessionEvaluation
from trainees.models import Trainee

from .attendance import attendance_changed

# The fields whose change a trainee must notice, with how they are named to them.
NOTICED_FIELDS = {
    "date": gettext_lazy("日期"),
    "start_time": gettext_lazy("开始时间"),
    "end_time": gettext_lazy("结束时间"),
    "place": gettext_lazy("地点"),
    "location": gettext_lazy("教学点"),
    "assembly_time": gettext_lazy("集合时间"),
    "assembly_place": gettext_lazy("集合地点"),
}
# What the attendance deductions of the session's trainees are counted from (assessment's sync).
DEDUCTION_FIELDS = ("date", "half_day", "counts_as_half_days", "attendance_required", "topic")
EDITABLE_FIELDS = [
    "training_day",
    "date",
    "half_day",
    "start_time",
    "end_time",
    "place",
    "activity_kind",
    "topic",
    "group",
    "off_site",
    "location",
    "assembly_time",
    "assembly_place",
    "travel_minutes",
    "counts_as_half_days",
    "attendance_required",
]


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return f"{value.month}月{value.day}日"
    return str(value)


def _check(session: Session) -> None:
    if session.training_day_id is not None:
        day = session.training_day
        if day.camp_id != session.camp_id:
            raise ValidationError(_("培训日不属于本届次。"))
        session.date = day.date
    if session.date is None:
        raise ValidationError(_("请选择培训日，或为培训日以外的活动填写日期。"))
    camp = session.camp
    if not camp.start_date <= session.date <= camp.end_date:
        raise ValidationError(_("日期须在本届培训周期内。"))
    if session.group_id is not None and session.group.camp_id != session.camp_id:
        raise ValidationError(_("学习小组不属于本届次。"))
    if session.off_site and not session.location:
        raise ValidationError(_("异地/现场教学请填写教学点。"))
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        raise ValidationError(_("结束时间须晚于开始时间。"))
    if session.activity_kind_id:
        # The activity decides the classroom: a 部门授课 is always 赋能提质.
        session.classroom = session.activity_kind.classroom
    session.full_clean()


def _set_presenters(session: Session, presenters) -> None:
    presenters = list(presenters)
    if any(p.camp_id != session.camp_id for p in presenters):
        raise ValidationError(_("交流发言学员须为本届学员。"))
    session.presenters.set(presenters)


@transaction.atomic
def session_create(
    *,
    camp: Camp,
    by,
    instructors: list[Instructor] | None = None,
    presenters: list[Trainee] | None = None,
    **fields,
) -> Session:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = Session(camp=camp, **fields)
    _check(session)
    session._history_user = by
    session.save()
    if instructors:
        session.instructors.set(instructors)
    if presenters:
        _set_presenters(session, presenters)
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    by,
    reason: str,
    instructors: list[Instructor] | None = None,
    presenters: list[Trainee] | None = None,
    **fields,
) -> Session:
    """Change a session, for a reason that its history keeps. If trainees must notice (a new
    time, place, date...), it is marked changed with what changed, which `my schedule` and the
    iCal feed show."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写修改原因（如“授课教师临时调整”）。")})
    session = Session.objects.select_for_update().get(pk=session.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    before = {name: getattr(session, name) for name in {*NOTICED_FIELDS, *DEDUCTION_FIELDS}}
    for name, value in fields.items():
        setattr(session, name, value)
    _check(session)
    changes = [
        f"{label}：{_shown(before[name])} → {_shown(getattr(session, name))}"
        for name, label in NOTICED_FIELDS.items()
        if before[name] != getattr(session, name)
    ]
    if changes:
        session.changed_at = timezone.now()
        session.change_note = "；".join(changes)[:300]
    session._history_user = by
    session._change_reason = reason[:100]  # the history's reason field holds 100 characters
    session.save()
    if instructors is not None:
        session.instructors.set(instructors)
    if presenters is not None:
        _set_presenters(session, presenters)
    if any(before[name] != getattr(session, name) for name in DEDUCTION_FIELDS):
        attendance_changed(
            camp=session.camp,
            trainee_ids=session.attendances.values_list("trainee_id", flat=True),
            by=by,
        )
    return session


@transaction.atomic
def session_evaluate(
    *,
    session: Session,
    trainee: Trainee,
    session_score: int,
    instructor: Instructor | None = None,
    instructor_score: int | None = None,
    comment: str = "",
) -> SessionEvaluation:
    """A trainee rates a session they could attend, once, after it has started."""
    if session.starts_at > timezone.now():
        raise ValidationError(_("课程开始后才能评课。"))
    if SessionEvaluation.objects.filter(session=session, trainee=trainee).exists():
        raise ValidationError(_("您已评价过这节课，每节课只能评价一次。"))
    if instructor is not None and not session.instructors.filter(pk=instructor.pk).exists():
        raise ValidationError(_("所选教师不是这节课的授课教师。"))
    if instructor is not None and instructor_score is None:
        raise ValidationError(_("请为授课教师打分（1-5分）。"))
    evaluation = SessionEvaluation(
        session=session,
        trainee=trainee,
        session_score=session_score,
        instructor=instructor,
        instructor_score=instructor_score if instructor is not None else None,
        comment=(comment or "").strip(),
    )
    for score in (session_score, evaluation.instructor_score):
        if score is not None and not 1 <= score <= 5:
            raise ValidationError(_("评分须为 1 到 5 分。"))
    evaluation.full_clean()
    evaluation.save()
    return evaluation
