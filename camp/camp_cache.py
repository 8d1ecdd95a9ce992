"""A camp's live figures, cached across processes and dropped when the camp's data changes.

The live standing (every trainee's score today, ranked) costs a grouped scan of the camp's
entries and the scheme's arithmetic for every trainee; the ranking, the group dashboards and
every trainee's own page need it on each request, yet it changes only when a service writes
something it depends on. Those services call `camp_changed`, which moves the camp's version on
once their transaction commits; cached figures are keyed by the version, so the next read
recomputes and the old entries simply expire.

Figures named with `kept_as` are also kept in the database (`KeptFigures`), under the camp's
database version (`CampFiguresVersion`), which `camp_changed` moves on inside the writer's own
transaction. When the cache has been emptied (a deploy, a Redis restart) the first reader of a
camp takes them from there, one query instead of the whole computation, unless the camp changed
since: the cache's version restarts after a flush, the database's does not. A reader reads the
database version before it computes, so what it keeps under a version is never older than that
version (a change committed meanwhile only makes it newer, under a version no longer current).

A change that names the trainees it touched (`camp_changed(trainee_ids=…)`: an entry, a grid,
the attendance deductions) is also recorded under the version it made. A reader that finds no
figures for the current version but figures of a version a few changes older, every change
since named, passes them to the figures' `update` with the trainees named, instead of
computing the camp afresh: a counselor's grid touches one group of a camp, and the standing
then rescores those 25 trainees and ranks everyone again rather than scoring all 150. A change
of unknown extent (a scheme, a calendar, a group move) records nothing, and the next reader
computes afresh.

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
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CampFiguresVersion, KeptFigures

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


def _changes_key(camp_id: int, version: int) -> str:
    return f"camp:{camp_id}:changes:{version}"


# How many changes back a reader looks for figures to update rather than compute.
UPDATE_CHAIN = 4


def camp_changed(*, camp_id: int, trainee_ids: Iterable[int] | None = None) -> None:
    """Say that the camp's live figures changed; takes effect when the current transaction
    commits (at once outside one), so no reader caches figures from before the commit under
    the new version. The database version moves on now, in the transaction: it commits or
    rolls back with the change (the row stays locked until then, so call this after the
    transaction's other writes, as every service does). `trainee_ids`, where the change
    touched only those trainees' own figures (their entries), lets readers update the figures
    rather than compute them afresh."""
    _move_kept_version(camp_id)
    touched = None if trainee_ids is None else sorted(set(trainee_ids))

    def bump() -> None:
        try:
            version = cache.incr(_version_key(camp_id))
            if touched is not None:
                cache.set(_changes_key(camp_id, version), touched, timeout=FIGURES_TIMEOUT)
        except ValueError:
            pass  # no version yet: the next read starts a fresh one
        except Exception:
            # The entries keyed by the old version outlive this by FIGURES_TIMEOUT at most.
            logger.warning("cache unavailable; camp %s figures may lag", camp_id, exc_info=True)

    bump.camp_id = camp_id
    transaction.on_commit(bump)


def _move_kept_version(camp_id: int) -> None:
    table = connection.ops.quote_name(CampFiguresVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (camp_id, version) VALUES (%s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (camp_id) DO UPDATE SET version = {table}.version + 1",
            [camp_id],
        )


def _changed_in_this_transaction(camp_id: int) -> bool:
    """Whether the open transaction has changed the camp: its bump still waits for the commit
    (Django drops the waiting callbacks of what is rolled back, savepoints included)."""
    waiting = transaction.get_connection().run_on_commit
    return any(getattr(func, "camp_id", None) == camp_id for _sids, func, _robust in waiting)


def camp_cached(
    *,
    camp_id: int,
    name: str,
    compute: Callable[[], T],
    kept_as: str | None = None,
    update: Callable[[T, set[int]], T] | None = None,
) -> T:
    """`compute()`'s value for the camp's current version, from the cache when it is there.
    With `kept_as` (a kind of figures: one row per camp and kind) the value is also kept in the
    database and must be JSON: tuples come back as lists. With `update`, `update(value,
    trainee_ids)` must equal `compute()` when `value` was computed before changes that touched
    only those trainees (see the module's docstring)."""
    if _changed_in_this_transaction(camp_id):
        return compute()
    version = camp_version(camp_id)
    if version is None:
        return _kept_or_computed(camp_id, name, compute, kept_as)[0]
    key = f"camp:{camp_id}:{name}:{version}"
    lock = f"{key}:computing"
    try:
        value = cache.get(key)
        if value is not None:
            return value
        computing_elsewhere = not cache.add(lock, 1, timeout=COMPUTE_WAIT)
    except Exception:
        logger.warning("cache unavailable; computing %s live", key, exc_info=True)
        return _kept_or_computed(camp_id, name, compute, kept_as)[0]
    if computing_elsewhere:
        value = _wait_for(key)
        if value is not None:
            return value
    value, age = _updated(camp_id, name, version, update), 0.0
    if value is None:
        value, age = _kept_or_computed(camp_id, name, compute, kept_as)
    try:
        # Figures kept a while ago live on in the cache only for what remains of their time.
        timeout = FIGURES_TIMEOUT * random.uniform(0.8, 1.2) - age
        cache.set(key, value, timeout=max(1, timeout))
        if not computing_elsewhere:
            cache.delete(lock)
    except Exception:
        logger.warning("cache unavailable; %s not stored", key, exc_info=True)
    return value


def _updated(camp_id: int, name: str, version: int, update) -> object | None:
    """The figures for `version` made from those of an earlier version and the trainees every
    change since touched; None when there are none to start from or a change's extent is
    unknown (its record missing, or never made)."""
    if update is None:
        return None
    earlier = [version - back for back in range(1, UPDATE_CHAIN + 1)]
    values = {v: f"camp:{camp_id}:{name}:{v}" for v in earlier}
    changes = {v: _changes_key(camp_id, v) for v in (version, *earlier[:-1])}
    try:
        found = cache.get_many([*values.values(), *changes.values()])
    except Exception:
        logger.warning("cache unavailable; computing camp %s afresh", camp_id, exc_info=True)
        return None
    touched: set[int] = set()
    for v in earlier:
        change = found.get(changes[v + 1])
        if change is None:
            return None
        touched.update(change)
        value = found.get(values[v])
        if value is not None:
            return update(value, touched)
    return None


# Kept figures are served for no longer than cached ones live: the bound on how long a write
# that bypasses the services (and so `camp_changed`) stays unseen is the same either way.
KEPT_TIMEOUT = FIGURES_TIMEOUT * 1.2


def _kept_or_computed(camp_id: int, name: str, compute, kept_as: str | None) -> tuple:
    """(value, its age in seconds): the kept value if it is the camp's current one, else
    computed now (and kept)."""
    if kept_as is None:
        return compute(), 0.0
    now = timezone.now()
    # The camp's database version comes in the same statement as the kept figures, and is
    # read before any computing.
    kept = (
        KeptFigures.objects.filter(camp_id=camp_id, kind=kept_as)
        .annotate(current=Coalesce(Subquery(_version_of(OuterRef("camp_id"))), Value(0)))
        .values_list("name", "version", "computed_at", "value", "current")
        .first()
    )
    if kept is None:
        current = _version_of(camp_id).first() or 0
    else:
        kept_name, kept_version, computed_at, value, current = kept
        age = (now - computed_at).total_seconds()
        if kept_name == name and kept_version == current and 0 <= age < KEPT_TIMEOUT:
            return value, age
    value = compute()
    KeptFigures.objects.bulk_create(
        [
            KeptFigures(
                camp_id=camp_id,
                kind=kept_as,
                name=name,
                version=current,
                value=value,
                computed_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["camp", "kind"],
        update_fields=["name", "version", "value", "computed_at"],
    )
    return value, 0.0


def _version_of(camp_id):
    """The camp's database version (none before its first change: 0)."""
    return CampFiguresVersion.objects.filter(camp_id=camp_id).values_list("version", flat=True)


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
