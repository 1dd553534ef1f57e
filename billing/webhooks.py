"""Stripe's webhook endpoint: /billing/stripe/webhook/.

It is exempt from CSRF because nothing about it rests on a session or a cookie: every request is authenticated by
Stripe's signature over the raw body (checked with the webhook secret), and anything unsigned is refused unread.

Answers: 200 once the event is recorded and applied (or stored as ignored or failed, which retrying cannot change),
with ``duplicate: true`` for an event applied before; 500 when applying it raised: the event is kept as received
and Stripe's retry or the sweep (``billing.tasks.sweep_stripe_events``) applies it later, once.
"""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.exceptions import DomainError

from .services.stripe_events import stripe_event_receive, stripe_event_verify


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe_event_verify(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    try:
        row, handled = stripe_event_receive(event=event)
    except Exception:
        # Kept on the event row as received, with the error; a 500 makes Stripe deliver it again later.
        return JsonResponse({"detail": "The event could not be processed; it will be retried."}, status=500)
    return JsonResponse({"id": row.id, "status": row.status, "duplicate": not handled})
