"""The demo camp is built in steps that each app contributes (camp cannot import the apps).

An app registers its step from AppConfig.ready():

    from camp.demo import demo_step

    @demo_step(order=20, label="教学日历与考勤")
    def build_curriculum(ctx: DemoContext) -> None: ...

`seed_demo` runs the steps in order with one shared, seeded `DemoContext`, so two runs give the
same demo.

Everything a step writes is dated from `ctx.today`, never from the clock: the demo seeded on any
real day tells the same story (`ctx.at` gives a moment on a demo day). The running app keeps the
real clock.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class DemoContext:
    """What the steps share. `today` is the demo's "today" (seed_demo --today)."""

    today: datetime.date
    password: str
    rng: random.Random
    camp: object | None = None
    # Anything a later step needs from an earlier one (users by name, instructors...).
    shared: dict = field(default_factory=dict)
    log: Callable[[str], None] = print

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        """A moment on a demo day, in the camp's time zone; a day past the demo's today is held
        at today, so that nothing seeded happens in the demo's future."""
        day = min(day, self.today)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass(order=True)
class DemoStep:
    order: int
    label: str = field(compare=False)
    build: Callable[[DemoContext], None] = field(compare=False)


DEMO_STEPS: list[DemoStep] = []


def demo_step(*, order: int, label: str):
    def decorator(build):
        if not any(step.build is build for step in DEMO_STEPS):
            DEMO_STEPS.append(DemoStep(order=order, label=label, build=build))
        return build

    return decorator
