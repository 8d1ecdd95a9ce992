"""One definition per figure: in the demo, every page and workbook that shows November's
attendance rate or average of a group or the class shows the same number (issue 12 §3)."""

import datetime
import io
import re
from decimal import Decimal
from io import BytesIO

import openpyxl
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from camp.models import Camp
from camp.workbooks import ExportRequest, build_export

NOVEMBER = datetime.date(2026, 11, 1)


def _figure(text: str) -> Decimal | None:
    text = re.sub(r"<[^>]+>", "", text).strip()
    return None if text in ("", "—") else Decimal(text)


def _row(html: str, marker: str) -> str:
    match = re.search(rf"<tr {marker}[^>]*>(.*?)</tr>", html, re.S)
    assert match, marker
    return match.group(1)


def _cells(row_html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)


def _rate_in(row_html: str) -> Decimal | None:
    match = re.search(r"<(?:td|span) data-rate>(.*?)</(?:td|span)>", row_html, re.S)
    assert match, row_html
    return _figure(match.group(1))


def _workbook(kind: str, camp, user) -> openpyxl.Workbook:
    workbook, _ = build_export(kind, ExportRequest(camp=camp, user=user, month=NOVEMBER))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _dashboard_rate(html: str, month: str) -> Decimal | None:
    for row in re.findall(r'<tr data-testid="attendance-row">(.*?)</tr>', html, re.S):
        cells = _cells(row)
        if cells[0].strip() == month:
            return _figure(cells[1])
    raise AssertionError(f"no attendance row for {month}")


def test_every_page_and_workbook_shows_one_figure_per_label(client, db):
    call_command("seed_demo", "--today", "2026-11-30", stdout=io.StringIO())
    camp = Camp.objects.get(code="2026")
    users = get_user_model().objects
    staff, counselor = users.get(username="staff"), users.get(username="counselor1")
    group = camp.groups.get(number=1)

    client.force_login(staff)
    summary = client.get(
        reverse("assessment-summary-month", args=[camp.code, "2026-11"])
    ).content.decode()
    attendance = client.get(
        reverse("curriculum-attendance", args=[camp.code]), {"month": "2026-11"}
    ).content.decode()
    class_dashboard = client.get(reverse("camp-dashboard", args=[camp.code])).content.decode()
    book = _workbook("monthly", camp, staff)
    client.force_login(counselor)
    group_dashboard = client.get(reverse("counselor-home")).content.decode()

    # Group 1's November rate: the summary page, the attendance page for November, the
    # counselor's dashboard and the monthly workbook.
    group_sheet = {row[0]: row for row in book["小组平均"].iter_rows(min_row=3, values_only=True)}
    group_line = group_sheet[str(group)]
    summary_group = _row(summary, 'data-group="1"')
    rate = _rate_in(summary_group)
    assert rate is not None
    assert _rate_in(_row(attendance, 'data-group="1"')) == rate
    assert _dashboard_rate(group_dashboard, "2026-11") == rate
    assert Decimal(str(group_line[-1])) == rate

    # The class's November rate: the same four places.
    class_rate = _figure(
        re.search(r'data-testid="class-attendance-rate">(.*?)</div>', summary, re.S).group(1)
    )
    assert class_rate is not None
    assert _rate_in(_row(attendance, 'data-group="class"')) == class_rate
    assert _dashboard_rate(class_dashboard, "2026-11") == class_rate
    assert Decimal(str(group_sheet["全班"][-1])) == class_rate

    # Averages and the median: the summary page and the workbook agree, and the workbook's
    # class average and median are those of its own rows (rounded half-up to 0.1).
    group_average = _figure(_cells(summary_group)[2])
    assert Decimal(str(group_line[2])) == group_average
    class_average = _figure(re.search(r"平均总分<div[^>]*>(.*?)</div>", summary, re.S).group(1))
    assert Decimal(str(group_sheet["全班"][2])) == class_average
    median_shown = _figure(re.search(r"中位数<div[^>]*>(.*?)</div>", summary, re.S).group(1))
    ranking = _workbook("ranking", camp, staff)
    ranked = [
        Decimal(str(row[3]))
        for row in ranking["班级排名"].iter_rows(min_row=3, values_only=True)
        if row[0] is not None
    ]
    from assessment.rates import mean, median

    assert mean(ranked) == class_average
    assert median(ranked) == median_shown
    in_group = [
        Decimal(str(row[3]))
        for row in ranking["小组排名"].iter_rows(min_row=3, values_only=True)
        if row[0] == str(group) and row[1] is not None
    ]
    assert mean(in_group) == group_average

    client.force_login(staff)
    # A figure for the year so far says so wherever it is shown.
    assert "累计出勤率" in summary
    assert (
        "累计出勤率"
        in client.get(reverse("curriculum-attendance", args=[camp.code])).content.decode()
    )
    student_header = [cell.value for cell in book["学员"][2]]
    assert "累计出勤率（%）" in student_header
    # After a second month, "—" in 较上月 means only "no earlier figure".
    changes = re.findall(
        r'<td class="text-end">([^<]*)</td><td class="text-end">[^<]*</td></tr>', summary
    )
    assert changes
    assert "—" not in changes
