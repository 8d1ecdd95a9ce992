"""Fixtures of the curriculum tests: a settable clock, and a planned year for the cast's camp."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from curriculum.models import ActivityKind, Session, TrainingDay
from curriculum.services.calendar import training_days_plan
from tests.factories import InstructorFactory, SessionFactory


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.at(datetime.datetime(2026, 3, 10, 12, 0))

    def at(self, moment: datetime.datetime) -> datetime.datetime:
        """Stop time at `moment` (local time, Asia/Shanghai)."""
        aware = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        self.now = aware
        self.monkeypatch.setattr(timezone, "now", lambda: self.now)
        return aware


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@dataclass
class Year:
    days: list[TrainingDay]
    day: TrainingDay  # 2026-03-14, the fifth day
    morning: Session
    afternoon: Session


@pytest.fixture
def year(cast, clock) -> Year:
    """The cast's 2026 camp, planned, with two sessions on 14 March 2026."""
    training_days_plan(camp=cast.camp, by=cast.staff)
    days = list(cast.camp.training_days.order_by("date"))
    day = cast.camp.training_days.get(date=datetime.date(2026, 3, 14))
    instructor = InstructorFactory(name="陈教授", source="academic")
    morning = SessionFactory(training_day=day, topic="坚定理想信念")
    morning.instructors.add(instructor)
    afternoon = SessionFactory(
        training_day=day,
        half_day="afternoon",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 30),
        activity_kind=ActivityKind.objects.get(name="部门授课"),
        classroom="empowerment",
        topic="湖州经济形势",
    )
    afternoon.instructors.add(InstructorFactory(name="孙主任", source="government"))
    return Year(days=days, day=day, morning=morning, afternoon=afternoon)
