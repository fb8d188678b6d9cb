"""ResilientRedisCache against a real Redis server that is stopped."""

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from bench.throwaway import ThrowawayRedis
from security.cache import ResilientRedisCache

pytestmark = pytest.mark.outage
OPTIONS = {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}


@pytest.fixture
def redis():
    server = ThrowawayRedis(8513).start()
    yield server
    server.stop()


def test_a_stopped_redis_reads_as_misses_and_writes_are_dropped(redis):
    cache = ResilientRedisCache(redis.url, OPTIONS)
    cache.set("k", "v")
    assert cache.get("k") == "v"
    redis.stop()
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k"]) == {}
    assert cache.add("n", 1) is False
    assert cache.set("k", "w") is None
    assert cache.delete("k") is False
    assert cache.has_key("k") is False
    with pytest.raises(ValueError):
        cache.incr("n")


def test_the_cache_is_used_again_once_redis_is_back(redis):
    cache = ResilientRedisCache(redis.url, OPTIONS)
    redis.stop()
    assert cache.get("k") is None
    redis.start()
    cache._down_until = 0  # skip the back-off wait
    cache.set("k", "v")
    assert cache.get("k") == "v"


def test_plain_redis_cache_would_raise(redis):
    """Why the wrapper exists: Django's RedisCache raises on an outage."""
    redis.stop()
    with pytest.raises(RedisConnectionError):
        RedisCache(redis.url, OPTIONS).get("k")
