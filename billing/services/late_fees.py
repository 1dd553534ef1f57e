"""Late fees, by each house's policy.

Rent is late when part of it is still open (see ``billing.selectors.allocation``) after the grace days: a rent charge
effective on D with G grace days is late from D + G + 1 (its late date; D + G is its last grace day). The daily job
``late_fees_assess(on=...)`` posts one late fee per late rent charge, never more (idempotency key
``late-fee:<rent charge id>``, unique in the database): a flat amount, or a percent of the rent still open, rounded
half-up to the cent. It looks back ``LOOKBACK_DAYS`` so a job that missed a few days catches up, but a new or changed
policy does not reach back to old rent. A reversed rent charge is never late; reversing a late fee waives it.

A payment on its way holds the fee off. An online payment that is ``pending`` (a bank debit submitted: the checkout
completed and the money settles in a few banking days) and was started on or before a charge's last grace day (its
``created_at`` on the organization's calendar) counts as paid while it is pending: it is allocated like a payment
(oldest charges first), so rent it would pay in full is not charged a late fee, and rent it pays in part is charged
on the part it leaves open (a flat fee as soon as anything is left open). A debit started after the last grace day
holds nothing off: the rent was already late. A debit that settles needs nothing more: its credit pays the rent.

A pending debit that fails releases what it held: ``late_fees_after_failed_payment`` (called once the failure is
committed) assesses each of that resident's rent charges the debit could have held (last grace day on or after the
day it started) whose late date has passed, even beyond the look-back, on what is still open today (rent paid in the
meantime, or held by another debit still pending, is not charged). The fee is dated the charge's
late date, the day it would have been posted (in a closed month, the first open day, ``billing.services.closing``).
A fee already charged on the part a debit left open is not topped up when the debit fails: one fee per rent charge.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from celery import shared_task
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.money import money_words
from houses.models import House

from ..models import EntryKind, HouseBillingPolicy, LateFeeKind, LedgerEntry, OnlinePayment
from ..models.terms import CENT
from ..selectors.allocation import LINE_FIELDS, Line, allocate
from ..selectors.balances import residents_owing
from .bulk_posting import books_locked, post_keyed_entries

LOOKBACK_DAYS = 7
LATE_FEE_KEY = "late-fee:{charge}"
# Fees posted per transaction: each batch holds its rent charges' and organization's locks for a moment only.
CHARGES_PER_TRANSACTION = 2000
ZERO = Decimal("0.00")


def late_fee_amount(policy: HouseBillingPolicy, overdue):
    if policy.late_fee_kind == LateFeeKind.FLAT:
        return policy.late_fee_amount
    return (overdue * policy.late_fee_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def last_grace_day(charge: LedgerEntry, grace_days: int) -> date:
    return charge.effective_on + timedelta(days=grace_days)


def late_date(charge: LedgerEntry, grace_days: int) -> date:
    return charge.effective_on + timedelta(days=grace_days + 1)


def open_after_pending(
    charges: Iterable[LedgerEntry],
    *,
    on: date,
    started_by: Callable[[LedgerEntry], date] | None = None,
    residents: QuerySet | None = None,
) -> dict[int, Decimal]:
    """What each charge still lacks on ``on``, counting the resident's pending online payments as paid: those started
    on or before ``started_by(charge)`` (every pending one without it). Keyed by charge id; two queries for any number
    of charges and residents. ``residents`` (a query of the charges' resident ids) saves sending thousands of ids."""
    charges = list(charges)
    resident_ids = residents if residents is not None else {charge.resident_id for charge in charges}
    lines = defaultdict(list)
    for row in LedgerEntry.objects.filter(resident_id__in=resident_ids).order_by().values_list(*LINE_FIELDS):
        lines[row[1]].append(Line(*row))
    pending = defaultdict(list)
    rows = OnlinePayment.objects.filter(resident_id__in=resident_ids, status=OnlinePayment.Status.PENDING).values_list(
        "pk", "resident_id", "house_id", "amount", "created_at", "updated_at", "source", "attempts",
        "organization__timezone",
    )  # fmt: skip
    for pk, resident_id, house_id, amount, created_at, updated_at, source, attempts, zone in rows.order_by("pk"):
        # An autopay retry reuses its charge's row: it was started when it went pending, not when the rent fell due.
        retried = source == OnlinePayment.Source.AUTOPAY and attempts > 1
        started = timezone.localdate(updated_at if retried else created_at, timezone=ZoneInfo(zone))
        # A negative id cannot clash with an entry's; the allocation pools credits, so only the amount matters.
        pending[resident_id].append(
            (started, Line(-pk, resident_id, house_id, EntryKind.PAYMENT, -amount, min(started, on)))
        )
    opens, cache = {}, {}
    for charge in charges:
        counted = tuple(
            line for started, line in pending[charge.resident_id] if started_by is None or started <= started_by(charge)
        )
        key = (charge.resident_id, counted)
        if key not in cache:
            positions = allocate([*lines[charge.resident_id], *counted], on=on)
            cache[key] = {
                open_charge.entry_id: open_charge.open
                for position in positions.values()
                for open_charge in position.open_charges
            }
        opens[charge.pk] = cache[key].get(charge.pk, ZERO)
    return opens


def _assess(
    policies: dict[int, HouseBillingPolicy],
    charges: list[LedgerEntry],
    *,
    on: date,
    backdate_to_late_date: bool,
    note: str = "",
    residents: QuerySet | None = None,
) -> list[LedgerEntry]:
    """Posts the late fee each rent charge (of a house in ``policies``) calls for, for any number of charges in a few
    statements per ``CHARGES_PER_TRANSACTION`` charges."""
    open_amounts = open_after_pending(
        charges,
        on=on,
        started_by=lambda charge: last_grace_day(charge, policies[charge.house_id].late_fee_grace_days),
        residents=residents,
    )
    fees = []
    for charge in charges:
        overdue = open_amounts.get(charge.pk)
        if not overdue or overdue <= 0:
            continue
        policy = policies[charge.house_id]
        fee = late_fee_amount(policy, overdue)
        if fee <= 0:
            continue
        dated = late_date(charge, policy.late_fee_grace_days) if backdate_to_late_date else on
        fees.append(_fee_entry(charge, fee, policy=policy, overdue=overdue, on=dated, note=note))
    written = []
    for index in range(0, len(fees), CHARGES_PER_TRANSACTION):
        written += _post_fees(fees[index : index + CHARGES_PER_TRANSACTION])
    return written


def late_fees_assess(*, on: date, house: House | None = None, organization=None) -> list[LedgerEntry]:
    """Posts the late fees due on ``on`` (see the module docstring). Idempotent; returns the fees written. The rent
    charges of every house are read in one query, whatever the number of houses."""
    policies = HouseBillingPolicy.objects.exclude(late_fee_kind=LateFeeKind.NONE)
    if house is not None:
        policies = policies.filter(house=house)
    if organization is not None:
        policies = policies.filter(organization=organization)
    policies = {policy.house_id: policy for policy in policies.order_by()}
    if not policies:
        return []
    graces = {policy.late_fee_grace_days for policy in policies.values()}
    # Each house's window is LOOKBACK_DAYS of due dates ending ``grace + 1`` days ago; read the span of all of them.
    charges = (
        LedgerEntry.objects.live()
        .filter(
            kind=EntryKind.RENT,
            effective_on__gt=on - timedelta(days=max(graces) + 1 + LOOKBACK_DAYS),
            effective_on__lte=on - timedelta(days=min(graces) + 1),
        )
        .exclude(adjustments__kind=EntryKind.LATE_FEE)
        .order_by("pk")
    )
    if house is not None:
        charges = charges.filter(house=house)
    elif organization is not None:
        charges = charges.filter(organization=organization)
    candidates = []
    for charge in _rent_rows(charges):
        policy = policies.get(charge.house_id)
        if policy is None:
            continue
        last_due = on - timedelta(days=policy.late_fee_grace_days + 1)
        if last_due - timedelta(days=LOOKBACK_DAYS) < charge.effective_on <= last_due:
            candidates.append(charge)
    if not candidates:
        return []
    # A charge of someone whose balance is not above zero is paid: only the others' ledgers are allocated.
    owing = residents_owing({charge.resident_id for charge in candidates}, on=on)
    candidates = [charge for charge in candidates if charge.resident_id in owing]
    if not candidates:
        return []
    return _assess(policies, candidates, on=on, backdate_to_late_date=False, residents=sorted(owing))


def late_fees_after_failed_payment(*, online_payment_id: int) -> list[LedgerEntry]:
    """An online payment failed: assesses the late fees it was holding off (see the module docstring), dated the
    charges' late dates. Does nothing unless the payment failed after being pending; idempotent. Returns the fees
    written."""
    op = OnlinePayment.objects.select_related("organization").get(pk=online_payment_id)
    # Only a payment that was on its way held anything off: pending made its Payment row (a checkout that closed
    # unpaid never had one).
    if op.status != OnlinePayment.Status.FAILED or op.payment_id is None:
        return []
    organization = op.organization
    today = organization.today()
    started = timezone.localdate(op.created_at, timezone=organization.tzinfo)
    policies = {
        policy.house_id: policy
        for policy in HouseBillingPolicy.objects.filter(organization=organization).exclude(
            late_fee_kind=LateFeeKind.NONE
        )
    }
    charges = (
        LedgerEntry.objects.live()
        .filter(
            resident_id=op.resident_id,
            kind=EntryKind.RENT,
            house_id__in=list(policies),
            # No grace period is longer than 60 days (HouseBillingPolicy.clean): older rent was late before it began.
            effective_on__gte=started - timedelta(days=61),
            effective_on__lte=today,
        )
        .exclude(adjustments__kind=EntryKind.LATE_FEE)
        .order_by("pk")
    )
    held = []
    for charge in _rent_rows(charges):
        grace = policies[charge.house_id].late_fee_grace_days
        if last_grace_day(charge, grace) >= started and late_date(charge, grace) <= today:
            held.append(charge)
    if not held:
        return []
    note = f"; held off while a bank debit started {started:%b %-d} was pending, until it failed"
    return _assess(policies, held, on=today, backdate_to_late_date=True, note=note)


class _RentRow(NamedTuple):
    """A rent charge, as much of it as assessing its late fee needs (plain values: the job reads thousands)."""

    pk: int
    resident_id: int
    house_id: int
    effective_on: date
    currency: str
    stay_id: int
    stay_organization_id: int
    stay_resident_id: int
    stay_house_id: int


def _rent_rows(charges: QuerySet) -> list[_RentRow]:
    fields = (
        "pk", "resident_id", "house_id", "effective_on", "organization__currency",
        "stay_id", "stay__organization_id", "stay__resident_id", "stay__house_id",
    )  # fmt: skip
    return [_RentRow(*row) for row in charges.values_list(*fields)]


def _fee_entry(charge: _RentRow, fee, *, policy: HouseBillingPolicy, overdue, on: date, note: str = "") -> LedgerEntry:
    rule = (
        f"{policy.late_fee_percent.normalize():f}% of {money_words(overdue, charge.currency)} overdue"
        if policy.late_fee_kind == LateFeeKind.PERCENT
        else "flat fee"
    )
    # Posted where the stay is now, as every entry of the stay is (``post_entry``).
    return LedgerEntry(
        organization_id=charge.stay_organization_id,
        resident_id=charge.stay_resident_id,
        stay_id=charge.stay_id,
        house_id=charge.stay_house_id,
        kind=EntryKind.LATE_FEE,
        amount=fee,
        effective_on=on,
        memo=f"Late fee: rent due {charge.effective_on:%b %-d, %Y} unpaid after {policy.late_fee_grace_days} "
        f"grace days ({rule}){note}",
        idempotency_key=LATE_FEE_KEY.format(charge=charge.pk),
        for_charge_id=charge.pk,
    )


@transaction.atomic
def _post_fees(fees: list[LedgerEntry]) -> list[LedgerEntry]:
    # Lock the rent charges (in id order, before the books, as a reversal does) so a run and a reversal of the same
    # charge decide one after the other; a charge reversed meanwhile is not charged a fee. The unique key is the last
    # word between two runs.
    charge_ids = sorted(fee.for_charge_id for fee in fees)
    list(LedgerEntry.objects.select_for_update().filter(pk__in=charge_ids).order_by("pk").values_list("pk"))
    reversed_ids = set(LedgerEntry.objects.filter(reverses_id__in=charge_ids).values_list("reverses_id", flat=True))
    fees = [fee for fee in fees if fee.for_charge_id not in reversed_ids]
    closed = books_locked(fee.organization_id for fee in fees)
    return post_keyed_entries(fees, closed=closed)


# Queued by the online payment services once a failure is committed; it sits here, beside the service it runs, so
# no service imports ``billing.tasks`` (which imports the services). The name is the one the worker has always had.
@shared_task(name="billing.tasks.assess_held_late_fees")
def assess_held_late_fees(online_payment_id: int) -> int:
    """Assesses the late fees a failed online payment was holding off. Returns how many fees were written."""
    return len(late_fees_after_failed_payment(online_payment_id=online_payment_id))
