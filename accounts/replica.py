"""Reporting reads: the switch report work turns on around what only reads (a month's figures, a PDF's content), so
that with a read replica configured (``DATABASE_REPLICA_URL``; the router is ``config.db_routers``) those reads
leave the primary. Without a replica, or outside the switch, every query goes to the primary as before.

A replica lags the primary. The router therefore keeps these reads on the primary even inside the switch:

- inside a transaction on the primary (a service's, an export's snapshot): it reads its own writes and holds locks;
- of a model the block itself wrote (a report's progress and heartbeat);
- for the whole block, when the replica has not yet replayed everything the primary had committed at the block's
  first read (waited for briefly): its figures are never older than those the request saw.

Keep out of the switch what reads rows written elsewhere a moment ago: claiming a queued report or export (the
request that queued it just committed), signing in, the token and session checks of a request. Raw SQL through
``django.db.connection`` always reads the primary; ``reading_connection(Model)`` follows the switch."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connections, router


@dataclass
class ReportingBlock:
    written: set[str] = field(default_factory=set)  # labels of the models written inside the block
    replica_current: bool | None = None  # decided by the router at the block's first routed read


# A context variable, not a thread-local: a thread or task started elsewhere never inherits an open switch.
_block: ContextVar[ReportingBlock | None] = ContextVar("hearth_reporting_reads", default=None)


@contextmanager
def reporting_reads():
    """Reads inside the block may go to the read replica (see the module docstring). Nested blocks are one block.
    Usable as a decorator too: ``@reporting_reads()``."""
    if _block.get() is not None:
        yield
        return
    token = _block.set(ReportingBlock())
    try:
        yield
    finally:
        _block.reset(token)


def reporting_block() -> ReportingBlock | None:
    """The open reporting block of this context, or None outside the switch."""
    return _block.get()


def reading_connection(model):
    """The connection a read of ``model`` goes to here: the replica's inside the switch (when the router sends it
    there), else the primary's. For raw SQL that should follow the switch."""
    return connections[router.db_for_read(model)]
