"""Fault tests: a dead broker or cache, a slow or restarted database, a killed worker, beat running twice.

Each test that needs Redis uses a Redis database of its own (``private_redis``) and a queue name of its own, so it
runs beside the rest of the suite (``pytest -n auto``) without taking or flushing anyone else's messages; it never
restarts the shared PostgreSQL server (a "restart" is simulated on the test's own database)."""

import os
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery._state import _set_task_join_will_block

from config.celery import app

# Billing's fixtures (the clock on June 15, 2026, a resident who owes, a checkout started, Stripe's settings).
from tests.billing.conftest import member_resident, today  # noqa: F401
from tests.billing.online.conftest import attempt, owing, stripe_settings  # noqa: F401

# A port nothing listens on: a broker or cache that is down.
DEAD_REDIS = "redis://127.0.0.1:1/0"
# Databases in the shared Redis kept for these tests (the suite's own broker uses 0).
FAULTS_REDIS_DB = 13


def redis_url(db: int = FAULTS_REDIS_DB) -> str:
    """The suite's Redis (CELERY_BROKER_URL's host and port) at database ``db``."""
    parts = urlsplit(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


def _reset_pools() -> None:
    # Dropped, not closed: kombu's global producer pools may still hold them for another test of this process.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str, queue: str = "celery"):
    """Celery sends to a real broker at ``url`` (tasks no longer run in-process), on ``queue``."""
    conf = app.conf
    # broker_write_url: publishing uses it, and unlike broker_url the CELERY_BROKER_URL variable does not override it.
    saved = conf.get("broker_write_url"), conf.task_always_eager, conf.task_default_queue
    _reset_pools()
    conf.broker_write_url, conf.task_always_eager, conf.task_default_queue = url, False, queue
    try:
        yield
    finally:
        conf.broker_write_url, conf.task_always_eager, conf.task_default_queue = saved
        _reset_pools()
        _set_task_join_will_block(False)


@pytest.fixture
def private_queue():
    """A queue name of this test's own in the faults' Redis database; its keys are deleted afterwards."""
    name = f"hearth-faults-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url())
    client.delete(name, *client.scan_iter(f"_kombu.binding*.{name}*"))


@pytest.fixture
def broker_down():
    with broker_at(DEAD_REDIS):
        yield


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def waiting_in(queue: str) -> list:
    """The task names waiting in ``queue`` of the faults' Redis database, oldest first."""
    import json

    client = redis.Redis.from_url(redis_url())
    return [json.loads(raw)["headers"]["task"] for raw in reversed(client.lrange(queue, 0, -1))]


def run_waiting(queue: str) -> list:
    """Runs, in this process as a worker would, each task waiting in ``queue`` (oldest first); returns their
    results. The messages are taken off the queue."""
    import base64
    import json

    client = redis.Redis.from_url(redis_url())
    results = []
    while (raw := client.rpop(queue)) is not None:
        message = json.loads(raw)
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args, kwargs, _embed = json.loads(body)
        results.append(app.tasks[message["headers"]["task"]].apply(args=args, kwargs=kwargs).get())
    return results


def pg_connect(**options):
    """A PostgreSQL connection of its own to the test database (for holding locks, or ending other sessions)."""
    import psycopg
    from django.db import connection

    params = connection.settings_dict
    options.setdefault("dbname", params["NAME"])
    return psycopg.connect(
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        **options,
    )


def rent_keys(stay) -> list[str]:
    """The idempotency keys of the stay's rent charges (one per period charged)."""
    from billing.models import EntryKind, LedgerEntry

    return list(LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT).values_list("idempotency_key", flat=True))
