"""The camp's cached live figures: computed once per version, dropped on a committed change,
and computed live whenever the cache cannot be reached; figures kept in the database are read
after the cache was emptied, never once the camp has changed."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from camp.camp_cache import (
    FIGURES_TIMEOUT,
    KEPT_TIMEOUT,
    UPDATE_CHAIN,
    camp_cached,
    camp_changed,
    camp_version,
)
from camp.models import KeptFigures
from tests.factories import CampFactory


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"computed": self.calls}


def test_it_computes_once_and_then_serves_from_the_cache():
    compute = Counter()
    first = camp_cached(camp_id=7, name="standing", compute=compute)
    second = camp_cached(camp_id=7, name="standing", compute=compute)
    assert first == second == {"computed": 1}
    assert compute.calls == 1


def test_camps_and_names_are_cached_apart():
    compute = Counter()
    camp_cached(camp_id=7, name="standing", compute=compute)
    camp_cached(camp_id=8, name="standing", compute=compute)
    camp_cached(camp_id=7, name="other", compute=compute)
    assert compute.calls == 3


@pytest.mark.django_db(transaction=False)
def test_a_change_moves_the_version_on_only_when_its_transaction_commits(committed):
    compute = Counter()
    camp_cached(camp_id=7, name="standing", compute=compute)
    version = camp_version(7)
    with committed() as callbacks:
        camp_changed(camp_id=7)
        # Until the commit, every other process keeps reading the committed figures.
        assert camp_version(7) == version
    assert len(callbacks) == 1
    assert camp_version(7) != version
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 2}
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 2}


@pytest.mark.django_db(transaction=False)
def test_a_change_of_one_camp_keeps_the_others_cached(committed):
    compute = Counter()
    camp_cached(camp_id=7, name="standing", compute=compute)
    camp_cached(camp_id=8, name="standing", compute=compute)
    with committed():
        camp_changed(camp_id=7)
    camp_cached(camp_id=8, name="standing", compute=compute)
    assert compute.calls == 2


def test_an_evicted_version_restarts_without_reviving_older_figures():
    compute = Counter()
    before = camp_version(7)
    camp_cached(camp_id=7, name="standing", compute=compute)
    cache.delete("camp:7:version")  # as Redis evicts under memory pressure
    after = camp_version(7)
    assert after != before
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 2}


class Broken:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


@pytest.mark.django_db
def test_it_computes_live_when_the_cache_is_down(monkeypatch):
    monkeypatch.setattr("camp.camp_cache.cache", Broken())
    compute = Counter()
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 1}
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 2}
    camp_changed(camp_id=7)  # outside a transaction it runs at once, and must not raise


@pytest.mark.django_db
def test_web_processes_share_the_figures_through_redis(redis_url, committed):
    """Two processes are two cache clients: what one computed, the other reads, and a change
    made in one is seen by the other."""
    location = redis_url.rsplit("/", 1)[0] + "/14"
    prefix = f"test-{uuid.uuid4().hex}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=config):
        compute = Counter()
        camp_cached(camp_id=7, name="standing", compute=compute)
        other_process = Counter()
        assert camp_cached(camp_id=7, name="standing", compute=other_process) == {"computed": 1}
        assert other_process.calls == 0
        with committed():
            camp_changed(camp_id=7)
        assert camp_cached(camp_id=7, name="standing", compute=other_process) == {"computed": 1}
        assert other_process.calls == 1
        cache.clear()  # database 14 is this test's own


@pytest.mark.django_db
def test_a_camp_changed_in_the_open_transaction_is_read_live_and_never_stored():
    compute = Counter()
    camp_cached(camp_id=8, name="standing", compute=compute)
    with transaction.atomic():
        camp_changed(camp_id=7)
        assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 2}
        assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 3}
        # Other camps are read from the cache as usual.
        assert camp_cached(camp_id=8, name="standing", compute=compute) == {"computed": 1}
    assert cache.get(f"camp:7:standing:{camp_version(7)}") is None


@pytest.mark.django_db
def test_a_rolled_back_change_lets_the_camp_be_cached_again():
    compute = Counter()

    @transaction.atomic
    def change_then_fail():
        camp_changed(camp_id=7)
        raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    camp_cached(camp_id=7, name="standing", compute=compute)
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 1}


def test_a_reader_waits_for_the_figures_another_process_is_computing(monkeypatch):
    """Readers that find a camp's figures being computed elsewhere wait for them instead of
    computing the same thing at once (after a change, every page of the camp asks together)."""
    key = f"camp:7:standing:{camp_version(7)}"
    cache.add(f"{key}:computing", 1)  # another process has started
    stored = {"computed": "elsewhere"}

    def the_other_process_stores_its_figures(seconds):
        cache.set(key, stored)

    monkeypatch.setattr("camp.camp_cache.time.sleep", the_other_process_stores_its_figures)
    compute = Counter()
    assert camp_cached(camp_id=7, name="standing", compute=compute) == stored
    assert compute.calls == 0


def test_a_reader_computes_itself_when_the_other_process_never_stores(monkeypatch):
    key = f"camp:7:standing:{camp_version(7)}"
    cache.add(f"{key}:computing", 1)  # a process that died while computing
    monkeypatch.setattr("camp.camp_cache.COMPUTE_WAIT", 0.05)
    compute = Counter()
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 1}
    assert camp_cached(camp_id=7, name="standing", compute=compute) == {"computed": 1}


def test_figures_expire_spread_around_the_timeout(monkeypatch):
    timeouts = []
    monkeypatch.setattr(
        "camp.camp_cache.cache.set", lambda key, value, timeout: timeouts.append(timeout)
    )
    for camp_id in range(40):
        camp_cached(camp_id=camp_id, name="standing", compute=Counter())
    assert all(0.8 * FIGURES_TIMEOUT <= t <= 1.2 * FIGURES_TIMEOUT for t in timeouts)
    assert len(set(timeouts)) > 30


# Figures kept in the database (kept_as): what survives an emptied cache --------------------------


@pytest.fixture
def camp_id(db):
    return CampFactory().pk


def kept(camp_id, compute):
    return camp_cached(camp_id=camp_id, name="standing:2026-12-05", compute=compute, kept_as="s")


def test_after_the_cache_is_emptied_the_kept_figures_are_read_not_computed(camp_id):
    compute = Counter()
    assert kept(camp_id, compute) == {"computed": 1}
    cache.clear()  # a deploy, a Redis restart
    assert kept(camp_id, compute) == {"computed": 1}
    assert compute.calls == 1
    assert KeptFigures.objects.filter(camp_id=camp_id).count() == 1


def test_a_committed_change_is_never_hidden_by_kept_figures(camp_id, committed):
    """The writer's own next read, and any read after the cache was emptied, shows the change."""
    compute = Counter()
    kept(camp_id, compute)
    with committed():
        camp_changed(camp_id=camp_id)
    assert kept(camp_id, compute) == {"computed": 2}
    cache.clear()
    with committed():
        camp_changed(camp_id=camp_id)
    # The cache restarted with no version at all: only the database version tells.
    assert kept(camp_id, compute) == {"computed": 3}
    cache.clear()
    assert kept(camp_id, compute) == {"computed": 3}


