"""What a visitor of the demo would notice, by name rather than by primary key: two seeds that
tell the same story give equal snapshots and equal workbooks."""

import io

from openpyxl import load_workbook

from assessment.models import ClassMonthlySummary
from camp.models import Camp, User
from camp.workbooks import ExportRequest, build_export
from trainees.models import Candidate, ConductCode, StudyGroup, Trainee


def snapshot() -> dict:
    """Everything a visitor would notice, by name rather than by primary key."""
    trainees = Trainee.objects.filter(camp__code="2026").select_related("person__user", "group")
    return {
        "users": sorted(User.objects.values_list("username", "full_name", "role", "is_active")),
        "candidates": sorted(
            Candidate.objects.filter(camp__code="2026").values_list(
                "person__name", "person__unit", "person__birth_date", "decision"
            )
        ),
        "trainees": sorted(
            (
                t.person.user.username,
                t.person.name,
                t.group.number,
                t.placement_reason,
                t.post,
                t.status,
            )
            for t in trainees
        ),
        "counselors": list(
            StudyGroup.objects.filter(camp__code="2026")
            .order_by("number")
            .values_list("number", "counselor__user__username", "counselor__name")
        ),
        "conduct_codes": sorted(
            ConductCode.objects.filter(trainee__camp__code="2026").values_list(
                "trainee__person__name", "text"
            )
        ),
    }


def workbook_cells(kind: str, camp, month) -> list[tuple]:
    workbook, _name = build_export(kind, ExportRequest(camp=camp, month=month))
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = load_workbook(buffer, read_only=True)
    return [
        (sheet.title, *row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]


def summary_workbooks() -> dict:
    camp = Camp.objects.get(code="2026")
    months = ClassMonthlySummary.objects.filter(camp=camp).order_by("month")
    return {
        (kind, f"{summary.month:%Y-%m}"): workbook_cells(kind, camp, summary.month)
        for summary in months
        for kind in ("monthly", "ranking")
    }
