"""The cache backend: Django's Redis cache, failing open when Redis does not answer.

The cache holds rate limits, ours (onpromet/ratelimit.py) and allauth's (log-in, sign-up,
password reset), and rendered pages (onpromet/pagecache.py). With Redis down, a limit that lets
requests through for a while, and pages rendered at each request, cost far less than a site
that answers 500 to every log-in, sign-up, pledge and post. So
every operation that meets a Redis error answers as an empty cache that accepts every write
would: `add()` is True (allauth takes its lock at once instead of spinning for a second, and
`hit()` counts the request as the first of its window), `get()` gives the default, `incr()`
the delta, writes and deletes do nothing.

A WARNING says so when an outage starts (and once a minute while it lasts, not once per
request). After a failure, the process leaves Redis alone for a few seconds: a Redis that
swallows packets then costs one socket timeout now and then, not one per cache call (a
log-in makes about eight).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, Redis is not tried again for this long (seconds, per process).
RETRY_AFTER = 5.0
# While an outage lasts, the warning comes back this often (seconds).
WARN_EVERY = 60.0


class Outage:
    """What one process knows of one Redis address. Django builds a cache object per thread;
    they all share this, so one thread's failure spares the others the timeout."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.retry_at = 0.0  # time.monotonic() before which Redis is not tried
        self.since: float | None = None  # start of the current outage; None while Redis answers
        self._warned_at = 0.0

    def skipping(self) -> bool:
        return time.monotonic() < self.retry_at

    def failed(self, error: RedisError) -> None:
        now = time.monotonic()
        with self._lock:
            self.retry_at = now + RETRY_AFTER
            if self.since is None:
                self.since = now
            elif now - self._warned_at < WARN_EVERY:
                return
            self._warned_at = now
            started = self.since
        logger.warning(
            "Redis cache unreachable for %d s (%s): rate limits let every request through "
            "until it answers again",
            now - started,
            error,
        )

    def answered(self) -> None:
        if self.since is None:  # the common case: no lock taken
            return
        with self._lock:
            started, self.since = self.since, None
        if started is not None:
            logger.info("Redis cache answers again after %d s", time.monotonic() - started)


# One per Redis address in this process (str(LOCATION)).
_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(location) -> Outage:
    with _outages_lock:
        return _outages.setdefault(str(location), Outage())


class ReusedRedisClient(RedisCacheClient):
    """Django's client builds a redis.Redis object for every cache call, and each one fills a
    table of some 170 response callbacks: a tenth of a millisecond per call, on the pages
    served from the cache. One redis.Redis per connection pool serves them all (it takes a
    connection from the pool for each command, so threads may share it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class FailOpenRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache whose operations fail open (see above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient
        self.outage = outage_for(server)

    def _fail_open(self, fallback, operation, *args, **kwargs):
        if self.outage.skipping():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except RedisError as error:  # ConnectionError, TimeoutError, a full or read-only Redis…
            self.outage.failed(error)
            return fallback
        self.outage.answered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._fail_open(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._fail_open(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._fail_open({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._fail_open(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as it does with Redis up (hit() relies on it).
        return self._fail_open(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fail_open([], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._fail_open(None, super().delete_many, keys, version)

    def clear(self):
        return self._fail_open(False, super().clear)
