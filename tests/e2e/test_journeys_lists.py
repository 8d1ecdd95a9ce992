"""Lists that find things, in the browser: a leader types a trainee's pinyin initials into the
searchable trainee picker, and staff type them into the talks list's name filter, whose URL
then shows the same view; on a phone, the organization department finds one trainee's
interviews by initials."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from curriculum.models import Talk
from tests.factories import PersonFactory, TraineeFactory

from .conftest import PHONE, assert_no_page_errors, axe_sweep, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def class_of_thirty(cast):
    """A class large enough that its pickers search: 30 more trainees, one of them 张华生,
    who has had a talk with the counselor of group 1."""
    zhang = TraineeFactory(camp=cast.camp, group=cast.group_1, person=PersonFactory(name="张华生"))
    for _ in range(29):
        TraineeFactory(camp=cast.camp, group=cast.group_1)
    Talk.objects.create(
        trainee=zhang,
        group=cast.group_1,
        counselor=cast.counselor_of_group_1,
        held_on=datetime.date(2026, 3, 5),
        topics="岗位适应",
        summary="……",
    )
    Talk.objects.create(
        trainee=cast.trainee_in_group_1,
        group=cast.group_1,
        counselor=cast.counselor_of_group_1,
        held_on=datetime.date(2026, 3, 6),
        topics="工作压力",
        summary="……",
    )
    return zhang


def test_typing_initials_finds_a_trainee_in_a_picker_and_in_a_list(
    page, cast, camp_clock, class_of_thirty
):
    log_in(page, "leader")
    page.goto(page.base_url + "/camps/2026/comments/new/")
    # The plain select is hidden behind Tom Select's searchable control.
    page.locator("#div_id_trainee .ts-control").click()
    # Type once the list has opened with focus in its search box.
    expect(page.locator("#id_trainee-ts-control")).to_be_focused()
    expect(page.locator("#id_trainee-ts-dropdown")).to_be_visible()
    page.keyboard.type("zhs")
    options = page.locator("#id_trainee-ts-dropdown .option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("张华生")
    page.keyboard.press("Enter")
    assert page.locator("select#id_trainee").input_value() == str(class_of_thirty.pk)
    assert_no_page_errors(page)
    screenshot(page, "leader-picks-a-trainee-by-initials")

    page.context.clear_cookies()
    log_in(page, "staff")
    page.goto(page.base_url + "/camps/2026/talks/")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("姓名（可输拼音首字母）").fill("zhs")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"[?&]q=zhs"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张华生")
    # The link is the view: opened afresh, it shows the same one row.
    page.goto(page.url)
    expect(page.locator("tbody tr")).to_have_count(1)
    assert_no_page_errors(page)
    screenshot(page, "staff-filters-talks-by-initials")


def test_the_shortlists_long_add_list_filters_by_initials(page, cast, camp_clock, class_of_thirty):
    from oversight.services.shortlist import shortlist_round_create

    shortlist_round = shortlist_round_create(
        camp=cast.camp, by=cast.orgdept, title="年中比选", date=datetime.date(2026, 3, 1)
    )
    log_in(page, "orgdept")
    page.goto(page.base_url + f"/shortlists/{shortlist_round.pk}/")
    boxes = page.locator("#div_id_trainees .form-check")
    assert boxes.count() > 20
    page.locator("[data-checkbox-filter]").fill("zhs")
    expect(boxes.filter(visible=True)).to_have_count(1)
    expect(boxes.filter(visible=True).first).to_contain_text("张华生")
    assert_no_page_errors(page)


def test_orgdept_finds_a_trainees_interviews_by_initials_on_a_phone(
    phone, cast, camp_clock, class_of_thirty
):
    from oversight.models import Interview, InterviewCategory

    category = InterviewCategory.objects.first()
    # Named trainees only (张三 is zs, 李四 ls): a random factory name could read zhs too.
    others = [cast.trainee_in_group_1, cast.trainee_in_group_2] * 3
    for day, trainee in enumerate([class_of_thirty, *others[:5]], start=1):
        Interview.objects.create(
            trainee=trainee,
            category=category,
            date=datetime.date(2026, 3, day),
            interviewers="组织部",
            notes="……",
            author=cast.orgdept,
        )
    page = phone
    log_in(page, "orgdept")
    page.goto(page.base_url + "/camps/2026/interviews/")
    rows = page.locator('[data-testid="interview-row"]')
    expect(rows).to_have_count(6)
    page.get_by_label("姓名（可输拼音首字母）").fill("zhs")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"[?&]q=zhs"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张华生")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the filtered list is {width}px wide on a 390px phone"
    axe_sweep(page)
    # The link is the view: opened afresh, it shows the same one interview.
    page.goto(page.url)
    expect(rows).to_have_count(1)
    assert_no_page_errors(page)
    screenshot(page, "orgdept-filters-interviews-by-initials-phone")
