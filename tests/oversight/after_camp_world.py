"""Finished editions with graduates, for the after-camp tests (训后跟踪)."""

from __future__ import annotations

import datetime

from assessment.models import Graduation
from camp.models import CampStatus
from camp.roles import Role
from trainees.models import TraineeStatus

from ..factories import CampFactory, PersonFactory, TraineeFactory, UserFactory


def finished_camp(code: str = "2023", *, graduated_on=None):
    year = int(code)
    camp = CampFactory(code=code, year=year)
    camp.status = CampStatus.FINISHED
    camp.graduated_on = graduated_on or datetime.date(year, 12, 28)
    camp.save(update_fields=["status", "graduated_on"])
    return camp


def orgdept_user():
    return UserFactory(username="orgdept_a", full_name="组织部甲", role=Role.ORGDEPT)


def graduate(camp, name: str, *, graduates: bool = True, withdrawn: bool = False, **person):
    """A trainee of `camp` with a graduation record (granted unless `graduates=False`)."""
    trainee = TraineeFactory(
        camp=camp,
        person=PersonFactory(name=name, **person),
        admitted_on=camp.start_date,
    )
    if withdrawn:
        trainee.status = TraineeStatus.WITHDRAWN
        trainee.withdrawn_on = camp.start_date + datetime.timedelta(days=90)
        trainee.save(update_fields=["status", "withdrawn_on"])
    staff = UserFactory(username="grad_staff", role=Role.STAFF)
    Graduation.objects.create(
        trainee=trainee,
        graduates=graduates,
        decline_reason="" if graduates else "请假过多",
        updated_by=staff,
    )
    return trainee
