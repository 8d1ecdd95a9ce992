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


def matrix_objects(world) -> dict:
    """For tests/test_access_matrix.py: a graduate of a finished edition with one post change,
    made once per matrix world."""
    if "after_camp" in world.objects:
        return world.objects["after_camp"]
    from oversight.models import PostChange

    camp = finished_camp("2023")
    one = graduate(camp, "往届学员")
    change = PostChange.objects.create(
        graduate=one,
        date=datetime.date(2024, 6, 1),
        post="镇长",
        rank="section_chief",
        promotion=True,
        updated_by=world.cast.orgdept,
    )
    world.objects["after_camp"] = {"graduate": one, "post": change}
    return world.objects["after_camp"]
