"""Test databases copied from one migrated template, on PostgreSQL.

Each pytest-xdist worker used to migrate its own test database: about twenty seconds of a
worker's time at the start of every run, most of it fsyncs. Django can create a PostgreSQL test
database from a template (`TEST["TEMPLATE"]`); its `migrate` then finds nothing to apply. The
template is migrated once per set of migrations: its name carries a fingerprint of every
migration file and of the pinned requirements (the third-party apps' migrations), so a changed
migration gets a template of its own and a stale one is never used. A file lock keeps two runs
on one machine from making it at once. SQLite is left as it was (an in-memory test database is
already fast).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "camp_test_template_"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [*sorted(ROOT.glob("*/migrations/*.py")), ROOT / "requirements.txt"]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _admin(database: dict):
    import psycopg

    return psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _url(database: dict, name: str) -> str:
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}{port}/{name}"


def _migrate(database: dict, name: str) -> None:
    environment = {**os.environ, "DATABASE_URL": _url(database, name)}
    environment.pop("DATABASE_TEST_NAME", None)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        check=True,
        cwd=ROOT,
        env=environment,
    )


def use_migrated_template() -> None:
    import psycopg

    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        return
    name = f"{PREFIX}{fingerprint()}"
    lock_path = Path(tempfile.gettempdir()) / "camp-test-template.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with _admin(database) as admin:
            templates = [
                row[0]
                for row in admin.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{PREFIX}%"]
                )
            ]
            # A template whose migrations are gone serves no run; one being copied right now
            # by another run is left for the next clean-up.
            for stale in set(templates) - {name}:
                with contextlib.suppress(psycopg.errors.ObjectInUse):
                    admin.execute(f'DROP DATABASE IF EXISTS "{stale}"')
            ready = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [name],
            ).fetchone()
            if not ready or ready[0] != "migrated":
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
                _migrate(database, name)
                # Marked only once migrate finished: a run killed half-way leaves no template
                # that looks ready.
                admin.execute(f"COMMENT ON DATABASE \"{name}\" IS 'migrated'")
    database.setdefault("TEST", {})["TEMPLATE"] = name
    connections["default"].settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
