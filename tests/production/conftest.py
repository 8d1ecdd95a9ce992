"""One production-shaped deployment for the whole step: a migrated PostgreSQL database with the
demo camp, collected static files, gunicorn, a Celery worker and Celery beat.

The demo is loaded with tasks run in-process (no broker given to `seed_demo`), so the queue is
empty when the worker starts: every task the worker then takes was started by a test through
HTTP. Nothing here uses the suite's test database; these tests run outside `make test`
(`tests/conftest.py` leaves this folder out) as `make test-production`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import psycopg
import pytest
import redis

from tests.conftest import REQUIRE_SERVICES

from . import stack
from .client import Client


def _skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this may not skip)")
    pytest.skip(reason)


def recreate_database(url: str) -> None:
    name = stack.database_name(url)
    with psycopg.connect(stack.admin_url(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Site:
    deployment: stack.Deployment
    port: int
    web: stack.Process
    beat: stack.Process
    worker: stack.Process
    workers_started: list[stack.Process] = field(default_factory=list)

    @property
    def processes(self) -> list[stack.Process]:
        return [self.web, self.beat, self.worker]

    def client(self) -> Client:
        return Client(self.port, host=stack.SITE)

    def staff(self) -> Client:
        client = self.client()
        client.login("staff", stack.DEMO_PASSWORD)
        return client

    def query(self, sql: str, *params):
        with psycopg.connect(self.deployment.database_url) as connection:
            return connection.execute(sql, params).fetchall()

    def start_worker(self, name: str, **extra) -> stack.Process:
        """Start another worker and make it the site's worker (the one a dead process check
        watches); the previous one should be stopped already."""
        process = stack.worker(self.deployment, name, **extra)
        self.workers_started.append(process)
        self.worker = process
        stack.wait_for(
            lambda: "ready." in process.log.read_text(errors="replace"),
            timeout=60,
            what=f"{name} to be ready",
            processes=[process],
        )
        return process


def _services_or_skip(database_url: str, broker_url: str, cache_url: str) -> None:
    try:
        psycopg.connect(stack.admin_url(database_url), connect_timeout=3).close()
    except psycopg.Error as error:
        _skip_or_fail(f"needs PostgreSQL at {stack.admin_url(database_url)}: {error}")
    for url in (broker_url, cache_url):
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            _skip_or_fail(f"needs Redis at {url}: {error}")


@pytest.fixture(scope="session")
def deployment(tmp_path_factory) -> stack.Deployment:
    broker_url, cache_url = stack.redis_urls()
    database_url = stack.database_url()
    _services_or_skip(database_url, broker_url, cache_url)
    recreate_database(database_url)
    for url in (broker_url, cache_url):  # the step's own Redis databases: no earlier run's tasks
        redis.Redis.from_url(url).flushdb()
    deployment = stack.Deployment(
        folder=tmp_path_factory.mktemp("deployment"),
        database_url=database_url,
        broker_url=broker_url,
        cache_url=cache_url,
    )
    started = time.monotonic()
    deployment.manage("migrate", "--noinput")
    deployment.manage("collectstatic", "--noinput")
    # In-process tasks for the demo's own summaries: an empty queue for the worker.
    deployment.manage("seed_demo", "--password", stack.DEMO_PASSWORD, CELERY_BROKER_URL="")
    print(f"\nmigrated and seeded in {time.monotonic() - started:.0f} s")
    # Left as the tests left it, for a look after a failure; the next run starts it afresh.
    return deployment


@pytest.fixture(scope="session")
def site(deployment) -> Site:
    port = stack.free_port()
    web = stack.gunicorn(deployment, port)
    beat = stack.beat(deployment)
    worker = stack.worker(deployment, "worker1")
    site = Site(deployment, port, web, beat, worker)
    try:
        stack.wait_for(
            lambda: stack.port_open(port), timeout=60, what="gunicorn", processes=site.processes
        )
        stack.wait_for(
            lambda: "ready." in worker.log.read_text(errors="replace"),
            timeout=60,
            what="the worker to be ready",
            processes=site.processes,
        )
        yield site
    finally:
        for process in [*site.processes, *site.workers_started]:
            process.kill()
