"""The demo as `make demo` serves it: no debug page, whatever the shell exports, and static files
served without DEBUG."""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR
DEBUG_PAGE_MARKS = ("Using the URLconf", "DEBUG = True", "Traceback")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _demo_server_command(host: str) -> list[str]:
    """The last line `make demo` runs: the server, with the environment the Makefile gives it."""
    dry_run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "--dry-run",
            "--always-make",
            "demo",
            f"PY={sys.executable}",
            f"HOST={host}",
        ],
        cwd=BASE_DIR,
        # Run from `make test`, the outer make's flags would reach this one: a clean slate.
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    command = shlex.split(dry_run.stdout.strip().splitlines()[-1])
    assert "runserver" in command
    return ["env", *command, "--noreload"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def demo_server(tmp_path):
    host = f"127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "DJANGO_ENV": "development",
        # A developer's shell that asks for DEBUG: the demo still keeps it off.
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    server = subprocess.Popen(
        _demo_server_command(host),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{host}"
    try:
        for _attempt in range(100):
            try:
                _get(url + "/static/css/camp.css")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not start within 20 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_debug_is_off_unless_a_developer_asks_for_it():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env["DJANGO_ENV"] = "development"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.DEBUG)",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_demo_shows_its_own_404_page_and_no_debug_page(demo_server):
    status, text = _get(demo_server + "/no-such-page/")
    assert status == 404
    assert "页面不存在" in text
    for mark in DEBUG_PAGE_MARKS:
        assert mark not in text


def test_the_demo_serves_its_static_files_without_debug(demo_server):
    status, text = _get(demo_server + "/static/css/camp.css")
    assert status == 200
    assert ".camp-error" in text
    assert _get(demo_server + "/static/vendor/bootstrap/bootstrap.min.css")[0] == 200
