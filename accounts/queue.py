"""Handing background tasks to the broker without letting a broker outage break a page.

Every task a page, service or job queues goes through ``enqueue`` (usually ``enqueue_on_commit``, so a worker never
reads a row before it is committed). When the broker refuses the message (Redis down or unreachable; the publish
gives up within about a second, see ``CELERY_BROKER_TRANSPORT_OPTIONS``), the task is kept as a ``DeferredTask`` row
instead and the caller learns so (``Queued.deferred``), to tell the person that the work starts once the background
worker is reachable. ``deferred_tasks_resend`` sends the kept rows again, oldest first, deleting each one the broker
took; the worker runs it when it starts (``worker_ready``) and beat every minute.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``), tasks run in-process and nothing is ever deferred.
"""

import logging
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from celery import current_app
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerError

from .models import DeferredTask

logger = logging.getLogger("accounts.queue")

DEFERRED_MESSAGE = gettext_lazy("It is queued and will start when the background worker is reachable again.")
RESEND_BATCH = 500


class BrokerUnavailable(Exception):
    """The broker did not take the message."""


@dataclass
class Queued:
    """What became of a task handed to ``enqueue``: sent to the broker (or run in-process), or kept to send later.
    ``enqueue_on_commit`` fills it in once the transaction commits."""

    name: str
    sent: bool = False
    deferred: bool = False

    @property
    def message(self) -> str:
        return str(DEFERRED_MESSAGE) if self.deferred else ""


def publish(task, *args, **kwargs):
    """Sends ``task`` to the broker now, once, without Celery's publish retries; raises ``BrokerUnavailable`` when
    the broker does not take it. For callers that must know at once (the Stripe webhook answers 503 then)."""
    try:
        return task.apply_async(args=args, kwargs=kwargs, retry=False)
    except (BrokerError, OSError) as error:
        raise BrokerUnavailable(f"{type(error).__name__}: {error}") from error


def enqueue(task, *args, **kwargs) -> Queued:
    """Sends ``task`` to the broker; when the broker is unreachable keeps it as a ``DeferredTask`` to send later.
    Arguments must be JSON (ids, strings, numbers), as for any task."""
    queued = Queued(name=task.name)
    try:
        publish(task, *args, **kwargs)
        queued.sent = True
    except BrokerUnavailable as error:
        logger.warning("Broker unreachable; task %s kept to send later (%s)", task.name, error)
        DeferredTask.objects.create(name=task.name, args=list(args), kwargs=kwargs, last_error=str(error)[:2000])
        queued.deferred = True
    return queued


def enqueue_on_commit(task, *args, robust: bool = False, **kwargs) -> Queued:
    """``enqueue`` once the current transaction commits (at once outside one). The returned ``Queued`` is filled in
    then: read it after the service that queued the task has returned. ``robust``: as for ``on_commit``, an error
    (a task run in-process that raised) is logged instead of raised."""
    queued = Queued(name=task.name)

    def send():
        outcome = enqueue(task, *args, **kwargs)
        queued.sent, queued.deferred = outcome.sent, outcome.deferred

    transaction.on_commit(send, robust=robust)
    return queued


def is_deferred(task, *args) -> bool:
    """Whether ``task`` with these positional arguments is waiting for the broker (pages show it so)."""
    return DeferredTask.objects.filter(name=task.name, args=list(args)).exists()


def deferred_tasks_resend(*, limit: int = RESEND_BATCH) -> int:
    """Sends the kept tasks again, oldest first, and deletes each the broker took; stops at the first refusal (the
    broker is still down: the rest keep their order for the next run). Returns how many were sent.

    Each row is locked while it is sent (``skip_locked``), so the worker's start-up run and beat's never send one
    twice. On PostgreSQL one run at a time sends at all (an advisory lock; a second run returns 0 at once), so the
    order is kept. A task whose name no worker knows is left, with the error, for an administrator.

    A row is deleted after the broker took its message, in the same transaction: when that commit fails (the
    database lost just then), the row stays and the next run sends the task a second time. Tasks are idempotent."""
    with _one_resender() as alone:
        return _resend(limit) if alone else 0


# pg_try_advisory_lock's key for the resend runs (any number no other lock of Hearth's uses).
RESEND_LOCK = 0x48454152_00000001


@contextmanager
def _one_resender():
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RESEND_LOCK])
        alone = cursor.fetchone()[0]
    try:
        yield alone
    finally:
        if alone:
            with suppress(DatabaseError), connection.cursor() as cursor:  # a lost connection took the lock with it
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RESEND_LOCK])


def _resend(limit: int) -> int:
    app = current_app
    sent = 0
    for pk in list(DeferredTask.objects.order_by("created_at", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = DeferredTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue
            task = app.tasks.get(row.name)
            try:
                if task is None:
                    raise LookupError(f"No task is registered as {row.name}.")
                publish(task, *row.args, **row.kwargs)
            except (BrokerUnavailable, LookupError) as error:
                row.attempts += 1
                row.last_tried_at = timezone.now()
                row.last_error = str(error)[:2000]
                row.save(update_fields=["attempts", "last_tried_at", "last_error"])
                if isinstance(error, BrokerUnavailable):
                    break
                continue
            row.delete()
            sent += 1
    return sent
