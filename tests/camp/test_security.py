"""Login and session hardening: lockout, password rules, idle timeout, CSP, production settings.

The production checks run `manage.py` in a subprocess, because the settings module reads the
environment once at import and the test process runs in development mode."""

import datetime
import json
import os
import re
import secrets
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from camp.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every failed login hashes a password; the real hasher makes that take a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lockout_on(settings):
    """The suite turns axes off so tests can log in freely; these tests need it back."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def _try_login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_locks_out_a_user_after_five_failed_logins_from_one_address(client, lockout_on):
    UserFactory(username="wang", role=Role.STAFF)
    for _ in range(4):
        assert _try_login(client, "wang", "wrong-password").status_code == 200
    locked = _try_login(client, "wang", "wrong-password")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode()

    # Even the right password is refused while the lock holds.
    response = _try_login(client, "wang", TEST_PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)


@pytest.mark.django_db
def test_it_locks_the_user_and_address_pair_not_the_whole_account(client, lockout_on):
    """Per user and address: an attacker elsewhere cannot lock the real user out, and one
    address guessing one name does not lock other names."""
    UserFactory(username="wang", role=Role.STAFF)
    UserFactory(username="li", role=Role.STAFF)
    for _ in range(5):
        _try_login(client, "wang", "wrong-password", address="10.0.0.66")
    assert _try_login(client, "wang", TEST_PASSWORD, address="10.0.0.66").status_code == 429

    assert _try_login(client, "wang", TEST_PASSWORD, address="10.0.0.7").status_code == 302
    assert _logged_in(client)
    client.logout()
    assert _try_login(client, "li", TEST_PASSWORD, address="10.0.0.66").status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_the_lockout_ends_after_a_finite_cool_off(client, lockout_on):
    cool_off = datetime.timedelta(hours=django_settings.AXES_COOLOFF_TIME)
    assert datetime.timedelta(0) < cool_off <= datetime.timedelta(hours=24)
    UserFactory(username="wang", role=Role.STAFF)
    for _ in range(5):
        _try_login(client, "wang", "wrong-password")
    assert _try_login(client, "wang", TEST_PASSWORD).status_code == 429

    # Let the cool-off pass: the failures now lie further back than the cool-off time.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - cool_off - datetime.timedelta(minutes=1)
    )
    assert _try_login(client, "wang", TEST_PASSWORD).status_code == 302
    assert _logged_in(client)


# --- Passwords --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_passwords_shorter_than_ten_characters():
    user = UserFactory(username="wang", role=Role.STAFF)
    with pytest.raises(ValidationError, match="10"):
        validate_password("Xq7#pLm2v", user=user)  # 9 characters, otherwise strong
    validate_password("Xq7#pLm2vR", user=user)  # 10 characters pass


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("t015", "t015t015t015"),
        ("t018", "Huzhou-t018"),
        ("t017", "t017camp2026"),
        ("t017", "Xq7#T017pLm"),  # another case
        ("t017", "Xq7#ｔ０１７pLm"),  # full-width
    ],
)
def test_it_refuses_a_password_that_holds_the_user_name(username, password):
    user = UserFactory(username=username, full_name="张三", role=Role.TRAINEE)
    with pytest.raises(ValidationError, match="用户名或姓名"):
        validate_password(password, user=user)


@pytest.mark.django_db
def test_it_refuses_a_password_that_holds_or_resembles_the_full_name():
    user = UserFactory(username="t020", full_name="欧阳明华", role=Role.TRAINEE)
    with pytest.raises(ValidationError, match="用户名或姓名"):
        validate_password("欧阳明华Huzhou2026", user=user)
    validate_password("Xq7#pLm2vR", user=user)  # unrelated to the account: accepted
    # Close to the name without holding it: Django's similarity measure, told to read full_name.
    user = UserFactory(username="t021", full_name="Wang Xiaoming", role=Role.TRAINEE)
    with pytest.raises(ValidationError) as refused:
        validate_password("wangxiaoming1", user=user)
    assert [e.code for e in refused.value.error_list] == ["password_too_similar"]


@pytest.mark.django_db
def test_the_password_change_page_refuses_a_password_with_the_user_name(client):
    user = UserFactory(username="t015", role=Role.TRAINEE)
    client.force_login(user)
    response = client.post(
        reverse("password-change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "t015t015t015",
            "new_password2": "t015t015t015",
        },
    )
    assert "用户名或姓名" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_the_password_change_page_refuses_a_short_password(client):
    user = UserFactory(username="wang", role=Role.STAFF)
    client.force_login(user)
    response = client.post(
        reverse("password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Xq7#pLm2v", "new_password2": "Xq7#pLm2v"},
    )
    assert response.status_code == 200  # the form again, with the error
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


# --- Sessions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_idle_session_expires_and_each_request_extends_it(client):
    assert 0 < django_settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert django_settings.SESSION_REFRESH_SECONDS < django_settings.SESSION_COOKIE_AGE / 10
    user = UserFactory(username="wang", role=Role.STAFF)
    client.force_login(user)
    session_key = client.session.session_key
    Session.objects.filter(pk=session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )

    assert client.get(reverse("camp-list")).status_code == 200
    extended = Session.objects.get(pk=session_key).expire_date
    expected = timezone.now() + datetime.timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    assert abs((extended - expected).total_seconds()) < 60

    # Idle past the timeout: the session is gone and the user is sent to log in.
    Session.objects.filter(pk=session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("camp-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_an_active_session_is_written_at_most_once_a_refresh_interval(client, monkeypatch):
    user = UserFactory(username="wang", role=Role.STAFF)
    client.force_login(user)
    session_key = client.session.session_key
    assert client.get(reverse("camp-list")).status_code == 200  # stamps the session
    stamped = Session.objects.get(pk=session_key).expire_date

    # Within the interval the session is read, never written.
    Session.objects.filter(pk=session_key).update(expire_date=stamped)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("camp-list")).status_code == 200
    assert not [q for q in queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]

    # Once the interval has passed, the next request moves the expiry on.
    later = time.time() + django_settings.SESSION_REFRESH_SECONDS + 1
    monkeypatch.setattr("camp.middleware.time.time", lambda: later)
    Session.objects.filter(pk=session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("camp-list")).status_code == 200
    extended = Session.objects.get(pk=session_key).expire_date
    assert extended > timezone.now() + datetime.timedelta(minutes=10)


@pytest.mark.django_db
def test_an_anonymous_request_creates_no_session(client):
    assert client.get(reverse("login")).status_code == 200
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_a_stale_session_cookie_creates_no_session(client):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(reverse("login")).status_code == 200
    assert Session.objects.count() == 0


# --- Headers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_content_security_policy_forbids_inline_script(client):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "http" not in header  # no CDN origin allowed anywhere


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_signed_in_page_and_download_forbids_caching(client, cast):
    """Scores and personal data must not stay in a shared machine's cache, nor a proxy's."""
    client.force_login(cast.trainee_1)
    assert _no_store(client.get(reverse("assessment-my-scores", args=["2026"])))
    client.force_login(cast.staff)
    assert _no_store(client.get(reverse("candidate-list", args=["2026"])))
    download = client.get(reverse("export-download", args=["2026", "roster"]))
    assert download.status_code == 200
    assert _no_store(download)
    # A refusal is a signed-in response too.
    assert _no_store(client.get(reverse("assessment-my-scores", args=["2026"])))


def test_the_calendar_feed_forbids_caching_though_no_one_signs_in(client, cast):
    from curriculum.services.feed import feed_token_get_or_create

    token = feed_token_get_or_create(trainee=cast.trainee_in_group_1).token
    response = client.get(reverse("curriculum-feed", args=[token]))
    assert response.status_code == 200
    assert _no_store(response)


_TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_INLINE_HANDLER = re.compile(r"\s(on[a-z]+|style)\s*=", re.IGNORECASE)


def test_no_template_carries_inline_script_style_or_handlers():
    """The CSP would block them in the browser, silently: catch them here instead."""
    offenders = []
    for folder in _TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            for pattern in (_INLINE_SCRIPT, _INLINE_HANDLER):
                offenders += [
                    f"{template.relative_to(BASE_DIR)}: {m.group(0).strip()}"
                    for m in pattern.finditer(text)
                ]
    assert not offenders, "inline script/style is blocked by the CSP:\n" + "\n".join(offenders)


# --- Admin ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(client):
    staff_with_admin_flag = UserFactory(username="wang", role=Role.STAFF)
    staff_with_admin_flag.is_staff = True
    staff_with_admin_flag.save(update_fields=["is_staff"])
    client.force_login(staff_with_admin_flag)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

    superuser = UserFactory(username="root", role="")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


# --- Production mode --------------------------------------------------------------------------


def _production_env(**overrides) -> dict:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": "camp.example",
        "CACHE_URL": "redis://127.0.0.1:6379/1",  # read at start-up, never connected to here
    }
    # Test-only switches of this process (the browser tests') are no deployment's business.
    for name in ("DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_TEST_NAME"):
        env.pop(name, None)
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "WARNINGS" not in result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_turns_on_secure_cookies_and_hsts():
    dump = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_HTTPONLY']}))"
    )
    result = _manage("shell", "-c", dump, env=_production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param(None, id="missing"),
        pytest.param("too-short", id="short"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    env = _production_env()
    env.pop("DJANGO_SECRET_KEY")
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("cache_url", [None, "locmemcache://", "dummycache://"])
def test_production_refuses_to_start_without_a_shared_cache(cache_url):
    """Several web processes, a worker and commands must see one camp cache: a change made in
    one process has to reach the pages the others serve."""
    result = _manage("check", env=_production_env(CACHE_URL=cache_url))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_production_refuses_debug_on():
    result = _manage("check", env=_production_env(DJANGO_DEBUG="1"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
