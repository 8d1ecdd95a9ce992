"""Fast entry screens, tried by every persona; the on-screen grid saves all or nothing."""

import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import ScoreEntry
from tests.personas import LOGIN, try_everyone

DAY = "2026-03-14"
RECORDERS_OWN_GROUP = {
    "anonymous": LOGIN,
    "staff": 200,
    "counselor_1": 200,
    "counselor_2": 404,
    "trainee_1": 403,
    "trainee_2": 403,
    "orgdept": 403,
    "leader": 403,
}


def grid_url(cast, name="assessment-grid", number=3, group=None):
    return reverse(name, args=[cast.camp.code, (group or cast.group_1).pk, number, DAY])


def test_the_grid_start_is_for_recorders(client, cast):
    url = reverse("assessment-grid-start", args=[cast.camp.code])
    assert try_everyone(client, cast, url) == {**RECORDERS_OWN_GROUP, "counselor_2": 200}


def test_a_grid_is_for_staff_and_the_groups_counselor(client, cast):
    # item 3 is the counselor's; staff get a 403 on it, so try item 2 for staff's view
    for name in ("assessment-grid", "assessment-grid-download", "assessment-grid-upload"):
        got = try_everyone(client, cast, grid_url(cast, name, number=3))
        assert got == {**RECORDERS_OWN_GROUP, "staff": 403}, name
        got = try_everyone(client, cast, grid_url(cast, name, number=2))
        assert got == {**RECORDERS_OWN_GROUP, "counselor_1": 403, "counselor_2": 404}, name


def test_a_trainee_and_another_counselor_cannot_post_a_grid(client, cast):
    for user in (cast.trainee_1, cast.counselor_2):
        client.force_login(user)
        response = client.post(
            grid_url(cast), {"reason": "x", f"cell-{cast.trainee_in_group_1.pk}": "8"}
        )
        assert response.status_code in (403, 404)
    assert not ScoreEntry.objects.exists()


def test_the_start_form_opens_the_grid_for_the_month_of_a_monthly_item(client, cast):
    client.force_login(cast.counselor_1)
    item = cast.camp.assessment_scheme.items.get(number=3)
    response = client.get(
        reverse("assessment-grid-start", args=[cast.camp.code]),
        {"group": cast.group_1.pk, "item": item.pk, "date": DAY},
    )
    assert response["Location"].endswith(f"/{cast.group_1.pk}/3/2026-03-01/")


def test_a_wrong_cell_keeps_the_whole_grid_unsaved_and_is_marked(client, cast):
    client.force_login(cast.counselor_1)
    trainee = cast.trainee_in_group_1
    versions = {f"version-{trainee.pk}": "0"}
    response = client.post(
        grid_url(cast), {"reason": "3月学习笔记", f"cell-{trainee.pk}": "12", **versions}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in page
    assert "全部未保存" in page
    assert not ScoreEntry.objects.exists()

    response = client.post(
        grid_url(cast), {"reason": "3月学习笔记", f"cell-{trainee.pk}": "8.5", **versions}
    )
    assert response.status_code == 302
    assert ScoreEntry.objects.get().points == Decimal("8.5")


def test_the_download_and_upload_round_trip(client, cast):
    client.force_login(cast.staff)
    response = client.get(grid_url(cast, "assessment-grid-download", number=2))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet["C3"] = 1.5
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("grid.xlsx", buffer.getvalue())
    response = client.post(
        grid_url(cast, "assessment-grid-upload", number=2), {"file": upload, "reason": "课堂纪律"}
    )
    assert response.status_code == 302
    assert ScoreEntry.objects.get().points == Decimal("1.5")


def test_a_rejected_upload_lists_its_rows(client, cast):
    client.force_login(cast.staff)
    upload = SimpleUploadedFile("grid.xlsx", b"not a workbook")
    response = client.post(
        grid_url(cast, "assessment-grid-upload", number=2), {"file": upload, "reason": "课堂纪律"}
    )
    assert response.status_code == 200
    assert "不是 Excel .xlsx 格式" in response.content.decode()
    assert not ScoreEntry.objects.exists()


def test_a_malformed_day_is_a_404(client, cast):
    client.force_login(cast.staff)
    url = reverse("assessment-grid", args=[cast.camp.code, cast.group_1.pk, 2, "2026-13-40"])
    assert client.get(url).status_code == 404


def test_a_stale_page_is_refused_and_shows_the_colleagues_value_for_a_deliberate_second_save(
    client, cast
):
    import datetime

    from assessment.services.entries import score_entry_create

    from .conftest import item_of

    trainee = cast.trainee_in_group_1
    client.force_login(cast.counselor_1)
    page = client.get(grid_url(cast)).content.decode()
    assert f'name="version-{trainee.pk}" value="0"' in page  # the page says it saw an empty cell

    score_entry_create(
        trainee=trainee,
        item=item_of(cast.camp, 3),
        points="9",
        date=datetime.date(2026, 3, 20),
        by=cast.counselor_1,  # in another tab, through the single-entry form
        reason="",
    )
    posted = {"reason": "3月学习笔记", f"cell-{trainee.pk}": "8", f"version-{trainee.pk}": "0"}
    response = client.post(grid_url(cast), posted)

    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人修改，全部未保存" in page
    assert "该单元格已有记录：周辅导" in page
    assert f'name="cell-{trainee.pk}" value="9.0"' in page  # the current value, not the typed 8
    assert ScoreEntry.objects.get().points == Decimal("9.0")

    # Saving again is deliberate: the page now carries the cell's version.
    response = client.post(grid_url(cast), {**posted, f"version-{trainee.pk}": "1"})
    assert response.status_code == 302
    assert list(ScoreEntry.objects.values_list("points", "version")) == [(Decimal("8.0"), 2)]


def test_the_grid_marks_an_automatic_grade_read_only(client, cast):
    import datetime

    from assessment.services.submissions import submission_create, submission_grade

    from .conftest import item_of

    trainee = cast.trainee_in_group_1
    submission = submission_create(
        trainee=trainee,
        item=item_of(cast.camp, 3),
        by=cast.trainee_1,
        text="笔记",
        period=datetime.date(2026, 3, 1),
    )
    submission_grade(submission=submission, points="9", comment="", by=cast.counselor_1)
    client.force_login(cast.counselor_1)
    page = client.get(grid_url(cast)).content.decode()
    assert 'data-testid="grid-automatic">9.0<' in page
    assert "自动：材料评分" in page
    assert f'name="cell-{trainee.pk}"' not in page  # no box to type over it


def test_the_grids_required_reason_is_marked_as_required(client, cast):
    """Like every required field of the app's forms, with crispy's asterisk; it had none."""
    client.force_login(cast.counselor_1)
    body = client.get(grid_url(cast)).content.decode()
    label = re.search(r'<label[^>]*for="grid-reason"[^>]*>(.*?)</label>', body, re.S)
    assert label, "the reason has no label"
    assert '<span class="asteriskField"' in label.group(1)
    assert "（必填）" in label.group(1)
    assert re.search(r'<input[^>]*id="grid-reason"[^>]*\brequired\b', body)
