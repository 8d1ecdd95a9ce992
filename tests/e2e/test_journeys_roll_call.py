"""The live roll call in the browser: the projector shows a code; a trainee's phone checks in
with it; a code forwarded a few minutes later is refused in words."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import Attendance
from tests.factories import SessionFactory, TrainingDayFactory

from .conftest import assert_no_page_errors, log_in, new_page, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def moving_clock(monkeypatch):
    """The app's clock (the live server runs in this process), set by the test."""
    holder = {"now": timezone.make_aware(datetime.datetime(2026, 3, 14, 8, 50))}
    monkeypatch.setattr(timezone, "now", lambda: holder["now"])
    return holder


def test_the_projectors_code_checks_a_phone_in_and_an_old_code_is_refused(
    browser, live_server, phone, cast, moving_clock
):
    day = TrainingDayFactory(camp=cast.camp, slot_date=datetime.date(2026, 3, 14))
    session = SessionFactory(training_day=day, topic="坚定理想信念")  # 09:00-11:30
    context, projector = new_page(browser, live_server)
    try:
        log_in(projector, "staff")
        projector.goto(projector.base_url + f"/curriculum/sessions/{session.pk}/qr/")
        old_code = projector.locator("[data-check-in-code]").inner_text().strip()
        assert re.fullmatch(r"\d{6}", old_code)
        expect(projector.locator("img[data-role=qr]")).to_be_visible()
        old_link = projector.locator("[data-role=url]").inner_text().strip()
        assert old_link.endswith(f"?code={old_code}")

        # Two minutes later someone forwards the photo's link to a trainee still on the way.
        moving_clock["now"] += datetime.timedelta(minutes=2)
        log_in(phone, "t001")
        phone.goto(old_link)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("[data-check-in=error]")).to_contain_text("签到码已过期")
        assert not Attendance.objects.exists()

        # The projector now shows another code; the phone scans it and is checked in.
        projector.reload()
        code = projector.locator("[data-check-in-code]").inner_text().strip()
        assert code != old_code
        phone.goto(projector.locator("[data-role=url]").inner_text().strip())
        expect(phone.locator("#check-in-code")).to_have_value(code)
        phone.get_by_role("button", name="确认签到").click()
        expect(phone.locator("[data-check-in=done]")).to_contain_text("签到成功")
        screenshot(phone, "roll-call-check-in-phone")
        assert Attendance.objects.get().trainee == cast.trainee_in_group_1

        # The board lists the trainee as checked in.
        projector.goto(projector.base_url + f"/curriculum/sessions/{session.pk}/board/")
        expect(projector.locator("[data-list=checked_in]")).to_contain_text("张三")
        expect(projector.locator("[data-list=missing]")).to_contain_text("李四")
        assert_no_page_errors(projector)
        assert_no_page_errors(phone)
    finally:
        context.close()
