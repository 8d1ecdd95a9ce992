"""A small world of two editions for the editions side by side (届次对比): the cast's 2026
edition, running, and a 2025 edition, graduated, of four trainees whose figures are easy to
compute by hand (tests/oversight/test_editions.py, and the browser journey)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assessment.models import Graduation
from camp.models import CampStatus
from camp.services.camps import camp_create
from curriculum.models import Attendance, AttendanceStatus
from tests.assessment.conftest import raw_entry
from tests.factories import PersonFactory, SessionFactory, TraineeFactory, TrainingDayFactory
from trainees.models import CadreType, Rank

GRADUATED_ON = datetime.date(2025, 12, 26)


def _trainee(camp, admitted_on, **person):
    return TraineeFactory(camp=camp, admitted_on=admitted_on, person=PersonFactory(**person))


def build_editions_world(cast) -> dict:
    """Edition 2025 (graduated) of four trainees, one withdrawn in June; the cast's 2026 edition
    (running) with its two trainees."""
    past = camp_create(
        code="2025",
        name="2025届南太湖新锐特训营",
        year=2025,
        status=CampStatus.FINISHED,
        graduated_on=GRADUATED_ON,
    )
    admitted = datetime.date(2025, 1, 5)
    t1 = _trainee(
        past,
        admitted,
        cadre_type=CadreType.SELECTED_GRADUATE,
        rank=Rank.STAFF_MEMBER,
        birth_date=datetime.date(1998, 3, 1),
        work_field="乡村振兴",
    )
    t2 = _trainee(
        past,
        admitted,
        rank=Rank.SECTION_CHIEF,
        birth_date=datetime.date(1987, 5, 1),
        work_field="档案管理",
        township_chief_experience=True,
    )
    t3 = _trainee(past, admitted, birth_date=datetime.date(1991, 1, 1), work_field="机关党建")
    t4 = _trainee(past, admitted, birth_date=datetime.date(1993, 7, 1), work_field="招商引资")
    t4.status, t4.withdrawn_on, t4.withdrawal_kind = "withdrawn", datetime.date(2025, 6, 15), "left"
    t4.save()
    day = TrainingDayFactory(camp=past, slot_date=datetime.date(2025, 3, 8))
    session = SessionFactory(training_day=day)
    for trainee, status in (
        (t1, AttendanceStatus.PRESENT),
        (t2, AttendanceStatus.ABSENT),
        (t3, AttendanceStatus.LATE),
        (t4, AttendanceStatus.PRESENT),  # withdrawn by the graduation day: not counted
    ):
        Attendance.objects.create(session=session, trainee=trainee, status=status)
    raw_entry(t1, 3, "9.0", day=datetime.date(2025, 3, 31))
    raw_entry(t3, 3, "6.0", day=datetime.date(2025, 3, 31))
    raw_entry(t2, 3, "4.0", day=datetime.date(2025, 3, 31))
    raw_entry(t2, 3, "8.0", day=datetime.date(2025, 12, 30))  # after the graduation day
    final = timezone.now()
    for trainee, graduates, outstanding, number in (
        (t1, True, True, "NTH2025-001"),
        (t2, True, False, "NTH2025-002"),
        (t3, False, False, None),
    ):
        Graduation.objects.create(
            trainee=trainee,
            graduates=graduates,
            decline_reason="" if graduates else "请假超过全年半天数的1/7",
            outstanding=outstanding,
            certificate_number=number,
            finalized_at=final if graduates else None,
            updated_by=cast.staff,
        )
    # A draft in the running edition counts for nothing yet.
    Graduation.objects.create(trainee=cast.trainee_in_group_1, updated_by=cast.staff)
    return {"past": past, "t1": t1, "t2": t2, "t3": t3, "t4": t4}
