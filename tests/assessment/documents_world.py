"""A small filed class for the graduation documents' tests: the cast's two trainees with
attendance, scores, both appraisal texts and a graduation (finalized on request), as of a fixed
graduation day with the clock held after it."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from assessment.services.appraisal_statements import appraisal_statement_save
from assessment.services.graduation import (
    graduation_certificates_assign,
    graduation_policy_update,
    graduation_save,
)
from camp.documents import document_text
from curriculum.models import Attendance, AttendanceStatus
from tests.factories import SessionFactory, TrainingDayFactory

from .conftest import raw_entry

GRADUATION_DAY = datetime.date(2026, 12, 18)
NOW = timezone.make_aware(datetime.datetime(2026, 12, 20, 10, 0))
SELF_SUMMARY = "一年来系统学习党的创新理论，在项目攻坚中经受了锻炼。"
GROUP_OPINION = "该同志学习认真，积极参加小组活动，调研扎实。"
APPRAISAL = "该同志理想信念坚定，考核合格。"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def filed(cast, frozen):
    """Trainee 1: 5 of 6 required sessions attended, points in all three categories, both
    texts and the school's appraisal. Trainee 2: fewer points, no texts."""
    camp = cast.camp
    camp.graduated_on = GRADUATION_DAY
    camp.save(update_fields=["graduated_on"])
    one, two = cast.trainee_in_group_1, cast.trainee_in_group_2
    day = TrainingDayFactory(camp=camp, slot_date=datetime.date(2026, 3, 14))
    sessions = [
        SessionFactory(training_day=day, half_day=("morning", "afternoon")[n % 2]) for n in range(6)
    ]
    statuses = [AttendanceStatus.PRESENT] * 5 + [AttendanceStatus.ABSENT]
    for session, status in zip(sessions, statuses, strict=True):
        Attendance.objects.create(session=session, trainee=one, status=status)
        Attendance.objects.create(session=session, trainee=two, status=AttendanceStatus.PRESENT)
    raw_entry(one, 4, "18.5")  # 理论教育
    raw_entry(one, 10, "9")  # 党性锻炼
    raw_entry(one, 19, "12")  # 能力提升
    raw_entry(two, 4, "10")
    appraisal_statement_save(
        trainee=one, kind="self_summary", text=SELF_SUMMARY, by=cast.trainee_1, seen_version=0
    )
    appraisal_statement_save(
        trainee=one, kind="group_opinion", text=GROUP_OPINION, by=cast.counselor_1, seen_version=0
    )
    graduation_policy_update(camp=camp, by=cast.staff, outstanding_share=Decimal("50"))
    graduation_save(
        trainee=one, by=cast.staff, graduates=True, appraisal=APPRAISAL, outstanding=True
    )
    graduation_save(trainee=two, by=cast.staff, graduates=True, appraisal="合格", outstanding=False)
    return cast


def finalize(cast):
    return graduation_certificates_assign(camp=cast.camp, by=cast.staff)


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    return document_text(open_docx(content))


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
