"""Demo of a fair late fee, and of the e-mails residents get about their rent.

A pending bank debit that holds off a late fee: a resident admitted a week ago paid their move-in rent and deposit by
bank debit a few days ago, inside the grace days. The debit is still pending, deliberately: unlike the debits of
``seed_stripe`` (which all settle or fail within the story), this one stays pending, to show that the late-fee job,
run on the first late day and again today, posts no late fee for rent a payment on its way covers. Nothing delivers
events to a demo later, so it stays pending for as long as the demo is looked at. It goes through the real event
handling, as ``seed_stripe`` does (``checkout.session.completed`` unpaid, then ``payment_intent.processing``).

Resident notices: the e-mails the organization's residents were sent, recorded as the services record them: a
receipt for each online payment that settled, and the rent reminders of the last five weeks (before the due date, on
it, and once late) for rent still open, except to one resident who turned reminders off. They are written as records
only (the e-mails were "sent" when they fell due); the live job and the receipt hook find them and send nothing
again.

Runs once per organization, after ``seed_stripe`` and the other online payments (so nothing else picks the new
resident). The new resident is admitted after the chores demo, so it is asked again for the newcomer's rows.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.exceptions import DomainError
from accounts.models import Organization, Role
from billing.models import (
    EntryKind,
    HouseBillingPolicy,
    LateFeeKind,
    LedgerEntry,
    OnlinePayment,
    ReminderOptOut,
    ResidentNotice,
)
from billing.selectors.balances import balance_of
from billing.services.late_fees import late_date, late_fees_assess, open_after_pending
from billing.services.online_checkout import checkout_metadata
from billing.services.rent import rent_sync_stay
from billing.services.rent_notices import address_of
from billing.services.stripe_setup import to_minor
from houses.models import Bed
from residents.core.services.stays import stay_admit
from residents.models import BedAssignment, Resident, Stay

from . import seed_chores, seed_drug_tests, seed_stripe

NEW_RESIDENT = ("Devon", "Whitaker")
ADMITTED_DAYS_AGO = 7
DEBIT_DAYS_AGO = 3

Kind = ResidentNotice.Kind


def seed(organization: Organization) -> None:
    if Resident.objects.filter(
        organization=organization, legal_first_name=NEW_RESIDENT[0], legal_last_name=NEW_RESIDENT[1]
    ).exists():
        return
    pending_debit(organization)
    notices(organization)


def _free_beds(organization: Organization, since) -> list[Bed]:
    """Beds of houses with a late fee that are in service and nobody's from ``since`` on, the last house's first
    (the first house keeps its free beds for the other demos)."""
    houses = (
        HouseBillingPolicy.objects.filter(organization=organization)
        .exclude(late_fee_kind=LateFeeKind.NONE)
        .values_list("house_id", flat=True)
    )
    taken = BedAssignment.objects.filter(Q(end__isnull=True) | Q(end__gt=since)).values("bed_id")
    beds = Bed.objects.filter(house_id__in=list(houses)).in_service_on(since).exclude(pk__in=taken)
    return list(beds.select_related("house").order_by("-house_id", "pk"))


def pending_debit(organization: Organization) -> OnlinePayment | None:
    """The new resident, their move-in charges, the bank debit still pending, and the late-fee job run over them."""
    today = organization.today()
    move_in = today - timedelta(days=ADMITTED_DAYS_AGO)
    operator = organization.memberships.filter(role=Role.OPERATOR).order_by("pk").first()
    resident = Resident.objects.create(
        organization=organization,
        legal_first_name=NEW_RESIDENT[0],
        legal_last_name=NEW_RESIDENT[1],
        email="devon.whitaker@example.net",
        phone="(555) 314-2718",
        referral_source="Hope Treatment Center",
        sobriety_date=today - timedelta(days=45),
    )
    stay = None
    for bed in _free_beds(organization, move_in):
        try:
            with transaction.atomic():
                stay = stay_admit(actor=operator, resident=resident, bed=bed, on=move_in)
        except DomainError:
            continue  # an outage or a later assignment the query did not rule out: try the next bed
        break
    if stay is None:
        return None
    # The chores demo ran before this admission: the new resident joins the rotation and logs meetings as anyone
    # admitted earlier would have (that seed is idempotent, so only the new resident's rows are added).
    seed_chores.seed(organization)
    seed_drug_tests.seed_intake_tests(organization, random.Random(f"{organization.slug}-pending-debit"))
    rent_sync_stay(stay=stay, on=today)
    rent = LedgerEntry.objects.filter(stay=stay, kind=EntryKind.RENT).order_by("effective_on").first()
    grace = HouseBillingPolicy.objects.get(house_id=stay.house_id).late_fee_grace_days
    # Paid in full (deposit and rent) by bank debit a few days ago, on or before the rent's last grace day.
    started_on = min(rent.effective_on + timedelta(days=grace), today - timedelta(days=DEBIT_DAYS_AGO))
    op = seed_stripe.bank_debit(organization, resident, balance_of(resident.pk), started_on=started_on)
    op.refresh_from_db()
    _processing(op)
    # The late-fee job, on the rent's first late day and today, as the daily beat runs it: it finds the debit.
    for day in sorted({late_date(rent, grace), today}):
        if day <= today:
            late_fees_assess(on=day, house=stay.house)
    return op


def _processing(op: OnlinePayment) -> None:
    """Stripe's ``payment_intent.processing`` for the debit, a minute after the checkout completed."""
    at = op.created_at + timedelta(minutes=1)
    intent = {
        "id": op.payment_intent_id,
        "object": "payment_intent",
        "amount": to_minor(op.amount, op.currency),
        "amount_received": 0,
        "currency": op.currency,
        "status": "processing",
        "metadata": checkout_metadata(op),
        "payment_method_types": ["us_bank_account"],
        "livemode": False,
    }
    seed_stripe.receive(
        f"evt_demo_{op.organization.slug}_{op.pk}_processing", "payment_intent.processing", intent, at=at
    )


