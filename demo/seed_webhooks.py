"""Demo of durable webhooks: a resident's card payment whose first delivery was cut off (the database restarted
while the worker applied it, so the event stayed ``received``), completed by the sweep two minutes later. The event
log shows it handled on its second try; the ledger shows one credit.

Nothing calls Stripe: the event is the one Stripe would have sent, recorded as the dead worker left it, then the
real sweep applies it. Runs once per organization.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization
from billing.models import OnlinePayment, StripeEvent
from billing.selectors.balances import balance_of
from billing.services.online_checkout import checkout_metadata
from billing.services.stripe_events import stripe_events_sweep
from billing.services.stripe_setup import to_minor
from residents.models import Stay

from . import seed_stripe


def _event_id(organization: Organization) -> str:
    return f"evt_demo_{organization.slug}_swept"


def seed(organization: Organization) -> None:
    if StripeEvent.objects.filter(pk=_event_id(organization)).exists():
        return
    today = organization.today()
    paid_online = OnlinePayment.objects.filter(organization=organization).values("resident_id")
    stays = (
        Stay.objects.open()
        .filter(organization=organization, move_in__lte=today - timedelta(days=10), resident__membership__isnull=True)
        .exclude(resident_id__in=paid_online)
        .select_related("resident")
        .order_by("pk")
    )
    stay = next((s for s in stays if balance_of(s.resident_id) >= Decimal("50.00")), None)
    if stay is None:
        return
    resident = stay.resident
    amount = min(balance_of(resident.pk), Decimal("400.00"))
    at = timezone.make_aware(datetime.combine(today - timedelta(days=3), time(8, 40)), organization.tzinfo)
    session_id = f"cs_demo_{organization.slug}_swept"
    op = seed_stripe.checkout_attempt(stay, amount, session_id=session_id, at=at)
    customer = op.resident.stripe_customer
    minor = to_minor(amount, op.currency)
    event = {
        "id": _event_id(organization),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int((at + timedelta(minutes=3)).timestamp()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "mode": "payment",
                "status": "complete",
                "payment_status": "paid",
                "amount_subtotal": minor,
                "amount_total": minor,
                "currency": op.currency,
                "customer": customer.customer_id,
                "client_reference_id": str(op.pk),
                "metadata": checkout_metadata(op),
                "payment_intent": f"pi_demo_{organization.slug}_swept",
                "payment_method_types": ["card"],
                "livemode": False,
            }
        },
    }
    delivered = at + timedelta(minutes=3, seconds=2)
    StripeEvent.objects.create(
        id=event["id"],
        type=event["type"],
        created=at + timedelta(minutes=3),
        payload=event,
        attempts=1,
        error="OperationalError: server closed the connection unexpectedly",
        received_at=delivered,
    )
    stripe_events_sweep()
    # The sweep ran two minutes after the delivery in this story, not at seeding time.
    StripeEvent.objects.filter(pk=event["id"]).update(processed_at=delivered + timedelta(minutes=2))
