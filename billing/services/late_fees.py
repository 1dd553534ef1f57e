"""Late fees, by each house's policy.

Rent is late when part of it is still open (see ``billing.selectors.allocation``) after the grace days: a rent charge
effective on D with G grace days is late from D + G + 1. The daily job ``late_fees_assess(on=...)`` posts one late
fee per late rent charge, never more (idempotency key ``late-fee:<rent charge id>``, unique in the database): a flat
amount, or a percent of the rent still open, rounded half-up to the cent. It looks back ``LOOKBACK_DAYS`` so a job
that missed a few days catches up, but a new or changed policy does not reach back to old rent. A reversed rent
charge is never late; reversing a late fee waives it.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP

from django.db import transaction

from accounts.money import money_words
from houses.models import House

from ..models import EntryKind, HouseBillingPolicy, LateFeeKind, LedgerEntry
from ..models.terms import CENT
from ..selectors.allocation import LINE_FIELDS, Line, allocate
from .ledger import post_entry

LOOKBACK_DAYS = 7
LATE_FEE_KEY = "late-fee:{charge}"


def late_fee_amount(policy: HouseBillingPolicy, overdue):
    if policy.late_fee_kind == LateFeeKind.FLAT:
        return policy.late_fee_amount
    return (overdue * policy.late_fee_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def late_fees_assess(*, on: date, house: House | None = None, organization=None) -> list[LedgerEntry]:
    """Posts the late fees due on ``on`` (see the module docstring). Idempotent; returns the fees written."""
    policies = HouseBillingPolicy.objects.exclude(late_fee_kind=LateFeeKind.NONE).select_related("house")
    if house is not None:
        policies = policies.filter(house=house)
    if organization is not None:
        policies = policies.filter(organization=organization)
    written = []
    for policy in policies:
        last_due = on - timedelta(days=policy.late_fee_grace_days + 1)
        candidates = list(
            LedgerEntry.objects.live()
            .filter(
                house_id=policy.house_id,
                kind=EntryKind.RENT,
                effective_on__gt=last_due - timedelta(days=LOOKBACK_DAYS),
                effective_on__lte=last_due,
            )
            .exclude(adjustments__kind=EntryKind.LATE_FEE)
            .select_related("stay")
            .order_by("pk")
        )
        if not candidates:
            continue
        rows = LedgerEntry.objects.filter(resident_id__in={c.resident_id for c in candidates}).order_by()
        open_amounts = {
            charge.entry_id: charge.open
            for position in allocate((Line(*row) for row in rows.values_list(*LINE_FIELDS)), on=on).values()
            for charge in position.open_charges
        }
        for charge in candidates:
            overdue = open_amounts.get(charge.pk)
            if not overdue:
                continue
            fee = late_fee_amount(policy, overdue)
            if fee <= 0:
                continue
            entry = _post_fee(charge, fee, policy=policy, overdue=overdue, on=on)
            if entry is not None:
                written.append(entry)
    return written


@transaction.atomic
def _post_fee(charge: LedgerEntry, fee, *, policy: HouseBillingPolicy, overdue, on: date) -> LedgerEntry | None:
    # Lock the rent charge so two runs decide about it one after the other; the unique key is the last word.
    LedgerEntry.objects.select_for_update().filter(pk=charge.pk).first()
    rule = (
        f"{policy.late_fee_percent.normalize():f}% of {money_words(overdue, charge.organization.currency)} overdue"
        if policy.late_fee_kind == LateFeeKind.PERCENT
        else "flat fee"
    )
    return post_entry(
        stay=charge.stay,
        kind=EntryKind.LATE_FEE,
        amount=fee,
        effective_on=on,
        memo=f"Late fee: rent due {charge.effective_on:%b %-d, %Y} unpaid after {policy.late_fee_grace_days} "
        f"grace days ({rule})",
        idempotency_key=LATE_FEE_KEY.format(charge=charge.pk),
        for_charge=charge,
        carry=True,
    )
