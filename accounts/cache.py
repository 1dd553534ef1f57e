"""The shared cache (Redis) failing open: sign-in and password-reset counters and DRF's throttles read it on
every request, and a Redis outage must not turn those requests into errors.

Chosen per use: the counters allow the request while Redis is down (``RATELIMIT_FAIL_OPEN``), each miss logged as a
warning, but the sign-in limits then count in the database and password reset e-mails are held (see
``accounts.throttling``); django-axes' failures and lockouts are kept in the database anyway. Sessions are
kept in the database too, so nobody is signed out. ``/healthz`` still reports the cache as down: its write-then-read
check finds nothing."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("accounts.cache")


def _failing_open(name: str, fallback):
    def call(self, *args, **kwargs):
        try:
            result = getattr(super(FailOpenRedisCache, self), name)(*args, **kwargs)
        except RedisError as error:
            self.unreachable = True
            logger.warning("Cache unreachable, %s ignored (%s: %s)", name, type(error).__name__, error)
            return fallback(args, kwargs)
        self.unreachable = False
        return result

    call.__name__ = name
    return call


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache whose reads miss and writes do nothing while Redis is unreachable. ``incr`` answers
    None, which django-ratelimit reads as "could not count" (and then fails open). ``unreachable`` says whether the
    latest call failed (each thread has its own cache object), so a caller can tell a miss from an outage."""

    unreachable = False

    get = _failing_open("get", _default)
    get_many = _failing_open("get_many", lambda args, kwargs: {})
    has_key = _failing_open("has_key", lambda args, kwargs: False)
    add = _failing_open("add", lambda args, kwargs: False)
    set = _failing_open("set", lambda args, kwargs: None)
    set_many = _failing_open("set_many", lambda args, kwargs: [])
    touch = _failing_open("touch", lambda args, kwargs: False)
    delete = _failing_open("delete", lambda args, kwargs: False)
    delete_many = _failing_open("delete_many", lambda args, kwargs: None)
    incr = _failing_open("incr", lambda args, kwargs: None)
    decr = _failing_open("decr", lambda args, kwargs: None)
    clear = _failing_open("clear", lambda args, kwargs: None)
