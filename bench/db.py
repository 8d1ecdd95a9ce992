"""The bench's own PostgreSQL database, `camp_bench_<scale>`, and Django set up against it.

The database is dropped and recreated on every run, so nothing of the developer's own data is
read or touched. The environment is set before Django reads its settings, which is why every
bench entry point calls `setup_django` before importing a model.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
# Two engineers benching on one machine each set their own suffix (e.g. BENCH_DB_SUFFIX=_b1):
# their databases, template and Redis databases then never meet.
SUFFIX = os.environ.get("BENCH_DB_SUFFIX", "")


def database_name(scale: int) -> str:
    return f"camp_bench_{scale}{SUFFIX}"


def database_url(scale: int) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database_name(scale)}"


def bench_environment(scale: int, **extra: str) -> dict[str, str]:
    """The environment a bench process (this one, a child, gunicorn, a worker) runs with."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="camp.settings",
        DATABASE_URL=database_url(scale),
        # DEBUG would keep every query in memory and render debug pages: not what users get.
        DJANGO_DEBUG="0",
        LOG_LEVEL="WARNING",
        AXES_ENABLED="0",
    )
    env.pop("CELERY_BROKER_URL", None)
    env.update(extra)
    return env


def setup_django(scale: int, **extra: str) -> None:
    os.environ.update(bench_environment(scale, **extra))
    if "CELERY_BROKER_URL" not in extra:
        os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


TEMPLATE = f"camp_bench_template{SUFFIX}"


def migrations_fingerprint() -> str:
    """A hash of every migration file: the migrated template is reused while it matches."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _admin():
    import psycopg

    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True
    )


def _migrated_template() -> None:
    """Migrating takes 30-50 s of mostly fsyncs; copying a migrated template takes one. The
    template carries the fingerprint of the migrations it was made with, in its comment."""
    fingerprint = migrations_fingerprint()
    with _admin() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [TEMPLATE],
        ).fetchone()
        if row and row[0] == fingerprint:
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    env = bench_environment(0, DATABASE_URL=f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{TEMPLATE}")
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        check=True,
        cwd=ROOT,
        env=env,
    )
    with _admin() as conn:
        conn.execute(f"COMMENT ON DATABASE \"{TEMPLATE}\" IS '{fingerprint}'")


def recreate_database(scale: int) -> None:
    """Drop the bench database and make it again as a copy of the migrated template (migrating
    happens in a child process, so this one never holds a connection to a dropped database)."""
    _migrated_template()
    name = database_name(scale)
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
