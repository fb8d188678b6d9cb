"""A Redis cache that answers like an empty cache while Redis is down."""

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure Redis is not asked again for this many seconds, so a
# request during an outage does not wait for one timeout per cache call.
RETRY_AFTER_SECONDS = 5.0


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


def _degrade(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("cache unavailable, serving uncached: %s", error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


class ResilientRedisCache(RedisCache):
    """RedisCache whose errors become misses, so pages render uncached.

    Reads return the default, writes report failure, deletes are dropped:
    an outage makes the site slower, never broken. Keys written before the
    outage may be stale afterwards only if a delete was dropped meanwhile,
    so entries should keep short timeouts.
    """

    _down_until = 0.0

    @_degrade(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrade(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrade(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrade(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrade(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrade(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrade(lambda key, version=None: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrade(_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrade(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrade(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrade(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
