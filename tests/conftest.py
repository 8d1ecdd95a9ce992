"""Fixtures shared by the whole suite: the fixed cast of personas (built by tests/personas.py),
and service checks.

Tests that need real PostgreSQL or Redis use the `postgres` / `redis_url` fixtures: they skip
with the reason when the service is absent, and fail instead under REQUIRE_SERVICES=1 (CI)."""

import os
import socket
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from .personas import Cast, build_cast
from .template_db import use_migrated_template

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# tests/production starts gunicorn, a Celery worker and beat on their own database: a CI step of
# its own after the suite (`make test-production`), run only when named on the command line.
collect_ignore = ["production"]


def _skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this may not skip)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        _skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    return connection


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        _skip_or_fail("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    if not _reachable(url):
        _skip_or_fail(f"Redis is not reachable at {url}")
    return url


def pytest_configure(config):
    _flush_postgres_by_delete()
    use_migrated_template()


def _flush_postgres_by_delete():
    """A transactional test (live server, threads, real workers) ends with a flush. On
    PostgreSQL Django's flush is one TRUNCATE of every table, which makes new files for ~110
    tables and their indexes: 1–3 s per test, over a minute of the suite. The tables hold a test's
    few rows, so DELETE empties them in a few milliseconds; the foreign keys are deferrable, so
    the order does not matter within the flush's transaction. Sequences are not reset, as
    Django's own flush leaves them unless asked."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        quoted = (self.quote_name(table) for table in tables)
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {table}" for table in quoted)]

    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and exported files go to a per-test folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_lockout_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a test that rendered in English must not leave
    the next one on the same worker speaking it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rolled-back tests reuse primary keys, so a camp's cached standing must not reach the
    next test."""
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block registers with `transaction.on_commit` at its
    end and then forgets it, as a real commit does. pytest-django's capture leaves the
    callbacks waiting on the test's transaction, where the camp cache would take them for
    changes still to commit (camp/camp_cache.py) and read every later figure live."""

    @contextmanager
    def run():
        connection = transaction.get_connection()
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        del connection.run_on_commit[start:]

    return run


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.5 s a hash on purpose; the cast alone would spend seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
    """The fixed cast of personas (tests/personas.py)."""
    return build_cast()
