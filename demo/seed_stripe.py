"""Demo online payments, as Stripe would have reported them: a card payment that went through, a bank debit that
failed, a card payment refunded in full and (called by the billing demo as it walks the calendar) the portal
resident's rent paid by a bank debit that settled. Every bank debit settles or fails within the story, dated from the
seed date: nothing delivers events to a demo later, so a debit left pending would stay pending forever.

Nothing calls Stripe. Each payment is a local checkout attempt plus the webhook events Stripe would have sent, run
through the real event handling (without the signature check, which belongs to the HTTP endpoint), so the ledger,
payments, receipts and event log look exactly as they would after real deliveries. Runs once per organization.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization
from billing.models import OnlinePayment, StripeCustomer
from billing.selectors.balances import balance_of
from billing.services.online_checkout import checkout_metadata
from billing.services.stripe_events import stripe_event_receive
from billing.services.stripe_setup import to_minor
from residents.models import Resident, Stay

SESSION_PREFIX = "cs_demo_"


def seed(organization: Organization, *, light: bool = False) -> None:
    """Online payments for ``organization``: all three stories, or (``light``) only the card payment."""
    if OnlinePayment.objects.filter(organization=organization, checkout_session_id=_session_id(organization, "card")):
        return
    today = organization.today()
    settled_in = [
        stay.resident
        for stay in Stay.objects.open()
        .filter(organization=organization, move_in__lte=today - timedelta(days=25))
        .select_related("resident")
        .order_by("pk")
    ]
    if not settled_in:
        return
    owing = sorted(
        (r for r in settled_in if balance_of(r.pk) >= Decimal("1.00")), key=lambda r: (balance_of(r.pk), r.pk)
    )
    # The smallest balance is one of the ordinary late payers, never the long-unpaid residents the aging demo needs.
    payer = next((r for r in owing if r.membership_id is None), settled_in[0])
    amount = min(balance_of(payer.pk), Decimal("850.00")) if payer in owing else Decimal("100.00")
    _card_payment(organization, payer, amount, days_ago=12, tag="card")
    if light:
        return
    # The longest unpaid resident tried to catch up by bank debit; the bank refused it a few days later.
    debtor = next((r for r in reversed(owing) if r.membership_id is None and r != payer), None)
    if debtor is not None:
        day = organization.today() - timedelta(days=7)
        amount = min(balance_of(debtor.pk), Decimal("850.00"))
        bank_debit(organization, debtor, amount, started_on=day, failed_on=day + timedelta(days=4))
    square = next((r for r in settled_in if balance_of(r.pk) == 0 and r.membership_id is None), settled_in[0])
    _card_payment(organization, square, Decimal("150.00"), days_ago=20, tag="refunded", refunded_days_ago=18)


def _session_id(organization: Organization, tag: str) -> str:
    return f"{SESSION_PREFIX}{organization.slug}_{tag}"


def _at(organization: Organization, days_ago: int, hour: int) -> datetime:
    return _on_day(organization, organization.today() - timedelta(days=days_ago), hour)


def _on_day(organization: Organization, day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)), organization.tzinfo)


def checkout_attempt(stay: Stay, amount: Decimal, *, session_id: str, at: datetime) -> OnlinePayment:
    """A resident's checkout as the checkout service leaves it once Stripe answered (their customer made once)."""
    organization, resident = stay.organization, stay.resident
    StripeCustomer.objects.get_or_create(
        resident=resident,
        defaults={"organization": organization, "customer_id": f"cus_demo_{organization.slug}_{resident.pk}"},
    )
    return OnlinePayment.objects.create(
        organization=organization,
        resident=resident,
        stay=stay,
        house_id=stay.house_id,
        amount=amount,
        currency=organization.currency.lower(),
        checkout_session_id=session_id,
        checkout_url=f"https://checkout.stripe.com/c/pay/{session_id}",
        started_by=resident.membership.user if resident.membership else None,
        created_at=at,
        updated_at=at,
    )


def receive(event_id: str, kind: str, obj: dict, *, at: datetime) -> tuple:
    """Stripe's event ``kind`` about ``obj``, sent at ``at``, through the real event handling (no signature check:
    that belongs to the HTTP endpoint). Returns what ``stripe_event_receive`` does."""
    return stripe_event_receive(
        event={
            "id": event_id,
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(at.timestamp()),
            "livemode": False,
            "pending_webhooks": 0,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
            "data": {"object": obj},
        }
    )


def _attempt(organization: Organization, resident: Resident, amount: Decimal, *, tag: str, at: datetime):
    stay = Stay.objects.filter(resident=resident, move_out__isnull=True).select_related("organization").get()
    return checkout_attempt(stay, amount, session_id=_session_id(organization, tag), at=at)


def _event(op: OnlinePayment, kind: str, obj: dict, *, at: datetime, number: int) -> None:
    receive(f"evt_demo_{op.organization.slug}_{op.pk}_{number}", kind, obj, at=at)


def _session(op: OnlinePayment, *, intent: str, paid: bool) -> dict:
    return {
        "id": op.checkout_session_id,
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid" if paid else "unpaid",
        "amount_subtotal": to_minor(op.amount, op.currency),
        "amount_total": to_minor(op.amount, op.currency),
        "currency": op.currency,
        "customer": op.resident.stripe_customer.customer_id,
        "client_reference_id": str(op.pk),
        "metadata": checkout_metadata(op),
        "payment_intent": intent,
        "payment_method_types": ["card", "us_bank_account"],
        "livemode": False,
    }


def _card_payment(organization, resident, amount, *, days_ago: int, tag: str, refunded_days_ago: int | None = None):
    at = _at(organization, days_ago, 19)
    op = _attempt(organization, resident, amount, tag=tag, at=at)
    intent = f"pi_demo_{organization.slug}_{tag}"
    _event(
        op, "checkout.session.completed", _session(op, intent=intent, paid=True), at=at + timedelta(minutes=2), number=1
    )
    if refunded_days_ago is None:
        return
    minor = to_minor(amount, op.currency)
    charge = {
        "id": f"ch_demo_{organization.slug}_{tag}",
        "object": "charge",
        "amount": minor,
        "amount_captured": minor,
        "amount_refunded": minor,
        "captured": True,
        "refunded": True,
        "paid": True,
        "currency": op.currency,
        "payment_intent": intent,
        "metadata": {},
    }
    _event(op, "charge.refunded", charge, at=_at(organization, refunded_days_ago, 10), number=2)


def bank_debit(
    organization: Organization,
    resident: Resident,
    amount: Decimal,
    *,
    started_on: date,
    settled_on: date | None = None,
    failed_on: date | None = None,
) -> OnlinePayment:
    """A US bank debit started on ``started_on`` (pending from then), then settled on ``settled_on`` (the ledger
    credited that day) or refused by the bank on ``failed_on``."""
    tag = f"ach_{resident.pk}_{started_on:%Y%m%d}"
    at = _on_day(organization, started_on, 20)
    op = _attempt(organization, resident, amount, tag=tag, at=at)
    intent = f"pi_demo_{organization.slug}_{tag}"
    _event(op, "checkout.session.completed", _session(op, intent=intent, paid=False), at=at, number=1)
    if settled_on is not None:
        done = _on_day(organization, settled_on, 9)
        _event(
            op, "checkout.session.async_payment_succeeded", _session(op, intent=intent, paid=True), at=done, number=2
        )
    elif failed_on is not None:
        done = _on_day(organization, failed_on, 9)
        _event(op, "checkout.session.async_payment_failed", _session(op, intent=intent, paid=False), at=done, number=2)
    return op
