"""Reads of entries, payments, schedules and statements, scoped to the viewer and joined for lists."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from accounts.models import Membership
from residents.models import Resident

from ..models import DepositSettlement, HouseBillingPolicy, LedgerEntry, Payment, RentSchedule
from .balances import cents, money_sum

ZERO = Decimal("0.00")


ENTRY_JOINS = ("resident", "house", "created_by", "reversed_by", "payment")


def entries_for(*, viewer: Membership) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.visible_to(viewer).select_related(*ENTRY_JOINS)


def payments_for(*, viewer: Membership) -> QuerySet[Payment]:
    return Payment.objects.visible_to(viewer).select_related("resident", "house", "received_by", "organization")


def schedules_for(*, viewer: Membership) -> QuerySet[RentSchedule]:
    return RentSchedule.objects.visible_to(viewer).select_related("stay__resident", "stay__house")


def policies_for(*, viewer: Membership) -> QuerySet[HouseBillingPolicy]:
    return HouseBillingPolicy.objects.visible_to(viewer).select_related("house")


def settlements_for(*, viewer: Membership) -> QuerySet[DepositSettlement]:
    return (
        DepositSettlement.objects.visible_to(viewer)
        .select_related("resident", "house", "stay")
        .prefetch_related("deductions")
    )


@dataclass
class StatementLine:
    entry: LedgerEntry
    running_balance: Decimal


@dataclass
class Statement:
    """A resident's statement for ``start``..``end`` (both included): the balance before ``start``, every entry
    dated in the range with the balance after it, and the balance at the end of ``end``."""

    resident: Resident
    start: date
    end: date
    currency: str
    opening_balance: Decimal
    closing_balance: Decimal
    charges: Decimal = ZERO
    credits: Decimal = ZERO
    lines: list[StatementLine] = field(default_factory=list)


def statement(*, resident: Resident, start: date, end: date) -> Statement:
    entries = LedgerEntry.objects.filter(resident=resident)
    opening = cents(entries.filter(effective_on__lt=start).aggregate(total=money_sum())["total"])
    rows = (
        entries.filter(effective_on__gte=start, effective_on__lte=end)
        .select_related(*ENTRY_JOINS, "reverses")
        .order_by("effective_on", "pk")
    )
    result = Statement(
        resident=resident,
        start=start,
        end=end,
        currency=resident.organization.currency,
        opening_balance=opening,
        closing_balance=opening,
    )
    for entry in rows:
        result.closing_balance += entry.amount
        if entry.amount > 0:
            result.charges += entry.amount
        else:
            result.credits -= entry.amount
        result.lines.append(StatementLine(entry=entry, running_balance=result.closing_balance))
    return result
