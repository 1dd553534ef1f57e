"""Aging and delinquency per house and per organization, from the allocation in ``allocation.py``.

What a house is owed is the open part of the charges posted at that house; the organization's is the sum over its
houses. A resident who lived in two houses is allocated over all their entries (a payment pays their oldest charge,
wherever it was posted), then each open charge counts at the house where it was posted. Credit balances are not
aging: they are reported as ``credit_balances`` at the house of the resident's latest entry.

Every report reads the entries of the residents concerned in one query and allocates them in memory, so it costs
the same number of queries for any number of residents.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from accounts.models import Membership
from houses.models import House
from residents.models import Resident

from ..models import HouseBillingPolicy, LedgerEntry
from ..models.policies import DEFAULT_OWING_ALERT
from .allocation import LINE_FIELDS, ZERO, Line, OpenCharge, Position, allocate, buckets_of, empty_buckets
from .balances import money_sum


def house_scope(*, viewer: Membership, house: House | None) -> frozenset[int] | None:
    """The houses a report covers: the one asked for, else a manager's houses, else (None) all of an operator's."""
    if house is not None:
        return frozenset({house.pk})
    if viewer.is_operator:
        return None
    return viewer.house_ids


def positions(*, organization_id: int, house_ids: frozenset[int] | None, on: date) -> dict[int, Position]:
    """Every resident with an entry at one of ``house_ids`` (all houses when None) and a balance other than zero,
    allocated as of ``on``.

    A resident whose balance is zero has no open charge and no credit (credits cover debits in full exactly when
    they add up to at least as much), so only the others' entries are read: most residents are paid up.
    """
    # Entries after ``on`` cannot change a position as of ``on``; a past month's report need not read them.
    entries = LedgerEntry.objects.filter(organization_id=organization_id, effective_on__lte=on)
    unsettled = entries.order_by().values("resident_id").annotate(total=money_sum()).exclude(total=0)
    if house_ids is not None:
        posted_here = LedgerEntry.objects.filter(organization_id=organization_id, house_id__in=house_ids)
        unsettled = unsettled.filter(resident_id__in=posted_here.values("resident_id"))
    entries = entries.filter(resident_id__in=unsettled.values("resident_id"))
    lines = (Line(*row) for row in entries.order_by().values_list(*LINE_FIELDS))
    return allocate(lines, on=on)


def _in_scope(charge: OpenCharge, house_ids) -> bool:
    return house_ids is None or charge.house_id in house_ids


def aging_report(*, viewer: Membership, house: House | None = None, on: date | None = None) -> dict:
    """Aging buckets of what residents owe (current / 1-30 / 31-60 / 61-90 / over 90 days past the charge's
    effective date) for one house or the viewer's whole scope. ``total_owed`` is the sum of the buckets."""
    on = on or viewer.organization.today()
    house_ids = house_scope(viewer=viewer, house=house)
    all_positions = positions(organization_id=viewer.organization_id, house_ids=house_ids, on=on)
    open_charges = [c for p in all_positions.values() for c in p.open_charges if _in_scope(c, house_ids)]
    buckets = buckets_of(open_charges)
    credits = [
        p.credit for p in all_positions.values() if p.credit > 0 and (house_ids is None or p.last_house_id in house_ids)
    ]
    return {
        "as_of": on,
        "house": house.pk if house else None,
        "currency": viewer.organization.currency,
        "buckets": buckets,
        "total_owed": sum(buckets.values(), ZERO),
        "residents_owing": len({c.resident_id for c in open_charges}),
        "credit_balances": sum(credits, ZERO),
        "residents_in_credit": len(credits),
    }


@dataclass
class DelinquentResident:
    resident_id: int
    resident_name: str
    house_id: int
    house_name: str
    owed: Decimal
    balance: Decimal
    oldest_due_on: date
    days_overdue: int
    buckets: dict = field(default_factory=empty_buckets)
    sort_name: tuple = ()  # last name, then first, as resident lists are sorted


DELINQUENCY_ORDERINGS = {
    "amount": lambda row: (row.owed, row.resident_name),
    "age": lambda row: (row.days_overdue, row.owed),
    "name": lambda row: (row.sort_name, row.resident_id),
}


def delinquency(
    *,
    viewer: Membership,
    house: House | None = None,
    on: date | None = None,
    ordering: str = "-amount",
    search: str = "",
    min_days: int = 1,
) -> list[DelinquentResident]:
    """Residents with charges open for at least ``min_days`` days past their effective date, with what they owe in
    the scope, their oldest open charge and its age, and their buckets. ``ordering``: ``amount``, ``age`` or
    ``name``, with ``-`` for descending."""
    on = on or viewer.organization.today()
    house_ids = house_scope(viewer=viewer, house=house)
    all_positions = positions(organization_id=viewer.organization_id, house_ids=house_ids, on=on)
    owing = {}
    for resident_id, position in all_positions.items():
        charges = [c for c in position.open_charges if _in_scope(c, house_ids)]
        if charges and max(c.days_past for c in charges) >= min_days:
            owing[resident_id] = (position, charges)
    residents = Resident.objects.filter(pk__in=owing).only("legal_first_name", "legal_last_name", "preferred_name")
    names = {r.pk: (r.display_name, (r.legal_last_name.lower(), r.legal_first_name.lower())) for r in residents}
    house_names = dict(
        House.objects.filter(pk__in={c[0].house_id for _p, c in owing.values()}).values_list("pk", "name")
    )
    rows = []
    needle = search.strip().lower()
    for resident_id, (position, charges) in owing.items():
        name, sort_name = names.get(resident_id, ("", ()))
        if needle and needle not in name.lower():
            continue
        oldest = charges[0]  # open charges come oldest first
        rows.append(
            DelinquentResident(
                resident_id=resident_id,
                resident_name=name,
                house_id=oldest.house_id,
                house_name=house_names.get(oldest.house_id, ""),
                owed=sum((c.open for c in charges), ZERO),
                balance=position.balance,
                oldest_due_on=oldest.effective_on,
                days_overdue=oldest.days_past,
                buckets=buckets_of(charges),
                sort_name=sort_name,
            )
        )
    key = DELINQUENCY_ORDERINGS[ordering.lstrip("-")]
    rows.sort(key=key, reverse=ordering.startswith("-"))
    return rows


def owing_over_alert(*, viewer: Membership, on: date | None = None) -> list[DelinquentResident]:
    """The delinquency list narrowed to residents who owe more than their house's alert amount
    (``owing_alert_above``, the house being the one of their oldest open charge), most owed first."""
    rows = delinquency(viewer=viewer, on=on, ordering="-amount")
    alerts = dict(
        HouseBillingPolicy.objects.filter(organization_id=viewer.organization_id).values_list(
            "house_id", "owing_alert_above"
        )
    )
    return [row for row in rows if row.owed > alerts.get(row.house_id, DEFAULT_OWING_ALERT)]


def open_charges_of(*, resident: Resident, on: date | None = None) -> Position:
    """One resident's open charges, oldest first, with what is still open of each and its age: the explanation of
    their place in the aging report."""
    on = on or resident.organization.today()
    entries = LedgerEntry.objects.filter(resident=resident).order_by().values_list(*LINE_FIELDS)
    return allocate((Line(*row) for row in entries), on=on).get(resident.pk, Position(resident_id=resident.pk))
