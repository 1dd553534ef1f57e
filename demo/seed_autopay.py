"""Demo autopay: a resident of the first organization who turned autopay on some weeks ago (a Visa ending 4242, their
consent recorded word for word) and whose rent has been charged by autopay on each due date since, the last one
included. Nothing calls Stripe: each charge is an autopay ``OnlinePayment`` plus the ``payment_intent.succeeded``
event Stripe would have sent, run through the real event handling (as ``seed_stripe`` does), so the ledger credit,
the payment and its receipt are exactly those of a real delivery.

``seed`` (before the billing demo) picks the resident and records their autopay; the billing demo, walking the
calendar, asks ``planned`` when each charge is paid (autopay: on its due date, in full) and lets ``pays`` pay it.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization
from billing.models import Autopay, EntryKind, LedgerEntry, OnlinePayment, StripeCustomer
from billing.services.autopay import autopay_consent_text
from billing.services.online_checkout import checkout_metadata
from billing.services.stripe_setup import to_minor
from residents.models import Stay

from .seed_stripe import _event

# How long before the demo's today the resident agreed to autopay: two monthly rents, or several weekly ones.
ON_SINCE_DAYS = 45


def _at(organization: Organization, day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), organization.tzinfo)


def seed(organization: Organization) -> Autopay | None:
    """Turns autopay on for the most recently admitted resident of the first house who has lived there long enough
    and has no portal login (the portal login's own story is paying online by hand). Runs once."""
    existing = Autopay.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    today = organization.today()
    stay = (
        Stay.objects.open()
        .filter(
            organization=organization,
            resident__membership__isnull=True,
            move_in__lte=today - timedelta(days=ON_SINCE_DAYS + 5),
            house=organization.houses.order_by("pk").first(),
        )
        .select_related("resident")
        .order_by("-move_in", "-pk")
        .first()
    )
    if stay is None:
        return None
    resident = stay.resident
    agreed = _at(organization, today - timedelta(days=ON_SINCE_DAYS), 19, 40)
    StripeCustomer.objects.get_or_create(
        resident=resident,
        defaults={"organization": organization, "customer_id": f"cus_demo_{organization.slug}_{resident.pk}"},
    )
    return Autopay.objects.create(
        organization=organization,
        resident=resident,
        status=Autopay.Status.ON,
        setup_session_id=f"cs_demo_{organization.slug}_autopay_{resident.pk}",
        payment_method_id=f"pm_demo_{organization.slug}_{resident.pk}",
        payment_method_label="Visa ending 4242",
        consented_at=agreed,
        created_at=agreed,
        updated_at=agreed + timedelta(minutes=3),  # Stripe's setup page, then the event
    )


def _autopay_for(charge: LedgerEntry) -> Autopay | None:
    """The autopay that pays ``charge``: a rent charge due after the resident turned autopay on."""
    if charge.kind != EntryKind.RENT:
        return None
    autopay = Autopay.objects.filter(resident_id=charge.resident_id, status=Autopay.Status.ON).first()
    if autopay is None:
        return None
    agreed_on = timezone.localdate(autopay.consented_at, timezone=charge.organization.tzinfo)
    return autopay if charge.effective_on > agreed_on else None


def planned(charge: LedgerEntry, when: date, amount: Decimal) -> tuple[date, Decimal]:
    """When and how much of ``charge`` is paid: with autopay, on its due date, what is due (within the online
    limit); otherwise as the resident's habit had it."""
    if _autopay_for(charge) is None:
        return when, amount
    return charge.effective_on, min(charge.amount, settings.ONLINE_PAYMENT_MAX)


def pays(charge: LedgerEntry, amount: Decimal) -> bool:
    """Pays ``charge`` by autopay if autopay pays it: the morning's charge, then Stripe's ``payment_intent.succeeded``
    a minute later (the webhook credits the ledger and numbers the receipt). Returns whether it did."""
    autopay = _autopay_for(charge)
    if autopay is None:
        return False
    organization = charge.organization
    resident = charge.resident
    if OnlinePayment.objects.filter(resident=resident, source=OnlinePayment.Source.AUTOPAY, due_on=charge.effective_on):
        return False  # two rent charges on one day (a schedule handing over): the first was charged
    if not autopay.consent_text:  # the words of the day they agreed, now that their rent schedule exists
        autopay.consent_text = autopay_consent_text(resident=resident)
        autopay.save(update_fields=["consent_text"])
    # The daily job's run, after the day's rent is posted (or just now, when the demo is seeded before it).
    started = max(timezone.now() - timedelta(minutes=2), _at(organization, charge.effective_on, 0))
    at = min(_at(organization, charge.effective_on, 5, 30), started)
    intent = f"pi_demo_{organization.slug}_autopay_{charge.pk}"
    op = OnlinePayment.objects.create(
        organization=organization,
        resident=resident,
        stay=charge.stay,
        house_id=charge.house_id,
        amount=amount,
        currency=organization.currency.lower(),
        source=OnlinePayment.Source.AUTOPAY,
        due_on=charge.effective_on,
        attempts=1,
        payment_intent_id=intent,
        created_at=at,
        updated_at=at,
    )
    minor = to_minor(amount, op.currency)
    payment_intent = {
        "id": intent,
        "object": "payment_intent",
        "amount": minor,
        "amount_received": minor,
        "currency": op.currency,
        "customer": resident.stripe_customer.customer_id,
        "payment_method": autopay.payment_method_id,
        "payment_method_types": ["card"],
        "latest_charge": f"ch_demo_{organization.slug}_autopay_{charge.pk}",
        "status": "succeeded",
        "livemode": False,
        "metadata": {**checkout_metadata(op), "autopay_attempt": "1", "due_on": charge.effective_on.isoformat()},
    }
    _event(op, "payment_intent.succeeded", payment_intent, at=at + timedelta(minutes=1), number=1)
    return True