def _at(organization: Organization, day, hour: int = 8) -> datetime:
    """The morning the daily job sent it (never later than now: today's may not have gone yet)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0)), organization.tzinfo), timezone.now())


def notices(organization: Organization) -> None:
    """Receipts for the settled online payments and the rent reminders, as records (see the module docstring)."""
    settled = OnlinePayment.objects.filter(
        organization=organization, status__in=OnlinePayment.SETTLED, payment__isnull=False
    ).select_related("resident__membership__user")
    for op in settled.order_by("pk"):
        email = address_of(op.resident)
        if email:
            ResidentNotice.objects.get_or_create(
                kind=Kind.RECEIPT,
                online_payment=op,
                attempt=0,
                defaults={
                    "organization": organization,
                    "resident": op.resident,
                    "email": email,
                    "sent_at": op.updated_at,
                },
            )
    reminders(organization)


def reminders(organization: Organization) -> None:
    """The rent reminders of the last five weeks, for rent still open: on the due date, once late, and the advance
    reminder before it. One resident who owes turned reminders off in the portal: none for them."""
    today = organization.today()
    policies = {policy.house_id: policy for policy in HouseBillingPolicy.objects.filter(organization=organization)}
    stays = {
        stay.resident_id: stay
        for stay in Stay.objects.open()
        .filter(organization=organization, house_id__in=list(policies))
        .select_related("resident__membership__user")
        if address_of(stay.resident)
    }
    charges = list(
        LedgerEntry.objects.live()
        .filter(
            stay__in=list(stays.values()),
            kind=EntryKind.RENT,
            effective_on__gt=today - timedelta(days=35),
            effective_on__lte=today,
        )
        .order_by("effective_on", "pk")
    )
    still_open = open_after_pending(charges, on=today)
    charges = [charge for charge in charges if still_open.get(charge.pk, 0) > 0]
    quiet = next((c.resident_id for c in charges if stays[c.resident_id].resident.membership_id is None), None)
    if quiet is not None:
        ReminderOptOut.objects.get_or_create(resident_id=quiet, defaults={"organization": organization})
    for charge in charges:
        if charge.resident_id == quiet:
            continue
        resident, policy = stays[charge.resident_id].resident, policies[charge.house_id]
        sent = [(Kind.RENT_DUE, charge.effective_on, charge)]
        if late_date(charge, policy.late_fee_grace_days) <= today:
            sent.append((Kind.RENT_LATE, late_date(charge, policy.late_fee_grace_days), charge))
        if policy.rent_reminder_days:
            sent.append((Kind.RENT_UPCOMING, charge.effective_on - timedelta(days=policy.rent_reminder_days), None))
        for kind, day, about in sent:
            ResidentNotice.objects.create(
                organization=organization,
                resident=resident,
                kind=kind,
                charge=about,
                email=address_of(resident),
                sent_at=_at(organization, day),
            )
