"""Stripe's webhook endpoint: /billing/stripe/webhook/.

It is exempt from CSRF because nothing about it rests on a session or a cookie: every request is authenticated by
Stripe's signature over the raw body (checked with the webhook secret), and anything unsigned is refused unread.

Answers: 200 once the event is recorded and applied (or stored as ignored or failed, which retrying cannot change),
with ``duplicate: true`` for an event applied before; 500 when applying it raised: the event is kept as received
and Stripe's retry or the sweep (``billing.tasks.sweep_stripe_events``) applies it later, once.

Stripe gives up on a delivery that takes more than a few seconds, so the signature is checked without the database
and the database gets ``DATABASE_BUDGET`` seconds. When it does not answer in time (locked, overloaded, restarting),
the verified event is handed to the broker (``receive_stripe_event`` records and applies it later, once) and the
answer is 200 with ``queued: true``; when the broker does not take it either, 503, and Stripe delivers it again
(it retries for three days). Nothing is written halfway: each step is one transaction.
"""

import time
from contextlib import contextmanager

from celery import current_app
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError
from accounts.queue import BrokerUnavailable, publish

from .services.stripe_events import receive_stripe_event, stripe_event_receive, stripe_event_verify

# Seconds the database gets before the event goes to the broker instead; a statement waits at most
# STATEMENT_BUDGET_MS. The worst case, a query started just before the deadline that then waits its whole budget,
# plus the hand-off to the broker, stays well under Stripe's and the README's 2 seconds on a loaded machine.
DATABASE_BUDGET = 0.8
STATEMENT_BUDGET_MS = 500


class DatabaseTooSlow(OperationalError):
    """The webhook's database budget is spent."""


@contextmanager
def _database_budget(seconds: float):
    """On PostgreSQL (production), every query inside must start within ``seconds`` and wait for a lock or run no
    longer than ``STATEMENT_BUDGET_MS``; once one ran out, no further query is tried (not even the error's
    bookkeeping). SQLite, a single-process development database, is left as it is."""
    if connection.vendor != "postgresql":
        yield
        return
    deadline = time.monotonic() + seconds
    tripped = False

    def guard(execute, sql, params, many, context):
        nonlocal tripped
        if tripped or time.monotonic() > deadline:
            tripped = True
            raise DatabaseTooSlow("The database did not answer within the webhook's budget.")
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            tripped = True
            raise

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_BUDGET_MS}; SET lock_timeout = {STATEMENT_BUDGET_MS}")
    try:
        with connection.execute_wrapper(guard):
            yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout; RESET lock_timeout")
        except (OperationalError, InterfaceError):
            connection.close()  # a kept connection must not carry the webhook's timeouts to another request


def _hand_to_broker(event: dict) -> JsonResponse:
    if current_app.conf.task_always_eager:  # no broker: only Stripe's retry can bring it back
        return JsonResponse({"detail": "The database is busy; deliver the event again later."}, status=503)
    try:
        publish(receive_stripe_event, event)
    except BrokerUnavailable:
        return JsonResponse({"detail": "The database and the queue are unavailable; deliver it again."}, status=503)
    return JsonResponse({"id": event["id"], "status": "queued", "duplicate": False, "queued": True})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe_event_verify(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    try:
        with _database_budget(DATABASE_BUDGET):
            row, handled = stripe_event_receive(event=event)
    except (OperationalError, InterfaceError):
        # The database is slow or gone: nothing of the event was committed; the worker records it later.
        return _hand_to_broker(event)
    except Exception:
        # Kept on the event row as received, with the error; a 500 makes Stripe deliver it again later.
        return JsonResponse({"detail": "The event could not be processed; it will be retried."}, status=500)
    return JsonResponse({"id": row.id, "status": row.status, "duplicate": not handled})
