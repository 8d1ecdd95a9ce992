"""The backup-and-restore drill of the README's production section, with its own scripts:
`deploy/backup` while the site runs, `deploy/restore` into a scratch database and media folder,
then a second gunicorn on the restored copy. The monthly and ranking workbooks it serves are
the original's, cell for cell, and the media folder comes back file for file.

It runs after test_production_shape.py (file order), so the backup also holds what that test
did through HTTP: a saved grid, recomputed months and a background export's file.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from . import stack
from .client import Client, workbook_cells
from .conftest import recreate_database

# The first test also waits for the deployment: migrate, collectstatic and the demo camp.
pytestmark = pytest.mark.timeout(600)
MONTHS = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
KINDS = ("monthly", "ranking")


def _workbooks(client: Client) -> dict[tuple[str, str], dict]:
    books = {}
    for month in MONTHS:
        for kind in KINDS:
            response = client.get(f"/camps/{stack.CAMP}/exports/{kind}/?month={month:%Y-%m}")
            assert response.status == 200, (kind, month)
            books[(kind, f"{month:%Y-%m}")] = workbook_cells(response.body)
    return books


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def scratch(site, tmp_path_factory):
    """The deployment to restore into: its own database (the site's name + `_restore`) and
    media folder, the same Redis. Empty until the drill restores into it; left afterwards, like
    the site's, for a look after a failure."""
    source = site.deployment
    url = stack.with_database(
        source.database_url, stack.database_name(source.database_url) + "_restore"
    )
    recreate_database(url)  # dropdb && createdb, as the README's procedure says
    deployment = stack.Deployment(
        folder=tmp_path_factory.mktemp("restored"),
        database_url=url,
        broker_url=source.broker_url,
        cache_url=source.cache_url,
        static_root=source.folder / "static",
    )
    return deployment


def test_the_restore_script_refuses_a_media_folder_that_has_files(site, scratch):
    """Before touching the database: files newer than the backup would otherwise stay beside
    the restored ones."""
    scratch.media_root.mkdir(parents=True)
    (scratch.media_root / "left-over.txt").write_text("newer than the backup")
    dump = scratch.folder / "none.dump"
    with pytest.raises(RuntimeError, match="not empty"):
        scratch.script("deploy/restore", str(dump), str(scratch.folder / "none.tgz"))
    tables = subprocess.run(
        [
            "psql",
            scratch.database_url,
            "-tAc",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert tables.stdout.strip() == "0"
    shutil.rmtree(scratch.media_root)  # the drill restores into this deployment next


def test_a_backup_restored_into_a_scratch_database_serves_the_same_workbooks(site, scratch):
    original = site.staff()
    before = _workbooks(original)
    for (kind, month), book in before.items():
        assert sum(len(rows) for rows in book.values()) > 150, (kind, month)  # a real month
    media_before = _files(site.deployment.media_root)
    assert media_before, "the demo leaves files in the media folder (research reports)"

    backup_dir = site.deployment.folder / "backup"
    printed = site.deployment.script("deploy/backup", str(backup_dir)).split()
    dump, media = (Path(path) for path in printed)
    assert dump.stat().st_size > 0
    assert media.stat().st_size > 0

    scratch.script("deploy/restore", str(dump), str(media))
    assert _files(scratch.media_root) == media_before

    port = stack.free_port()
    web = stack.gunicorn(scratch, port)
    try:
        stack.wait_for(lambda: stack.port_open(port), timeout=60, what="gunicorn", processes=[web])
        restored = Client(port, host=stack.SITE)
        restored.login("staff", stack.DEMO_PASSWORD)
        assert _workbooks(restored) == before
    finally:
        web.kill()

    # Restoring over data is refused, and changes nothing.
    with pytest.raises(RuntimeError, match="already has"):
        scratch.script("deploy/restore", str(dump), str(media))
    assert _files(scratch.media_root) == media_before
