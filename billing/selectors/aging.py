"""Aging and delinquency per house and per organization, from the allocation in ``allocation.py``.

What a house is owed is the open part of the charges posted at that house; the organization's is the sum over its
houses. A resident who lived in two houses is allocated over all their entries (a payment pays their oldest charge,
wherever it was posted), then each open charge counts at the house where it was posted. Credit balances are not
aging: they are reported as ``credit_balances`` at the house of the resident's latest entry.

Every report reads the entries of the residents concerned in one query and allocates them in memory, so it costs
the same number of queries for any number of residents.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection

from accounts.models import Membership
from houses.models import House
from residents.models import Resident

from ..models import LedgerEntry
from .allocation import BUCKETS, LINE_FIELDS, ZERO, Line, Position, allocate, empty_buckets
from .balances import cents, money_sum
from .owing import DelinquencyFilter, Scope, aging_totals, delinquency_sql


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


def aging_report(*, viewer: Membership, house: House | None = None, on: date | None = None) -> dict:
    """Aging buckets of what residents owe (current / 1-30 / 31-60 / 61-90 / over 90 days past the charge's
    effective date) for one house or the viewer's whole scope. ``total_owed`` is the sum of the buckets.

    Computed by the database (``owing.py``) in one query, whatever the number of residents."""
    on = on or viewer.organization.today()
    totals = aging_totals(Scope(viewer.organization_id, house_scope(viewer=viewer, house=house), on))
    return {
        "as_of": on,
        "house": house.pk if house else None,
        "currency": viewer.organization.currency,
        "buckets": totals["buckets"],
        "total_owed": sum(totals["buckets"].values(), ZERO),
        "residents_owing": totals["residents_owing"],
        "credit_balances": totals["credit_balances"],
        "residents_in_credit": totals["residents_in_credit"],
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


DELINQUENCY_ORDERINGS = ("amount", "age", "name")


class DelinquencyRows(Sequence):
    """The delinquency list, read lazily: a slice is a ``LIMIT``/``OFFSET`` query whose rows also carry the total,
    so a page (or the dashboard's first rows) and the count cost one query however many residents owe; ``len``
    before any slice is a ``COUNT``. Compares equal to a list of the same rows."""

    def __init__(self, scope: Scope, rules: DelinquencyFilter):
        self._select, self._order_by, self._params = delinquency_sql(scope, rules)
        self._on = scope.on
        self._count: int | None = None
        self._all: list[DelinquentResident] | None = None

    def count(self) -> int:
        if self._count is None:
            if self._all is not None:
                self._count = len(self._all)
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM ({self._select}) AS delinquent", self._params)  # noqa: S608
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def _fetch(self, offset: int = 0, limit: int | None = None) -> list[DelinquentResident]:
        sql, params = f"{self._select} ORDER BY {self._order_by}", list(self._params)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        elif offset:
            sql += " LIMIT -1 OFFSET %s" if connection.vendor == "sqlite" else " OFFSET %s"
            params.append(offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if fetched:
            self._count = fetched[0][-1]  # every row carries the total
        elif offset == 0:
            self._count = 0
        return [self._row(values[:-1]) for values in fetched]

    def _row(self, values) -> DelinquentResident:
        resident_id, first, last, preferred, house_id, house_name, owed, balance, oldest_on, *buckets = values
        oldest_on = oldest_on if isinstance(oldest_on, date) else date.fromisoformat(oldest_on)
        name = Resident(legal_first_name=first, legal_last_name=last, preferred_name=preferred).display_name
        return DelinquentResident(
            resident_id=resident_id,
            resident_name=name,
            house_id=house_id,
            house_name=house_name,
            owed=cents(owed),
            balance=cents(balance),
            oldest_due_on=oldest_on,
            days_overdue=(self._on - oldest_on).days,
            buckets={name: cents(value or 0) for name, value in zip(BUCKETS, buckets, strict=True)},
            sort_name=(last.lower(), first.lower()),
        )

    def __getitem__(self, index):
        if self._all is not None:
            return self._all[index]
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step
            if start < 0 or (stop is not None and stop < 0) or step not in (None, 1):
                return list(self)[index]
            return self._fetch(start, None if stop is None else max(stop - start, 0))
        if index < 0:
            return list(self)[index]
        rows = self._fetch(index, 1)
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self):
        if self._all is None:
            self._all = self._fetch()
        return iter(self._all)

    def __eq__(self, other):
        if isinstance(other, DelinquencyRows | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self):
        return f"<DelinquencyRows {list(self)!r}>"


def delinquency(
    *,
    viewer: Membership,
    house: House | None = None,
    on: date | None = None,
    ordering: str = "-amount",
    search: str = "",
    min_days: int = 1,
    bucket: str = "",
    min_owed: Decimal | None = None,
) -> DelinquencyRows:
    """Residents with charges open for at least ``min_days`` days past their effective date, with what they owe in
    the scope, their oldest open charge and its age, and their buckets. ``ordering``: ``amount``, ``age`` or
    ``name``, with ``-`` for descending. ``bucket``: only those with something open in that aging bucket;
    ``min_owed``: only those who owe at least that much.

    Computed, filtered, sorted and paged by the database (``owing.py``): the rows are read when sliced or iterated."""
    on = on or viewer.organization.today()
    scope = Scope(viewer.organization_id, house_scope(viewer=viewer, house=house), on)
    rules = DelinquencyFilter(min_days=min_days, search=search, ordering=ordering, bucket=bucket, min_owed=min_owed)
    return DelinquencyRows(scope, rules)


def owing_over_alert(*, viewer: Membership, on: date | None = None) -> DelinquencyRows:
    """The delinquency list narrowed to residents who owe more than their house's alert amount
    (``owing_alert_above``, the house being the one of their oldest open charge), most owed first. Lazy as
    ``delinquency``: ``rows[:8]`` and ``len(rows)`` are two small queries."""
    on = on or viewer.organization.today()
    scope = Scope(viewer.organization_id, house_scope(viewer=viewer, house=None), on)
    return DelinquencyRows(scope, DelinquencyFilter(ordering="-amount", over_alert=True))


def open_charges_of(*, resident: Resident, on: date | None = None) -> Position:
    """One resident's open charges, oldest first, with what is still open of each and its age: the explanation of
    their place in the aging report."""
    on = on or resident.organization.today()
    entries = LedgerEntry.objects.filter(resident=resident).order_by().values_list(*LINE_FIELDS)
    return allocate((Line(*row) for row in entries), on=on).get(resident.pk, Position(resident_id=resident.pk))
