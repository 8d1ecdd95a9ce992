import datetime

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from camp.models import PasswordReset
from camp.roles import Role
from trainees.models import WithdrawalKind
from trainees.services.accounts import initial_passwords_issue, trainee_reset_password
from trainees.services.admission import trainee_withdraw


def test_a_reset_password_is_random_readable_and_works(cast):
    user = cast.trainee_1
    first = trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    second = trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    assert first != second
    assert len(first) >= 10
    assert not set(first) & set("0O1lI")
    assert authenticate(username=user.username, password=second) == user
    assert authenticate(username=user.username, password=first) is None


def test_a_reset_password_is_not_stored_in_clear(cast):
    password = trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    cast.trainee_1.refresh_from_db()
    assert password not in cast.trainee_1.password


def test_a_withdrawn_trainee_gets_no_new_password(cast):
    trainee_withdraw(
        trainee=cast.trainee_in_group_1,
        kind=WithdrawalKind.LEFT,
        reason="离开",
        on=datetime.date(2026, 3, 1),
        by=cast.staff,
    )
    cast.trainee_in_group_1.refresh_from_db()
    with pytest.raises(ValidationError, match="已退出"):
        trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)


def test_initial_passwords_go_only_to_trainees_who_never_logged_in(cast):
    cast.trainee_2.last_login = timezone.now()
    cast.trainee_2.save(update_fields=["last_login"])
    issued = initial_passwords_issue(camp=cast.camp, by=cast.staff)
    assert [item.username for item in issued] == ["t001"]
    assert authenticate(username="t001", password=issued[0].password) == cast.trainee_1


def test_initial_passwords_can_be_issued_one_group_at_a_time(cast):
    issued = initial_passwords_issue(camp=cast.camp, by=cast.staff, group=cast.group_2)
    assert [item.trainee for item in issued] == [cast.trainee_in_group_2]
    assert initial_passwords_issue(camp=cast.camp, by=cast.staff, ungrouped=True) == []


def test_a_reset_is_recorded_with_who_their_role_and_when(cast):
    before = timezone.now()
    trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    (record,) = PasswordReset.objects.filter(user=cast.trainee_1)
    assert (record.by, record.by_role, record.kind) == (
        cast.staff,
        Role.STAFF,
        PasswordReset.Kind.RESET,
    )
    assert record.at >= before


def test_an_initial_password_sheet_is_recorded_for_each_trainee(cast):
    issued = initial_passwords_issue(camp=cast.camp, by=cast.staff)
    recorded = PasswordReset.objects.filter(kind=PasswordReset.Kind.INITIAL, by=cast.staff)
    assert {r.user.username for r in recorded} == {item.username for item in issued}


def _log_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, follow=True
    ).content.decode()


def test_the_trainee_is_told_of_a_reset_at_their_next_login_only(client, cast):
    password = trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    page = _log_in(client, "t001", password)
    assert "被党校管理员重置" in page
    client.logout()
    assert "重置" not in _log_in(client, "t001", password)


def test_the_account_page_shows_the_last_reset_and_its_role(client, cast):
    client.force_login(cast.trainee_1)
    assert "从未被他人重置" in client.get(reverse("password-change")).content.decode()
    trainee_reset_password(trainee=cast.trainee_in_group_1, by=cast.staff)
    cast.trainee_1.refresh_from_db()
    client.force_login(cast.trainee_1)  # the reset ended the old session
    page = client.get(reverse("password-change")).content.decode()
    assert "党校管理员（重置密码）" in page
