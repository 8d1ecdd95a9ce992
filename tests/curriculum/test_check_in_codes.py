"""The rotating check-in code: one per 30-s window, accepted in its own window and the next,
refused with words when older or forged."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from curriculum.check_in_codes import code_for, code_state, current_code, window_of
from curriculum.models import Attendance
from curriculum.services.attendance import attendance_check_in, check_in_token

UTC = datetime.UTC
NOON = datetime.datetime(2026, 3, 14, 1, 0, 0, tzinfo=UTC)  # 09:00 in Huzhou, a window start


def test_the_code_changes_every_thirty_seconds_and_differs_between_sessions():
    code, left = current_code(7, NOON)
    assert len(code) == 6
    assert code.isdigit()
    assert left == 30
    assert current_code(7, NOON + datetime.timedelta(seconds=29))[0] == code
    assert current_code(7, NOON + datetime.timedelta(seconds=30))[0] != code
    assert current_code(8, NOON)[0] != code


def test_a_code_works_in_its_window_and_the_next_only():
    code = current_code(7, NOON)[0]
    assert code_state(7, code, NOON + datetime.timedelta(seconds=10)) == "valid"
    assert code_state(7, code, NOON + datetime.timedelta(seconds=59)) == "valid"  # grace
    assert code_state(7, code, NOON + datetime.timedelta(seconds=60)) == "expired"
    assert code_state(7, code, NOON + datetime.timedelta(minutes=5)) == "expired"


def test_a_forged_or_other_sessions_code_is_wrong():
    # A code of a window still to come cannot have been shown: a guess, not an old code.
    assert code_state(7, code_for(7, window_of(NOON) + 5), NOON) == "wrong"
    assert code_state(7, code_for(8, window_of(NOON)), NOON) == "wrong"
    assert code_state(7, "", NOON) == "wrong"
    assert code_state(7, "abc", NOON) == "wrong"


def test_check_in_needs_the_current_code(cast, year, clock):
    token = check_in_token(year.morning)  # 09:00-11:30 on 2026-03-14
    trainee = cast.trainee_in_group_1
    shown = clock.at(datetime.datetime(2026, 3, 14, 8, 50))
    old_code = current_code(year.morning.pk, shown)[0]
    clock.at(datetime.datetime(2026, 3, 14, 8, 52))  # a forwarded photo, two minutes later
    with pytest.raises(ValidationError, match="签到码已过期"):
        attendance_check_in(token=token, trainee=trainee, code=old_code)
    with pytest.raises(ValidationError, match="签到码不正确"):
        attendance_check_in(token=token, trainee=trainee, code="12345x")
    assert not Attendance.objects.exists()
    fresh = current_code(year.morning.pk)[0]
    clock.at(datetime.datetime(2026, 3, 14, 8, 52, 45))  # the next window: still accepted
    row = attendance_check_in(token=token, trainee=trainee, code=fresh)
    assert row.status == "present"


def test_the_check_in_page_tells_an_old_code_in_chinese(client, cast, year, clock):
    from django.urls import reverse

    shown = clock.at(datetime.datetime(2026, 3, 14, 8, 50))
    old_code = current_code(year.morning.pk, shown)[0]
    clock.at(datetime.datetime(2026, 3, 14, 8, 55))
    client.force_login(cast.trainee_1)
    url = reverse("curriculum-check-in", args=[check_in_token(year.morning)])
    body = client.post(url, {"code": old_code}).content.decode()
    assert "签到码已过期" in body
    assert "确认签到" in body  # still open: they may type the current code
    assert not Attendance.objects.exists()
