"""A camp's live figures, cached across processes and dropped when the camp's data changes.

The live standing (every trainee's score today, ranked) costs a grouped scan of the camp's
entries and the scheme's arithmetic for every trainee; the ranking, the group dashboards and
every trainee's own page need it on each request, yet it changes only when a service writes
something it depends on. Those services call `camp_changed`, which moves the camp's version on
once their transaction commits; cached figures are keyed by the version, so the next read
recomputes and the old entries simply expire.

Everything here degrades to computing live: a cache that is down (Redis restarting) costs
speed, never an error page. The time-to-live bounds how stale a write that bypasses the services
(a shell, a raw SQL fix) can leave a page. A transaction that has changed a camp reads its
figures live and never stores them: they would show uncommitted data to every other process,
and stay if the transaction rolled back.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a camp's figures are kept, spread by a fifth either way: camps whose figures were all
# computed in the same minute (after a restart of the cache) must not all expire in the same
# minute again.
FIGURES_TIMEOUT = 900
# While one process computes a camp's figures, the others wait for them rather than compute the
# same thing at once, up to COMPUTE_WAIT seconds; a computing process that died holds them up
# for no longer than that.
COMPUTE_WAIT = 2.0
COMPUTE_POLL = 0.02


def _version_key(camp_id: int) -> str:
    return f"camp:{camp_id}:version"


def camp_version(camp_id: int) -> int | None:
    """The camp's current version, or None when the cache cannot be reached. A version that
    was evicted restarts from the clock, never from a number an older entry may still carry."""
    key = _version_key(camp_id)
    try:
        version = cache.get(key)
        if version is None:
            version = time.time_ns()
            if not cache.add(key, version, timeout=None):
                version = cache.get(key)
        return version
    except Exception:  # any cache failure means "compute live"
        logger.warning("cache unavailable; computing camp %s live", camp_id, exc_info=True)
        return None


def camp_changed(*, camp_id: int) -> None:
    """Say that the camp's live figures changed; takes effect when the current transaction
    commits (at once outside one), so no reader caches figures from before the commit under
    the new version."""

    def bump() -> None:
        try:
            cache.incr(_version_key(camp_id))
        except ValueError:
            pass  # no version yet: the next read starts a fresh one
        except Exception:
            # The entries keyed by the old version outlive this by FIGURES_TIMEOUT at most.
            logger.warning("cache unavailable; camp %s figures may lag", camp_id, exc_info=True)

    bump.camp_id = camp_id
    transaction.on_commit(bump)


def _changed_in_this_transaction(camp_id: int) -> bool:
    """Whether the open transaction has changed the camp: its bump still waits for the commit
    (Django drops the waiting callbacks of what is rolled back, savepoints included)."""
    waiting = transaction.get_connection().run_on_commit
    return any(getattr(func, "camp_id", None) == camp_id for _sids, func, _robust in waiting)


def camp_cached(*, camp_id: int, name: str, compute: Callable[[], T]) -> T:
    """`compute()`'s value for the camp's current version, from the cache when it is there."""
    if _changed_in_this_transaction(camp_id):
        return compute()
    version = camp_version(camp_id)
    if version is None:
        return compute()
    key = f"camp:{camp_id}:{name}:{version}"
    lock = f"{key}:computing"
    try:
        value = cache.get(key)
        if value is not None:
            return value
        computing_elsewhere = not cache.add(lock, 1, timeout=COMPUTE_WAIT)
    except Exception:
        logger.warning("cache unavailable; computing %s live", key, exc_info=True)
        return compute()
    if computing_elsewhere:
        value = _wait_for(key)
        if value is not None:
            return value
    value = compute()
    try:
        timeout = FIGURES_TIMEOUT * random.uniform(0.8, 1.2)
        cache.set(key, value, timeout=timeout)
        if not computing_elsewhere:
            cache.delete(lock)
    except Exception:
        logger.warning("cache unavailable; %s not stored", key, exc_info=True)
    return value


def _wait_for(key: str):
    """The value another process is computing, once it is stored; None after COMPUTE_WAIT."""
    deadline = time.monotonic() + COMPUTE_WAIT
    while time.monotonic() < deadline:
        time.sleep(COMPUTE_POLL)
        try:
            value = cache.get(key)
        except Exception:
            return None
        if value is not None:
            return value
    return None
