"""Money figures for a month, per house, from the ledger and the payments (amounts in the organization's currency).

Definitions (the month is first <= effective day < next_first):

- ``charged_by_kind``: charges effective in the month by kind (rent, deposit, program fee, late fee, fine, other),
  net of reversals of charges effective in the month; ``charged`` is their sum.
- ``collected_by_method``: completed payments received in the month, by method; ``collected`` is their sum.
- ``refunds``: money paid back out to residents in the month (refund entries, net of their reversals).
- ``net``: collected less refunds.
- ``owed_at_month_end``: what residents owed for charges posted at the house, as of the month's last day, in aging
  buckets (current / 1-30 / 31-60 / 61-90 / over 90 days past the charge's date; billing's allocation rules), with
  ``owed_total`` their sum.
- ``collection_rate_pct``: collected / charged * 100 (None when nothing was charged).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, F, Q, Sum, When

from billing.models import LedgerEntry, Payment
from billing.models.ledger import CHARGE_KINDS, EntryKind
from billing.selectors.aging import positions
from billing.selectors.allocation import BUCKETS
from houses.models import House

from .period import Month

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


def _blank():
    return {
        "charged_by_kind": {},
        "collected_by_method": {},
        "refunds": ZERO,
        "owed_at_month_end": dict.fromkeys(BUCKETS, ZERO),
    }


def by_house(*, houses, month: Month, organization) -> dict[int, dict]:
    """The money figures of each house in ``houses`` for ``month``: {house_id: figures}."""
    house_ids = list(houses.values_list("pk", flat=True))
    result = {pk: _blank() for pk in house_ids}
    if not house_ids:
        return result
    scope = houses.order_by().values("pk")
    first, next_first = month.first, month.next_first

    in_month = LedgerEntry.objects.filter(house_id__in=scope, effective_on__gte=first, effective_on__lt=next_first)
    # A reversal counts against the kind it cancels.
    counted_kind = Case(
        When(kind=EntryKind.REVERSAL, then=F("reverses__kind")), default=F("kind"), output_field=CharField()
    )
    rows = (
        in_month.filter(Q(kind__in=[*CHARGE_KINDS, EntryKind.REFUND]) | Q(kind=EntryKind.REVERSAL))
        .annotate(counted_kind=counted_kind)
        .filter(counted_kind__in=[*CHARGE_KINDS, EntryKind.REFUND])
        .values("house_id", "counted_kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        figures = result[row["house_id"]]
        amount = _cents(row["total"])
        if row["counted_kind"] == EntryKind.REFUND:
            figures["refunds"] += amount
        else:
            figures["charged_by_kind"][row["counted_kind"]] = amount

    payments = (
        Payment.objects.filter(
            house_id__in=scope, status=Payment.Status.COMPLETED, received_on__gte=first, received_on__lt=next_first
        )
        .values("house_id", "method")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in payments:
        result[row["house_id"]]["collected_by_method"][row["method"]] = _cents(row["total"])

    # What was open on the month's last day, charge by charge, at the house each charge was posted.
    whole = len(house_ids) == House.objects.filter(organization=organization).count()
    scoped = None if whole else frozenset(house_ids)  # all of them: no need to list thousands of ids
    for position in positions(organization_id=organization.pk, house_ids=scoped, on=month.last).values():
        for charge in position.open_charges:
            if charge.house_id in result:
                buckets = result[charge.house_id]["owed_at_month_end"]
                buckets[charge.bucket] += charge.open
    return {house_id: finish(figures) for house_id, figures in result.items()}


def finish(figures: dict) -> dict:
    charged = sum(figures["charged_by_kind"].values(), ZERO)
    collected = sum(figures["collected_by_method"].values(), ZERO)
    owed = {bucket: _cents(amount) for bucket, amount in figures["owed_at_month_end"].items()}
    return {
        "charged_by_kind": dict(sorted(figures["charged_by_kind"].items())),
        "charged": charged,
        "collected_by_method": dict(sorted(figures["collected_by_method"].items())),
        "collected": collected,
        "refunds": figures["refunds"],
        "net": collected - figures["refunds"],
        "owed_at_month_end": owed,
        "owed_total": sum(owed.values(), ZERO),
        "collection_rate_pct": (collected * 100 / charged).quantize(Decimal("0.1"), ROUND_HALF_UP) if charged else None,
    }


def total(per_house: dict[int, dict], *, month: Month, organization=None) -> dict:
    """Organization totals: sums of the houses' amounts, the rate recomputed from the sums."""
    summed = _blank()
    for figures in per_house.values():
        for name in ("charged_by_kind", "collected_by_method"):
            for key, value in figures[name].items():
                summed[name][key] = summed[name].get(key, ZERO) + value
        summed["refunds"] += figures["refunds"]
        for bucket, amount in figures["owed_at_month_end"].items():
            summed["owed_at_month_end"][bucket] += amount
    return finish(summed)


def public(figures: dict) -> dict:
    return figures
