"""Demo of a disputed payment: a resident's card payment of two weeks ago, disputed at their bank two days ago, with
Stripe's evidence deadline a week ahead. The staff dashboard's "Payments needing attention" shows it (beside the bank
debit that failed in ``seed_stripe``), and the resident's page shows the payment as disputed.

Nothing calls Stripe: the payment is a local checkout plus the events Stripe would have sent
(``checkout.session.completed``, then ``charge.dispute.created``), run through the real event handling, so the ledger,
the payment and its alert look as they would after real deliveries. The operators are not e-mailed: the alerts
seeded are marked as told. Runs once per organization.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization, Role
from billing.models import OnlinePayment, PaymentAlert
from billing.selectors.balances import balance_of
from billing.services.online_checkout import checkout_metadata
from billing.services.stripe_setup import to_minor
from residents.models import Stay

from . import seed_stripe

EVIDENCE_DAYS = 7


def _session_id(organization: Organization) -> str:
    return f"cs_demo_{organization.slug}_disputed"


def seed(organization: Organization) -> OnlinePayment | None:
    """A disputed card payment in a house a manager runs, so both the operator's and the manager's dashboards show
    it; ``None`` when the organization has nobody to pick."""
    if OnlinePayment.objects.filter(checkout_session_id=_session_id(organization)).exists():
        return None
    today = organization.today()
    paid_online = OnlinePayment.objects.filter(organization=organization).values("resident_id")
    stays = (
        Stay.objects.open()
        .filter(
            organization=organization,
            move_in__lte=today - timedelta(days=20),
            resident__membership__isnull=True,
            house__staff__role=Role.MANAGER,
        )
        .exclude(resident_id__in=paid_online)
        .select_related("resident")
        .distinct()
        .order_by("pk")
    )
    stay = next((s for s in stays if balance_of(s.resident_id) >= Decimal("100.00")), None)
    if stay is None:
        return None
    op = _card_payment(organization, stay, amount=min(balance_of(stay.resident_id), Decimal("650.00")))
    _dispute(op, today=today)
    # A demo has nobody to e-mail: the seeded alerts count as told, so seeding prints no e-mail.
    PaymentAlert.objects.filter(organization=organization, notified_at__isnull=True).update(notified_at=timezone.now())
    op.refresh_from_db()
    return op


def _at(organization: Organization, days_ago: int, hour: int) -> datetime:
    day = organization.today() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 25)), organization.tzinfo)


def _receive(op: OnlinePayment, kind: str, obj: dict, *, at: datetime, number: int) -> None:
    seed_stripe.receive(f"evt_demo_{op.organization.slug}_disputed_{number}", kind, obj, at=at)


def _intent(organization: Organization) -> str:
    return f"pi_demo_{organization.slug}_disputed"


def _card_payment(organization: Organization, stay: Stay, *, amount: Decimal) -> OnlinePayment:
    at = _at(organization, 14, 20)
    op = seed_stripe.checkout_attempt(stay, amount, session_id=_session_id(organization), at=at)
    session_id = op.checkout_session_id
    customer = op.resident.stripe_customer
    minor = to_minor(amount, op.currency)
    session = {
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
        "payment_intent": _intent(organization),
        "payment_method_types": ["card", "us_bank_account"],
        "livemode": False,
    }
    _receive(op, "checkout.session.completed", session, at=at + timedelta(minutes=2), number=1)
    return op


def _dispute(op: OnlinePayment, *, today) -> None:
    """Stripe's ``charge.dispute.created`` for the whole payment: the card holder says they did not make it. Stripe
    gives until 23:59:59 UTC of the deadline's day to answer."""
    organization = op.organization
    due_by = datetime.combine(today + timedelta(days=EVIDENCE_DAYS), time(23, 59, 59), tzinfo=UTC)
    opened = _at(organization, 2, 9)
    dispute = {
        "id": f"dp_demo_{organization.slug}_disputed",
        "object": "dispute",
        "amount": to_minor(op.amount, op.currency),
        "balance_transactions": [],
        "charge": f"ch_demo_{organization.slug}_disputed",
        "created": int(opened.timestamp()),
        "currency": op.currency,
        "evidence_details": {
            "due_by": int(due_by.timestamp()),
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": _intent(organization),
        "payment_method_details": {"card": {"brand": "visa", "case_type": "chargeback", "network_reason_code": "10.4"},
                                   "type": "card"},
        "reason": "fraudulent",
        "status": "needs_response",
    }  # fmt: skip
    _receive(op, "charge.dispute.created", dispute, at=opened, number=2)
