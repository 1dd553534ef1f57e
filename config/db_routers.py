"""The read replica for reports (``DATABASE_REPLICA_URL``): installed only when it is set.

Reads go to the ``replica`` alias only inside ``accounts.replica.reporting_reads()`` (the report entry points turn
it on), and even there not inside a transaction on the primary, not for a model the block wrote, and not while the
replica is behind (see ``accounts.replica``). Every write goes to the primary; objects read from either may be
related to each other; migrations run on the primary only (the replica follows it)."""

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from accounts.replica import reporting_block

REPLICA = "replica"
# How long a reporting block's first read waits for the replica to replay what the primary had committed, before
# the block reads the primary instead: replication usually lags by milliseconds.
CATCH_UP_SECONDS = 2.0
CATCH_UP_POLL_SECONDS = 0.05

logger = logging.getLogger(__name__)


class ReportingReplicaRouter:
    def db_for_read(self, model, **hints):
        block = reporting_block()
        if block is None or model._meta.label in block.written or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if block.replica_current is None:
            block.replica_current = replica_caught_up()
        return REPLICA if block.replica_current else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        block = reporting_block()
        if block is not None:
            block.written.add(model._meta.label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _primary_position() -> str | None:
    primary = connections[DEFAULT_DB_ALIAS]
    if primary.vendor != "postgresql":
        return None
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return cursor.fetchone()[0]


def _replica_behind(position: str) -> bool:
    """True while the replica, a PostgreSQL streaming standby, has not replayed the primary's WAL up to
    ``position``. A server that replays no WAL (not a standby: the test suite's mirror of the primary) is current."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery() AND coalesce(pg_last_wal_replay_lsn() < %s::pg_lsn, true)", [position]
        )
        return cursor.fetchone()[0]


def replica_caught_up(*, wait: float | None = None) -> bool:
    """Whether reads may go to the replica now: it answers and holds everything the primary had committed when this
    was asked (waiting up to ``wait`` seconds, by default CATCH_UP_SECONDS, for it to replay that far)."""
    wait = CATCH_UP_SECONDS if wait is None else wait
    try:
        position = _primary_position()
        if position is None or connections[REPLICA].vendor != "postgresql":
            return True
        deadline = time.monotonic() + wait
        while _replica_behind(position):
            if time.monotonic() >= deadline:
                logger.warning("read replica behind the primary: these reporting reads stay on the primary")
                return False
            time.sleep(CATCH_UP_POLL_SECONDS)
    except DatabaseError as error:
        logger.warning("read replica unreachable (%s): these reporting reads stay on the primary", type(error).__name__)
        return False
    return True
