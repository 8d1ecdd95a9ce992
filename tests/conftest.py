"""Fixtures shared by the whole suite: the fixed cast of personas, and service checks.

Tests that need real PostgreSQL or Redis use the `postgres` / `redis_url` fixtures: they skip
with the reason when the service is absent, and fail instead under REQUIRE_SERVICES=1 (CI)."""

import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from camp.models import Camp, User
from camp.roles import Role
from camp.services.camps import camp_create
from trainees.models import Counselor, StudyGroup, Trainee

from .factories import (
    CounselorFactory,
    PersonFactory,
    TraineeFactory,
    UserFactory,
    assign_counselor,
)

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


@dataclass
class Cast:
    """The fixed personas every view is tried by."""

    camp: Camp
    group_1: StudyGroup
    group_2: StudyGroup
    staff: User
    counselor_1: User
    counselor_2: User
    trainee_1: User
    trainee_2: User
    orgdept: User
    leader: User
    trainee_in_group_1: Trainee
    trainee_in_group_2: Trainee
    counselor_of_group_1: Counselor
    counselor_of_group_2: Counselor

    def everyone(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "staff": self.staff,
            "counselor_1": self.counselor_1,
            "counselor_2": self.counselor_2,
            "trainee_1": self.trainee_1,
            "trainee_2": self.trainee_2,
            "orgdept": self.orgdept,
            "leader": self.leader,
        }


@pytest.fixture
def cast(db) -> Cast:
    camp = camp_create(code="2026", name="2026届南太湖新锐特训营", year=2026)
    group_1, group_2 = camp.groups.order_by("number")[:2]
    counselor_of_group_1 = CounselorFactory(
        user=UserFactory(username="counselor1", full_name="周辅导", role=Role.COUNSELOR)
    )
    counselor_of_group_2 = CounselorFactory(
        user=UserFactory(username="counselor2", full_name="吴辅导", role=Role.COUNSELOR)
    )
    assign_counselor(group_1, counselor_of_group_1)
    assign_counselor(group_2, counselor_of_group_2)
    trainee_in_group_1 = TraineeFactory(
        camp=camp,
        group=group_1,
        person=PersonFactory(
            name="张三",
            user=UserFactory(username="t001", full_name="张三", role=Role.TRAINEE),
            id_number="330502199001011234",
            phone="13800001111",
        ),
    )
    trainee_in_group_2 = TraineeFactory(
        camp=camp,
        group=group_2,
        person=PersonFactory(
            name="李四",
            user=UserFactory(username="t002", full_name="李四", role=Role.TRAINEE),
        ),
    )
    return Cast(
        camp=camp,
        group_1=group_1,
        group_2=group_2,
        staff=UserFactory(username="staff", full_name="王管理", role=Role.STAFF),
        counselor_1=counselor_of_group_1.user,
        counselor_2=counselor_of_group_2.user,
        trainee_1=trainee_in_group_1.person.user,
        trainee_2=trainee_in_group_2.person.user,
        orgdept=UserFactory(username="orgdept", full_name="赵组织", role=Role.ORGDEPT),
        leader=UserFactory(username="leader", full_name="钱领导", role=Role.LEADER),
        trainee_in_group_1=trainee_in_group_1,
        trainee_in_group_2=trainee_in_group_2,
        counselor_of_group_1=counselor_of_group_1,
        counselor_of_group_2=counselor_of_group_2,
    )


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}; celery eager: {settings.CELERY_TASK_ALWAYS_EAGER}"
