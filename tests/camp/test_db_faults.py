"""PostgreSQL drops the app's connection while it runs: the next request still works.

With CONN_MAX_AGE the app keeps its connection between requests; CONN_HEALTH_CHECKS makes the
first query of each request test it and reconnect when the server has dropped it.

Django's test client takes `close_old_connections` off the request signals, so it never starts
a request the way a server does. These tests drive the real WSGI handler instead, which is what
gunicorn calls: the request-start and request-finish hooks run as in production.
"""

import time

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _serve(path: str, cookies: dict) -> int:
    """One GET through the WSGI handler, as a server would make it; returns the status."""
    environ = RequestFactory().get(path).environ
    environ["HTTP_COOKIE"] = "; ".join(f"{k}={v.value}" for k, v in cookies.items())
    status = []
    response = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        b"".join(response)
    finally:
        response.close()  # fires request_finished, as a server does
    return int(status[0].split()[0])


def _admin_connection():
    """A second, independent connection: the 'DBA' who kills the app's session."""
    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    )


def _app_backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    with _admin_connection() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        for _ in range(50):  # the backend exits asynchronously
            gone = not admin.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]
            ).fetchone()
            if gone:
                return
            time.sleep(0.05)
    pytest.fail(f"backend {pid} did not exit after pg_terminate_backend")


@pytest.fixture
def staff_cookies(postgres, cast, client):
    client.force_login(cast.staff)
    return client.cookies


def test_the_settings_keep_connections_and_check_their_health(postgres):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_the_next_request_works_after_the_server_drops_the_apps_connection(staff_cookies):
    url = reverse("camp-list")
    assert _serve(url, staff_cookies) == 200
    pid = _app_backend_pid()
    # The connection outlives the request: that is what could go stale.
    assert _serve(url, staff_cookies) == 200
    assert _app_backend_pid() == pid

    _terminate(pid)

    assert _serve(url, staff_cookies) == 200
    assert _app_backend_pid() != pid


def test_without_health_checks_the_dropped_connection_would_fail_a_request(staff_cookies):
    """The control: it is the health check, not luck, that saves the request above."""
    url = reverse("camp-list")
    assert _serve(url, staff_cookies) == 200
    # Read from the settings when the connection opens; switch it off on the open one.
    connection.health_check_enabled = False
    try:
        _terminate(_app_backend_pid())
        assert _serve(url, staff_cookies) == 500
    finally:
        connection.health_check_enabled = True
    # The failed request marked the connection broken, so the one after reconnects.
    assert _serve(url, staff_cookies) == 200
