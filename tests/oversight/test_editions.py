"""The editions side by side (届次对比): the figures of each edition against values computed by
hand from a small world, who may open the page and the workbook, and the queries they take."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.rates import mean, median
from assessment.standing_selectors import scores_as_of
from camp.models import CampStatus
from camp.services.camps import camp_create
from oversight.after_camp_selectors import promotion_rates
from oversight.editions_selectors import edition_figures
from oversight.exports_editions import overview_columns
from oversight.services.after_camp import post_change_create
from tests.personas import try_everyone

from .after_camp_world import finished_camp, graduate, orgdept_user
from .editions_world import GRADUATED_ON, build_editions_world

ON = datetime.date(2026, 3, 10)


@pytest.fixture
def world(cast):
    return build_editions_world(cast)


def _shares(shares) -> dict:
    return {share.key: (share.count, share.percent) for share in shares if share.count}


def test_a_graduated_editions_figures_are_as_of_its_graduation_day(world, cast):
    past, current = edition_figures(on=ON)
    assert (past.camp, current.camp) == (world["past"], cast.camp)
    assert (past.as_of, past.finished) == (GRADUATED_ON, True)
    assert (current.as_of, current.finished) == (ON, False)
    assert (past.admitted, past.withdrawn, past.members) == (4, 1, 3)
    assert _shares(past.cadre_types) == {
        "selected_graduate": (1, Decimal("25.0")),
        "other": (3, Decimal("75.0")),
    }
    assert _shares(past.ranks) == {
        "section_chief": (1, Decimal("25.0")),
        "deputy_section_chief": (2, Decimal("50.0")),
        "staff_member": (1, Decimal("25.0")),
    }
    # Five-year bands of birth year, the same bands for every edition (the cast is born 1990).
    assert _shares(past.age_bands) == {
        1985: (1, Decimal("25.0")),
        1990: (2, Decimal("50.0")),
        1995: (1, Decimal("25.0")),
    }
    assert [share.key for share in past.age_bands] == [share.key for share in current.age_bands]
    assert _shares(past.sectors) == {
        "rural_revitalization": (1, Decimal("25.0")),
        "party_building": (1, Decimal("25.0")),
        "economic_development": (1, Decimal("25.0")),
        "other": (1, Decimal("25.0")),
    }
    assert (past.township_chiefs.count, past.township_chiefs.percent) == (1, Decimal("25.0"))
    # 累计 over the members on the day: present and late of three (t4 had left).
    assert past.attendance_rate == Decimal("66.7")
    assert current.attendance_rate is None
    assert (past.graduates, past.not_graduated, past.outstanding) == (2, 1, 1)
    assert (past.graduation_rate, past.outstanding_rate) == (Decimal("66.7"), Decimal("50.0"))
    assert (current.graduates, current.graduation_rate) == (0, None)


def test_scores_are_the_standings_on_the_graduation_day(world):
    past = edition_figures(on=ON)[0]
    standing = scores_as_of(camp=world["past"], as_of=GRADUATED_ON)
    t1, t2, t3 = (standing[world[name].pk] for name in ("t1", "t2", "t3"))
    # Item 3's grades as of the day: 9.0, 4.0 (the later 8.0 is not yet there) and 6.0.
    assert t1.total - t3.total == Decimal("3.0")
    assert t3.total - t2.total == Decimal("2.0")
    totals = [t1.total, t2.total, t3.total]
    assert past.total_average == mean(totals)
    assert past.total_median == median(totals) == t3.total
    assert sum(share.count for share in past.distribution) == 3  # t4 is not ranked
    assert past.category_averages["theory"] == mean(s.categories["theory"] for s in (t1, t2, t3))


def test_it_reads_every_edition_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    # editions, size, cadre types, ranks, birth years, work fields, attendance, graduation,
    # the standing's items, training days, trainees and entry aggregates, and the promotion rates
    with django_assert_num_queries(13):
        assert len(edition_figures(on=ON)) == 2
    camp_create(code="2024", name="2024届南太湖新锐特训营", year=2024, status=CampStatus.FINISHED)
    with django_assert_num_queries(13):
        assert len(edition_figures(on=ON)) == 3


def test_the_page_and_its_workbook_are_for_staff_orgdept_and_leaders(world, cast, client):
    allowed = {"staff": 200, "orgdept": 200, "leader": 200}
    refused = {"counselor_1": 403, "counselor_2": 403, "trainee_1": 403, "trainee_2": 403}
    for name in ("editions", "editions-workbook"):
        results = try_everyone(client, cast, reverse(name))
        assert {k: v for k, v in results.items() if k != "anonymous"} == allowed | refused
    client.force_login(cast.orgdept)
    page = client.get(reverse("editions")).content.decode()
    assert "2025届" in page
    assert "66.7" in page
    assert 'class="table-responsive"' in page


def test_the_command_writes_the_editions_workbook(world, tmp_path):
    target = tmp_path / "editions.xlsx"
    call_command("export_report", "editions", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["概况", "干部类别", "职级", "出生年份", "工作领域", "总分分布"]
    overview = book["概况"]
    headers = [cell.value for cell in overview[2]]
    assert headers[:3] == ["届次", "状态", "数据截至"]
    past = edition_figures()[0]
    row = dict(zip(headers, [cell.value for cell in overview[3]], strict=True))
    assert row["届次"] == "2025届南太湖新锐特训营"
    assert row["录取人数"] == past.admitted == 4
    assert row["在训人数"] == 3
    assert Decimal(str(row["出勤率（累计，%）"])) == past.attendance_rate
    assert Decimal(str(row["结业率（%）"])) == past.graduation_rate
    assert Decimal(str(row["总分平均"])) == past.total_average
    sectors = book["工作领域"]
    assert [cell.value for cell in sectors[2]][:3] == ["类别", "2025（人）", "2025（%）"]
    other = next(r for r in sectors.iter_rows(min_row=3, values_only=True) if r[0] == "其他")
    assert other[1:3] == (1, 25)


def test_the_page_downloads_the_workbook(world, client, cast):
    client.force_login(cast.leader)
    response = client.get(reverse("editions-workbook"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book["概况"]["A3"].value == "2025届南太湖新锐特训营"


def test_the_page_takes_as_many_queries_for_three_editions_as_for_two(world, cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.orgdept)
    client.get(reverse("editions"))  # the session's first request writes it once
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("editions")).status_code == 200
    camp_create(code="2024", name="2024届南太湖新锐特训营", year=2024, status=CampStatus.FINISHED)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("editions")).status_code == 200
    assert len(three) == len(two)


def test_several_camps_scores_read_at_once_are_each_camps_own(world, cast):
    from assessment.standing_selectors import scores_of_camps

    days = {world["past"]: GRADUATED_ON, cast.camp: ON}
    together = scores_of_camps(days)
    for camp, day in days.items():
        assert together[camp.pk] == scores_as_of(camp=camp, as_of=day)


@pytest.mark.django_db
def test_each_edition_carries_its_promotion_rates_and_the_workbook_says_so_far():
    camp = finished_camp("2023", graduated_on=datetime.date(2023, 12, 28))
    one = graduate(camp, "王一")
    graduate(camp, "王二")
    post_change_create(
        graduate=one,
        by=orgdept_user(),
        date=datetime.date(2024, 6, 1),
        post="某镇镇长",
        rank="section_chief",
        promotion=True,
    )
    today = datetime.date(2025, 3, 1)
    (figures,) = edition_figures([camp], on=today)
    assert figures.promotion_rates == promotion_rates([camp], today=today)[camp.pk]
    assert [rate.rate for rate in figures.promotion_rates] == [Decimal("50.0")] * 3
    assert [rate.so_far for rate in figures.promotion_rates] == [False, True, True]
    cells = {header: read(figures) for header, read in overview_columns()}
    assert cells["1年内提拔率（%）"] == Decimal("50.0")
    assert cells["1年内提拔率统计至"] == "已满1年（至2024-12-28）"
    assert cells["2年内提拔率统计至"] == "截至2025-03-01（未满2年）"