def test_a_change_while_the_cache_is_down_is_never_hidden_by_kept_figures(
    camp_id, committed, monkeypatch
):
    compute = Counter()
    kept(camp_id, compute)
    monkeypatch.setattr("camp.camp_cache.cache", Broken())
    assert kept(camp_id, compute) == {"computed": 1}  # kept, though the cache is down
    with committed():
        camp_changed(camp_id=camp_id)
    assert kept(camp_id, compute) == {"computed": 2}


def test_a_rolled_back_change_keeps_the_kept_figures(camp_id):
    compute = Counter()
    kept(camp_id, compute)

    @transaction.atomic
    def change_then_fail():
        camp_changed(camp_id=camp_id)
        raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    cache.clear()
    assert kept(camp_id, compute) == {"computed": 1}


def test_figures_computed_in_a_transaction_that_changed_the_camp_are_never_kept(camp_id):
    compute = Counter()
    with transaction.atomic():
        camp_changed(camp_id=camp_id)
        kept(camp_id, compute)
    assert not KeptFigures.objects.filter(camp_id=camp_id).exists()


def test_kept_figures_of_another_day_or_too_old_are_computed_again(camp_id):
    compute = Counter()
    kept(camp_id, compute)
    cache.clear()
    other_day = camp_cached(
        camp_id=camp_id, name="standing:2026-12-06", compute=compute, kept_as="s"
    )
    assert other_day == {"computed": 2}
    assert KeptFigures.objects.get(camp_id=camp_id).name == "standing:2026-12-06"
    # A write that bypassed the services stays unseen no longer than with the cache alone.
    KeptFigures.objects.update(computed_at=timezone.now() - timedelta(seconds=KEPT_TIMEOUT + 1))
    cache.clear()
    assert kept(camp_id, compute) == {"computed": 3}


class Updates:
    def __init__(self):
        self.calls = []

    def __call__(self, value, trainee_ids):
        self.calls.append(sorted(trainee_ids))
        return {**value, "updated": sorted(trainee_ids)}


@pytest.mark.django_db
def test_named_changes_update_the_last_figures_instead_of_computing(committed):
    compute, update = Counter(), Updates()
    camp_cached(camp_id=7, name="standing", compute=compute, update=update)
    with committed():
        camp_changed(camp_id=7, trainee_ids=[3, 1])
    with committed():
        camp_changed(camp_id=7, trainee_ids=[2, 3])
    value = camp_cached(camp_id=7, name="standing", compute=compute, update=update)
    assert value == {"computed": 1, "updated": [1, 2, 3]}
    assert (compute.calls, update.calls) == (1, [[1, 2, 3]])
    # The updated figures are the current version's: read again, nothing runs.
    assert camp_cached(camp_id=7, name="standing", compute=compute, update=update) == value
    assert (compute.calls, len(update.calls)) == (1, 1)


@pytest.mark.django_db
def test_a_change_of_unknown_extent_or_too_many_changes_compute_afresh(committed):
    compute, update = Counter(), Updates()
    camp_cached(camp_id=7, name="standing", compute=compute, update=update)
    with committed():
        camp_changed(camp_id=7, trainee_ids=[1])
    with committed():
        camp_changed(camp_id=7)
    assert camp_cached(camp_id=7, name="standing", compute=compute, update=update) == {
        "computed": 2
    }
    for trainee in range(UPDATE_CHAIN + 1):
        with committed():
            camp_changed(camp_id=7, trainee_ids=[trainee])
    assert camp_cached(camp_id=7, name="standing", compute=compute, update=update) == {
        "computed": 3
    }
    assert update.calls == []


@pytest.mark.django_db
def test_a_change_whose_record_was_lost_computes_afresh(committed):
    compute, update = Counter(), Updates()
    camp_cached(camp_id=7, name="standing", compute=compute, update=update)
    with committed():
        camp_changed(camp_id=7, trainee_ids=[1])
    cache.delete(f"camp:7:changes:{camp_version(7)}")  # evicted
    assert camp_cached(camp_id=7, name="standing", compute=compute, update=update) == {
        "computed": 2
    }
