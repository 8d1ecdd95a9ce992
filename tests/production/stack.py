"""The processes production runs, started as the README's production section starts them:
gunicorn, a Celery worker and Celery beat, with `DJANGO_ENV=production` and nothing else of the
test suite's settings (the environment is built from scratch, not inherited).

The databases and Redis databases are the step's own, so that it never touches the suite's:
`PRODUCTION_TEST_DATABASE_URL` (default: the server of DATABASE_URL, database camp_prod_ci; the
restore drill adds `_restore`), `PRODUCTION_TEST_BROKER_URL` and `PRODUCTION_TEST_CACHE_URL`
(default: Redis databases 13 and 12 of REDIS_URL's server). Each run starts from empty ones
and leaves them as they are at its end, for a look after a failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SITE = "camp.test"
CAMP = "2026"  # the demo camp's code
DEMO_PASSWORD = "Prod-drill-2026"


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def database_url() -> str:
    explicit = os.environ.get("PRODUCTION_TEST_DATABASE_URL")
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/camp")
    if not base.startswith(("postgres://", "postgresql://")):
        base = "postgres://postgres@127.0.0.1:5432/camp"
    return _with_path(base, "/camp_prod_ci")


def redis_urls() -> tuple[str, str]:
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return (
        os.environ.get("PRODUCTION_TEST_BROKER_URL", _with_path(base, "/13")),
        os.environ.get("PRODUCTION_TEST_CACHE_URL", _with_path(base, "/12")),
    )


def with_database(url: str, name: str) -> str:
    return _with_path(url, f"/{name}")


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_url(url: str) -> str:
    """The same server's maintenance database, to create and drop the step's own."""
    return with_database(url, "postgres")


def free_port() -> int:
    for port in range(18700, 18800):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18700-18799")


@dataclass
class Deployment:
    """One deployment's environment file, in effect: what every process of it is given."""

    folder: Path
    database_url: str
    broker_url: str
    cache_url: str
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    # collectstatic's output belongs to the installed code, not to the data: a second
    # deployment of the same code on the same machine may share it.
    static_root: Path | None = None

    @property
    def media_root(self) -> Path:
        return self.folder / "media"

    def env(self, **extra) -> dict[str, str]:
        environment = {
            "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": os.environ.get("HOME", "/tmp"),
            "LANG": "C.UTF-8",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": SITE,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CACHE_URL": self.cache_url,
            "DJANGO_STATIC_ROOT": str(self.static_root or self.folder / "static"),
            "DJANGO_MEDIA_ROOT": str(self.media_root),
            "LOG_LEVEL": "WARNING",
        }
        environment.update({key: str(value) for key, value in extra.items()})
        return {key: value for key, value in environment.items() if value != ""}

    def manage(self, *args: str, timeout: float = 300, **extra) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def script(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            ["bash", *args],
            cwd=ROOT,
            env=self.env(PYTHON=str(BIN / "python")),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout


class Process:
    """One long-running process in its own process group, its output in a log file."""

    def __init__(self, name: str, command: list[str], deployment: Deployment, **extra):
        self.name = name
        self.log = deployment.folder / f"{name}.log"
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                command,
                cwd=ROOT,
                env=deployment.env(**extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def send_signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The whole group: a prefork worker's children die with their parent, as under a
        `kill -9` of the service's cgroup."""
        if self.alive:
            self.send_signal(sig)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def gunicorn(deployment: Deployment, port: int) -> Process:
    command = [str(BIN / "gunicorn"), "camp.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--timeout", "60", "--graceful-timeout", "30"]
    return Process(f"gunicorn-{port}", command, deployment)


def worker(deployment: Deployment, name: str, **extra) -> Process:
    command = [str(BIN / "celery"), "-A", "camp", "worker", "-l", "info", "--concurrency", "2"]
    return Process(name, [*command, "-n", f"{name}@%h"], deployment, **extra)


def beat(deployment: Deployment) -> Process:
    schedule = deployment.folder / "celerybeat-schedule"
    command = [str(BIN / "celery"), "-A", "camp", "beat", "-l", "info", "--schedule", str(schedule)]
    return Process("beat", command, deployment)


def wait_for(predicate, *, timeout: float, what: str, processes=(), every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        dead = [p for p in processes if not p.alive]
        if dead:
            raise AssertionError(f"{dead[0].name} died waiting for {what}\n{dead[0].tail()}")
        time.sleep(every)
    logs = "\n".join(p.tail() for p in processes)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0
