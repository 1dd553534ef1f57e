"""Balances: always the sum of ledger entries, computed by the database, never stored."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round

from accounts.models import Membership
from residents.models import Resident

from ..models import LedgerEntry, Payment
from ..models.terms import CENT

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def money_sum(field: str = "amount"):
    """``SUM(field)`` rounded to the cent, zero when there are no rows. SQLite stores and sums decimals as floats
    (0.01 + 2.02 - 2.02 comes back as 0.00999999999999979); rounding in the database keeps comparisons such as
    ``balance > 0`` exact there too, and ``cents`` makes the value a two-place Decimal in Python."""
    return Round(Coalesce(Sum(field), Value(ZERO), output_field=MONEY), 2, output_field=MONEY)


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def balance_of(resident_id: int) -> Decimal:
    """A resident's balance: the sum of all their entries. Above zero they owe; below zero they are in credit."""
    total = LedgerEntry.objects.filter(resident_id=resident_id).aggregate(total=money_sum())
    return cents(total["total"])


def residents_owing(resident_ids, *, on) -> set[int]:
    """Which of ``resident_ids`` have a balance above zero on ``on`` (entries dated that day or before), in one query.
    Nobody else has a charge left open, so the daily jobs set the rest aside before allocating anyone's ledger."""
    return set(
        LedgerEntry.objects.filter(resident_id__in=resident_ids, effective_on__lte=on)
        .order_by()
        .values("resident_id")
        .annotate(total=money_sum())
        .filter(total__gt=0)
        .values_list("resident_id", flat=True)
    )


def pending_of(resident_id: int) -> Decimal:
    """Money on its way that the ledger has not been credited with yet: payments still ``pending`` (an online
    payment awaiting settlement). Manual payments are completed when recorded, so they never count here."""
    total = Payment.objects.filter(resident_id=resident_id, status=Payment.Status.PENDING).aggregate(total=money_sum())
    return cents(total["total"])


def resident_balance(*, resident: Resident) -> dict:
    """What a resident's balance card shows: balance, pending payments and the organization's currency."""
    return {
        "balance": balance_of(resident.pk),
        "pending": pending_of(resident.pk),
        "currency": resident.organization.currency,
    }


def _sum_of(queryset, field: str):
    # A correlated subquery, so the sum is not multiplied by joins the scope adds to the outer query.
    summed = queryset.order_by().values(field).annotate(total=Round(Sum("amount"), 2)).values("total")
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def residents_with_balances(*, viewer: Membership) -> QuerySet[Resident]:
    """Residents the viewer may see, each with ``balance`` and ``pending`` annotated (one query for any number)."""
    entries = LedgerEntry.objects.filter(resident=OuterRef("pk"))
    pending = Payment.objects.filter(resident=OuterRef("pk"), status=Payment.Status.PENDING)
    return Resident.objects.visible_to(viewer).annotate(
        balance=_sum_of(entries, "resident"), pending=_sum_of(pending, "resident")
    )


def annotate_balance(residents: QuerySet[Resident]) -> QuerySet[Resident]:
    """Adds each resident's ``balance`` (one subquery, whatever the number of residents); registered with the
    residents list in ``BillingConfig.ready``."""
    return residents.annotate(balance=_sum_of(LedgerEntry.objects.filter(resident=OuterRef("pk")), "resident"))
