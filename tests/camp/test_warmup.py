"""A fresh web process warms itself before its first request (camp/warmup.py, run by gunicorn's
post_worker_init in gunicorn.conf.py), and a warm-up that fails never stops a worker."""

import logging
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from camp import warmup


def test_it_compiles_the_projects_own_templates_and_not_the_packages():
    names = warmup.own_template_names()
    assert "base.html" in names
    assert "assessment/ranking.html" in names
    assert not any(name.startswith("admin/") for name in names)
    assert len(names) == len(set(names))


@pytest.mark.django_db
def test_a_warmed_process_has_its_templates_compiled_and_its_database_open():
    took = warmup.warm_process()
    assert set(took) == {"translations", "urls", "templates", "database"}
    loader = engines["django"].engine.template_loaders[0]
    assert loader.__class__.__name__ == "Loader"  # the cached loader, which keeps them
    assert "base.html" in {key.split(":")[0] for key in loader.get_template_cache}


def test_a_failing_step_is_logged_and_the_others_still_run(monkeypatch, caplog):
    def broken():
        raise RuntimeError("template folder unreadable")

    monkeypatch.setattr(warmup, "_compile_templates", broken)
    monkeypatch.setattr(warmup.connection, "ensure_connection", lambda: None)
    with caplog.at_level(logging.WARNING, logger="camp.warmup"):
        took = warmup.warm_process()
    assert "templates" in caplog.text
    assert set(took) == {"translations", "urls", "templates", "database"}


def test_gunicorn_warms_each_worker_before_it_serves(monkeypatch):
    """gunicorn reads gunicorn.conf.py from the project folder, where it is started."""
    calls = []
    monkeypatch.setattr(warmup, "warm_process", lambda: calls.append(1) or {"urls": 0.1})
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))

    class Worker:
        log = logging.getLogger("gunicorn.error")

    config["post_worker_init"](Worker())
    assert calls == [1]
