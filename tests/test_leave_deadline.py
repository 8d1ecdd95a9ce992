"""The leave deadline is one fact, the camp's: set it to 5 days and every reader says 5."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.deduction_selectors import attendance_deductions_due
from assessment.models import ScoreEntry, Source
from camp.workbooks import ExportRequest, build_export
from curriculum.models import LeaveRequest, LeaveStatus, TrainingDay

DAY = datetime.date(2026, 3, 14)
RULES = {
    "absence_item1_points": "2.0",
    "absence_item12_points": "2.0",
    "late_item1_points": "0.5",
    "leave_item1_points": "0.5",
    "unclosed_leave_item12_points": "1.0",
}


def _at(monkeypatch, moment: datetime.datetime) -> None:
    aware = timezone.make_aware(moment)
    monkeypatch.setattr(timezone, "now", lambda: aware)


def _leave(trainee, day, closed_on: datetime.date | None) -> LeaveRequest:
    closed_at = None
    if closed_on is not None:
        closed_at = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(9)))
    return LeaveRequest.objects.create(
        trainee=trainee,
        training_day=day,
        reason="出差",
        status=LeaveStatus.APPROVED,
        half_days=2,
        closed_at=closed_at,
    )


def _record_texts(cast, trainee) -> list[str]:
    workbook, _name = build_export(
        "record", ExportRequest(camp=cast.camp, user=cast.staff, trainee=trainee)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = load_workbook(buffer)
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


@pytest.mark.django_db
def test_a_five_day_deadline_reaches_every_page_the_deductions_and_the_exports(
    client, cast, monkeypatch
):
    day = TrainingDay.objects.create(camp=cast.camp, number=5, slot_date=DAY, date=DAY)
    # Closed on the fourth day after: late under the default 3 days, in time under 5.
    in_time = _leave(cast.trainee_in_group_1, day, DAY + datetime.timedelta(days=4))
    never = _leave(cast.trainee_in_group_2, day, None)
    _at(monkeypatch, datetime.datetime(2026, 3, 21, 10))

    client.force_login(cast.staff)
    response = client.post(
        reverse("assessment-attendance-rules", args=[cast.camp.code]),
        {**RULES, "leave_close_days": 5},
    )
    assert response.status_code == 302
    cast.camp.refresh_from_db()
    assert cast.camp.leave_close_days == 5
    assert cast.camp.history.order_by("-history_id").first().history_user == cast.staff

    # The deductions: only the leave never closed, dated the day after 19 March.
    unclosed = ScoreEntry.objects.filter(source=Source.ATTENDANCE, item__number=12)
    assert [(e.trainee_id, e.date) for e in unclosed] == [
        (never.trainee_id, datetime.date(2026, 3, 20))
    ]
    assert "2026-03-19" in unclosed.get().reason
    due = attendance_deductions_due(
        camp=cast.camp, scheme=cast.camp.assessment_scheme, today=datetime.date(2026, 3, 21)
    )
    unclosed_due = [d.trainee_id for d in due if d.key.startswith("leave-unclosed:")]
    assert unclosed_due == [never.trainee_id]
    assert in_time.trainee_id not in unclosed_due  # closed within the 5 days

    # Every page: the rules form, the scheme, the leave list for staff and for a trainee.
    rules = client.get(reverse("assessment-attendance-rules", args=[cast.camp.code]))
    assert 'name="leave_close_days" value="5"' in rules.content.decode()
    scheme = client.get(reverse("assessment-scheme", args=[cast.camp.code])).content.decode()
    assert "请假结束后 5 天内未销假" in scheme
    leave_page = client.get(reverse("curriculum-leave", args=[cast.camp.code])).content.decode()
    assert "须在培训日后5天内销假" in leave_page
    assert "3月19日截止" in leave_page
    client.force_login(cast.trainee_2)
    own = client.get(reverse("curriculum-leave", args=[cast.camp.code])).content.decode()
    assert "须在培训日后5天内销假" in own
    assert "3月19日截止" in own

    # The export: the trainee's record carries the deduction with its 5-day deadline.
    texts = _record_texts(cast, cast.trainee_in_group_2)
    assert any("2026-03-19" in text and "销假" in text for text in texts)
    assert not any("2026-03-17" in text for text in texts)


@pytest.mark.django_db
def test_it_refuses_a_deadline_out_of_range_and_saves_nothing(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("assessment-attendance-rules", args=[cast.camp.code]),
        {**RULES, "absence_item1_points": "3.0", "leave_close_days": 0},
    )
    assert response.status_code == 200
    cast.camp.refresh_from_db()
    cast.camp.assessment_scheme.refresh_from_db()
    assert cast.camp.leave_close_days == 3
    assert str(cast.camp.assessment_scheme.absence_item1_points) == "2.0"
