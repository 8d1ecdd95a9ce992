"""A fresh web process made ready before its first request (gunicorn.conf.py runs
`warm_process` in each worker after it loads the app and before it accepts a connection).

Django does much of its work on the first request a process serves: it imports every view
module while building the URL resolver, loads the translation catalogues, compiles each
template the first time it is rendered (and keeps it: the cached loader) and opens the
database connection. After a deploy every worker pays this at once, on users' requests, in the
minute when the cache is empty too (docs/performance.md, "Cold start"). Done here, a worker
takes no request until it is ready, and the requests go to the workers that are.

Nothing here reads or writes data, and nothing here may stop a worker from starting: a failure
is logged and the worker serves as it would have without the warm-up.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def own_template_names() -> list[str]:
    """The project's own templates (not those of installed packages, the admin's included, which
    few requests use), by the name a view renders them with."""
    root = Path(settings.BASE_DIR).resolve()
    names = []
    for folder in engines["django"].template_dirs:
        folder = Path(folder).resolve()
        if not folder.is_relative_to(root) or ".venv" in folder.parts:
            continue
        names += [str(path.relative_to(folder)) for path in sorted(folder.rglob("*.html"))]
    return list(dict.fromkeys(names))


def warm_process() -> dict[str, float]:
    """Do the first request's one-time work now; returns the seconds each step took."""
    steps = {
        "translations": lambda: translation.activate(settings.LANGUAGE_CODE),
        # Imports every view module and builds the table `reverse` reads (per language).
        "urls": lambda: get_resolver().reverse_dict,
        "templates": _compile_templates,
        "database": connection.ensure_connection,
    }
    took = {}
    for name, step in steps.items():
        started = time.perf_counter()
        try:
            step()
        except Exception:
            logger.warning(
                "warm-up step %s failed; the first request will do it", name, exc_info=True
            )
        took[name] = time.perf_counter() - started
    return took


def _compile_templates() -> None:
    engine = engines["django"]
    for name in own_template_names():
        engine.get_template(name)
