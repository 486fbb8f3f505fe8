"""The pages each process keeps in memory in front of Redis (onpromet/pagecache.py)."""

import time

import pytest
import time_machine
from django.core.cache import cache

from onpromet import pagecache
from onpromet.pagecache import PAGE_TTL, cache_get, cache_set, memory

pytestmark = pytest.mark.django_db


def test_a_value_is_read_from_memory_then_from_redis():
    cache_set("k", "page")
    assert memory.get("k") == "page"
    memory.clear()
    assert cache_get("k") == "page"  # from Redis, and kept in memory again
    assert memory.get("k") == "page"


def test_memory_serves_with_redis_down(settings):
    cache_set("k", "page")
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    from django.core.cache import cache as down

    assert down.get("k") is None
    assert cache_get("k") == "page"


def test_memory_forgets_an_entry_when_redis_would(settings):
    """An entry read from Redis 50 s after it was made stays in memory 10 s, not 60."""
    made = time.time() - (PAGE_TTL - 10)
    cache.set("k", (made, "page"), PAGE_TTL)
    assert cache_get("k") == "page"
    with time_machine.travel(time.time() + 11):
        assert memory.get("k") is None


def test_an_entry_older_than_its_time_is_not_kept_in_memory():
    cache.set("k", (time.time() - PAGE_TTL - 1, "page"), PAGE_TTL)
    assert cache_get("k") == "page"
    assert memory.get("k") is None


def test_memory_is_bounded():
    for n in range(pagecache.MEMORY_ENTRIES + 50):
        memory.set(f"k{n}", "x")
    assert len(memory._cache) <= pagecache.MEMORY_ENTRIES
