"""The load test: gunicorn + PostgreSQL on loopback, a steady open-loop rate, mixed pages.

Open loop: request i is due at start + i / rate whatever happened to the earlier ones, and its
latency counts from when it was due, so a slow server shows as latency instead of quietly
lowering the rate (coordinated omission). Requests go out from a bounded thread pool; the run is
bounded in count (rate × seconds) and time. Only 127.0.0.1 is ever contacted.

Why not locust: on a 2-core machine shared with the server, a few dozen lines of stdlib threads
do the same job without gevent competing for the cores; the method (constant arrival rate,
latency from the due time) is what matters.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from .db import ROOT, bench_environment

HOST = "127.0.0.1"
TIMEOUT = 10.0
# The gunicorn processes share the camps' cached standings as production's would (CACHE_URL);
# database 12 is the bench's own and is emptied before each run, so every run starts cold.
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12")


def shared_cache_url() -> str:
    """CACHE_URL for the web processes, emptied; "" (one cache per process) without Redis."""
    import redis

    try:
        redis.Redis.from_url(CACHE_URL, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        return ""
    return CACHE_URL


@dataclass
class Target:
    label: str
    path: str
    cookie: str


def session_cookie(user) -> str:
    """A logged-in session for `user`, made directly in the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving the app against the bench database, stopped on exit."""

    def __init__(self, scale: int, workers: int):
        self.port = free_port()
        self.scale = scale
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.cache_url = ""

    def __enter__(self) -> Gunicorn:
        self.cache_url = shared_cache_url()
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            [
                os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                "camp.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=bench_environment(
                self.scale, **({"CACHE_URL": self.cache_url} if self.cache_url else {})
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Ready when a worker answers a page (the port opens before the workers have booted,
        # which takes seconds each on a busy machine).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if _get(self.port, Target("login", "/login/", "")) == 200:
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 120 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _get(port: int, target: Target) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        conn.request("GET", target.path, headers={"Cookie": target.cookie, "Host": HOST})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def run_load(port: int, targets: list[Target], *, rate: float, seconds: float) -> dict:
    """Send rate × seconds requests, round-robin over the targets, at a constant rate."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    late_starts = 0

    def one(index: int, due: float) -> None:
        target = targets[index % len(targets)]
        if time.perf_counter() - due > TIMEOUT:
            # Waited in the client's own queue past the timeout: a user would have given up.
            # Dropping it (as an error) keeps the run bounded when the server falls behind.
            problem = f"dropped after {TIMEOUT:g} s in the client queue {target.label}"
        else:
            try:
                status = _get(port, target)
                problem = None if status == 200 else f"HTTP {status} {target.label}"
            except OSError as error:
                problem = f"{type(error).__name__} {target.label}"
        finished = time.perf_counter()
        with lock:
            latencies.append(finished - due)
            if problem:
                errors[problem] = errors.get(problem, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index in range(total):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                late_starts += 1
            pool.submit(one, index, due)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {
        "requests": total,
        "completed": len(ordered),
        "seconds": elapsed,
        # Answered with 200 per second; errors and dropped requests do not count.
        "throughput": (len(ordered) - sum(errors.values())) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "late_starts": late_starts,
    }


def load_targets(camps: list) -> list[Target]:
    """The mix: every camp's main pages, each as its persona (the camp's counselor of group 1
    and one of its trainees; staff and orgdept are the same everywhere), in turn camp by camp,
    so that at province scale the requests spread over every camp's cached standing."""
    from .pages import PAGES, resolve

    shared = {
        "staff": session_cookie(camps[0].staff),
        "orgdept": session_cookie(camps[0].orgdept),
    }
    targets = []
    for people in camps:
        cookies = {
            **shared,
            "counselor": session_cookie(people.counselor),
            "trainee_user": session_cookie(people.trainee_user),
        }
        for page in PAGES:
            url = resolve(page, people)
            if url is None:
                continue
            query = urlencode(page.query(people))
            full = f"{url}?{query}" if query else url
            targets.append(Target(f"{page.label} ({page.who})", full, cookies[page.who]))
    return targets
