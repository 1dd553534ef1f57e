"""Which charges a resident's payments and credits paid, and so what is still open and how old it is.

The allocation is computed, never stored, from a resident's entries dated on or before the day asked about:

1. A reversal and the entry it reverses cancel each other; both are left out.
2. A credit linked to a charge (a move-out rent adjustment, a deposit release) pays that charge first.
3. Every other credit (payments, credits and adjustments, and what is left of the linked ones) pays the debits
   (charges and refunds) oldest first, by effective date and then by the order they were posted.
4. What a debit still lacks is open; its age is the number of days from its effective date to the day asked about.

Aging buckets: ``current`` (age 0 or less), ``1_30``, ``31_60``, ``61_90``, ``over_90`` days. Because every credit
is applied to debits until one side runs out, the open amounts of a resident add up to exactly ``max(balance, 0)``;
a resident in credit has no open charges and their credit (``max(-balance, 0)``) is reported separately, never as a
negative bucket.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


def bucket_of(days_past: int) -> str:
    if days_past <= 0:
        return "current"
    if days_past <= 30:
        return "1_30"
    if days_past <= 60:
        return "31_60"
    if days_past <= 90:
        return "61_90"
    return "over_90"


def empty_buckets() -> dict[str, Decimal]:
    return dict.fromkeys(BUCKETS, ZERO)


@dataclass(frozen=True)
class Line:
    """An entry, as much of it as the allocation needs."""

    id: int
    resident_id: int
    house_id: int
    kind: str
    amount: Decimal
    effective_on: date
    reverses_id: int | None = None
    for_charge_id: int | None = None


LINE_FIELDS = ("id", "resident_id", "house_id", "kind", "amount", "effective_on", "reverses_id", "for_charge_id")


@dataclass
class OpenCharge:
    entry_id: int
    resident_id: int
    house_id: int
    kind: str
    effective_on: date
    amount: Decimal
    open: Decimal
    days_past: int

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_past)


@dataclass
class Position:
    """One resident's money as of a day: the balance, what is open and how old, and any credit."""

    resident_id: int
    balance: Decimal = ZERO
    credit: Decimal = ZERO
    last_house_id: int | None = None
    open_charges: list[OpenCharge] = field(default_factory=list)

    def owed(self, house_ids: frozenset[int] | None = None) -> Decimal:
        return sum((c.open for c in self.open_charges if house_ids is None or c.house_id in house_ids), ZERO)


def allocate(lines: Iterable[Line], *, on: date) -> dict[int, Position]:
    """Positions of every resident in ``lines`` as of ``on`` (see the module docstring for the rules)."""
    by_resident: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.effective_on <= on:
            by_resident[line.resident_id].append(line)
    return {resident_id: _allocate_one(resident_id, rows, on) for resident_id, rows in by_resident.items()}


def _allocate_one(resident_id: int, rows: list[Line], on: date) -> Position:
    rows.sort(key=lambda line: (line.effective_on, line.id))
    position = Position(resident_id=resident_id, last_house_id=rows[-1].house_id if rows else None)
    position.balance = sum((line.amount for line in rows), ZERO)
    reversed_ids = {line.reverses_id for line in rows if line.reverses_id}
    live = [line for line in rows if line.reverses_id is None and line.id not in reversed_ids]
    debits = [line for line in live if line.amount > 0]
    open_by_id = {line.id: line.amount for line in debits}
    pool = ZERO
    for credit in (line for line in live if line.amount < 0):
        left = -credit.amount
        if credit.for_charge_id in open_by_id:
            applied = min(left, open_by_id[credit.for_charge_id])
            open_by_id[credit.for_charge_id] -= applied
            left -= applied
        pool += left
    for debit in debits:
        applied = min(pool, open_by_id[debit.id])
        open_by_id[debit.id] -= applied
        pool -= applied
        if open_by_id[debit.id] > 0:
            position.open_charges.append(
                OpenCharge(
                    entry_id=debit.id,
                    resident_id=resident_id,
                    house_id=debit.house_id,
                    kind=debit.kind,
                    effective_on=debit.effective_on,
                    amount=debit.amount,
                    open=open_by_id[debit.id],
                    days_past=(on - debit.effective_on).days,
                )
            )
    position.credit = pool
    return position


def buckets_of(charges: Iterable[OpenCharge]) -> dict[str, Decimal]:
    totals = empty_buckets()
    for charge in charges:
        totals[charge.bucket] += charge.open
    return totals
