"""The production cache (apps/core/cache.py): Django's Redis cache, with one redis-py client
per server kept for every call rather than built for each."""

import json
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from apps.core.cache import RedisCache
from tests.production_settings import production_settings

LOCATION = "redis://127.0.0.1:6379/9"


def _cache(prefix: str) -> RedisCache:
    return RedisCache(LOCATION, {"KEY_PREFIX": prefix})


def test_each_call_uses_the_one_client_of_its_server():
    cache = _cache(f"cache-test-{time.monotonic_ns()}")
    first = cache._cache.get_client()
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first  # one server: reads and writes
    # Django's own builds one per call; this is what the class is for.
    django_cache = DjangoRedisCache(LOCATION, {})
    assert django_cache._cache.get_client() is not django_cache._cache.get_client()


def test_it_counts_and_stores_in_the_redis_every_process_shares():
    prefix = f"cache-test-{time.monotonic_ns()}"
    one_host, another_host = _cache(prefix), _cache(prefix)
    try:
        one_host.set("calls", 0, 60)
        for _ in range(5):
            one_host.incr("calls")
        assert another_host.incr("calls") == 6
        one_host.set("remembered", {"person": 7, "groups": [1, 2]}, 60)
        assert another_host.get("remembered") == {"person": 7, "groups": [1, 2]}
        another_host.delete("remembered")
        assert one_host.get("remembered") is None
    finally:
        one_host.delete_many(["calls", "remembered"])


def test_production_uses_it_for_a_redis_cache_url():
    found = production_settings("CACHES", CACHE_URL="redis://127.0.0.1:6379/1")
    assert found.returncode == 0, found.stderr
    cache = json.loads(found.stdout)["default"]
    assert cache["BACKEND"] == "apps.core.cache.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert cache["OPTIONS"]["socket_timeout"] == 1.0
