"""Money figures for a month, per house, from the ledger (amounts in the organization's currency).

Every ledger entry counts at the house of the stay it was posted for (a reversal at the house of the entry it
cancels) and in the month of its effective date, so the houses add up to the organization and the months follow one
another without a gap. An entry for a day in a closed month is carried to the first open day (see
``billing.services.closing``) and counts there.

Definitions (the month is first <= effective day < end: end is the next month's first, or the day after through for
a month still running, reported "to date, through last night"):

- ``opening_balance``: what residents owed at the house when the month began: the sum of the house's ledger entries
  effective before the month's first day (below zero when residents were in credit).
- ``charged_by_kind`` and ``charged``: new charges effective in the month, by kind (rent, deposit, program fee,
  late fee, fine, other), and their sum. A charge cancelled later stays charged in its own month and its reversal
  is an adjustment of the month the reversal is dated in, so no charge figure is ever negative.
- ``adjustments_by_kind`` and ``adjustments``: what the month took off residents' bills other than by payment:
  reversals of charges, under the kind of charge reversed, and credits (``credit``: move-out rent adjustments,
  deposits applied at move-out, goodwill), less credits taken back in the month; and their sum.
- ``collected_by_method`` and ``collected``: payments received in the month, by method, and their sum, including
  payments returned later: a bounced check is collected in the month it was received.
- ``returned_payments``: payments reversed in the month (a check returned unpaid); what they paid is owed again.
- ``refunds``: money paid back out to residents in the month (refunds and disputes lost, less their reversals).
- ``net``: collected less returned payments and refunds: the money the month kept.
- ``closing_balance``: the sum of the house's ledger entries effective before the month's end. It reconciles to
  the cent: closing_balance = opening_balance + charged - adjustments - collected + returned_payments + refunds,
  and each month's opening balance is the previous month's closing balance.
- ``owed_at_month_end`` and ``owed_total``: what residents owed for charges posted at the house, as of the month's
  last day counted, in aging buckets (current / 1-30 / 31-60 / 61-90 / over 90 days past the charge's date;
  billing's allocation rules: payments and credits pay the oldest charges first, and a payment returned by that day
  pays nothing), and their sum. Unlike the closing balance, credits of residents who owe nothing are not netted.
- ``collection_rate_pct``: collected / charged * 100, one decimal (none when nothing was charged).
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, Round

from billing.models import LedgerEntry
from billing.models.ledger import CHARGE_KINDS, EntryKind
from billing.selectors import owing
from billing.selectors.allocation import BUCKETS
from billing.selectors.owing import Scope
from houses.models import House

from .period import Month

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
SUMMED = ("opening_balance", "closing_balance", "returned_payments", "refunds")
BY_KEY = ("charged_by_kind", "adjustments_by_kind", "collected_by_method")


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


def _sum(**condition):
    # Rounded in the database: SQLite sums decimals as floats (see billing.selectors.balances.money_sum).
    summed = Sum("amount", filter=Q(**condition)) if condition else Sum("amount")
    return Round(Coalesce(summed, Value(ZERO), output_field=MONEY), 2, output_field=MONEY)


def _blank():
    return {
        **dict.fromkeys(SUMMED, ZERO),
        **{name: {} for name in BY_KEY},
        "owed_at_month_end": dict.fromkeys(BUCKETS, ZERO),
    }


def _add(figures: dict, name: str, key: str, amount: Decimal) -> None:
    figures[name][key] = figures[name].get(key, ZERO) + amount


def _count(figures: dict, *, kind: str, reversed_kind: str | None, method: str | None, total: Decimal) -> None:
    """Puts one group of the month's entries under its figure (``total`` is signed as stored)."""
    if kind in CHARGE_KINDS:
        _add(figures, "charged_by_kind", kind, total)
    elif kind == EntryKind.PAYMENT:
        _add(figures, "collected_by_method", method or "other", -total)
    elif kind == EntryKind.CREDIT:
        _add(figures, "adjustments_by_kind", EntryKind.CREDIT, -total)
    elif kind == EntryKind.REFUND:
        figures["refunds"] += total
    elif reversed_kind in CHARGE_KINDS or reversed_kind == EntryKind.CREDIT:
        # A cancelled charge is an adjustment under its own kind; a credit taken back lowers the credits.
        _add(figures, "adjustments_by_kind", reversed_kind, -total)
    elif reversed_kind == EntryKind.PAYMENT:
        figures["returned_payments"] += total
    elif reversed_kind == EntryKind.REFUND:
        figures["refunds"] += total
    else:
        raise ValueError(f"A ledger entry of kind {kind!r} has no place in the money figures.")


def by_house(*, houses, month: Month, organization) -> dict[int, dict]:
    """The money figures of each house in ``houses`` for ``month``: {house_id: figures}. Three grouped queries and
    the allocation's, whatever the number of houses."""
    house_ids = list(houses.values_list("pk", flat=True))
    result = {pk: _blank() for pk in house_ids}
    if not house_ids:
        return result
    scope = houses.order_by().values("pk")
    first, end = month.first, month.end
    last = end - timedelta(days=1)
    entries = LedgerEntry.objects.filter(house_id__in=scope, effective_on__lt=end).order_by()

    balances = entries.values("house_id").annotate(opening=_sum(effective_on__lt=first), closing=_sum())
    for house_id, opening, closing in balances.values_list("house_id", "opening", "closing"):
        result[house_id]["opening_balance"] = _cents(opening)
        result[house_id]["closing_balance"] = _cents(closing)

    moves = (
        entries.filter(effective_on__gte=first)
        .values("house_id", "kind", "reverses__kind", "payment__method")
        .annotate(total=_sum())
        .values_list("house_id", "kind", "reverses__kind", "payment__method", "total")
    )
    for house_id, kind, reversed_kind, method, total in moves:
        _count(result[house_id], kind=kind, reversed_kind=reversed_kind, method=method, total=_cents(total))

    # What was open on the month's last day counted, charge by charge, at the house each charge was posted: billing's
    # allocation done by the database (``billing.selectors.owing``), summed per house and bucket in one query. It
    # reads entries dated up to that day, so a payment returned by then pays nothing.
    whole = len(house_ids) == House.objects.filter(organization=organization).count()
    scoped = None if whole else frozenset(house_ids)  # all of them: no need to list thousands of ids
    for house_id, owed in _owed_by_house(Scope(organization.pk, scoped, last)).items():
        if house_id in result:
            result[house_id]["owed_at_month_end"] = owed
    return {house_id: finish(figures) for house_id, figures in result.items()}


def _owed_by_house(scope: Scope) -> dict[int, dict[str, Decimal]]:
    """{house_id: {bucket: open amount}} of the charges open on ``scope.on``, by the house each was posted at."""
    ctes, params = owing._open_charges_ctes(scope)
    in_scope, scope_params = ("1 = 1", []) if scope.house_ids is None else owing._in("oc.house_id", scope.house_ids)
    bucket_sql, bucket_params = owing._bucket_columns(scope.on, "oc")
    sql = f"WITH {ctes} SELECT oc.house_id, {bucket_sql} FROM open_charges oc WHERE {in_scope} GROUP BY oc.house_id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *bucket_params, *scope_params])
        return {row[0]: owing._buckets(row[1:]) for row in cursor.fetchall()}


def finish(figures: dict) -> dict:
    """Adds the sums and the rate to the parts, so houses and totals compute them the same way."""
    charged = sum(figures["charged_by_kind"].values(), ZERO)
    adjustments = sum(figures["adjustments_by_kind"].values(), ZERO)
    collected = sum(figures["collected_by_method"].values(), ZERO)
    owed = {bucket: _cents(amount) for bucket, amount in figures["owed_at_month_end"].items()}
    rate = (collected * 100 / charged).quantize(Decimal("0.1"), ROUND_HALF_UP) if charged else None
    return {
        "opening_balance": figures["opening_balance"],
        "charged_by_kind": dict(sorted(figures["charged_by_kind"].items())),
        "charged": charged,
        "adjustments_by_kind": dict(sorted(figures["adjustments_by_kind"].items())),
        "adjustments": adjustments,
        "collected_by_method": dict(sorted(figures["collected_by_method"].items())),
        "collected": collected,
        "returned_payments": figures["returned_payments"],
        "refunds": figures["refunds"],
        "net": collected - figures["returned_payments"] - figures["refunds"],
        "closing_balance": figures["closing_balance"],
        "owed_at_month_end": owed,
        "owed_total": sum(owed.values(), ZERO),
        "collection_rate_pct": rate,
    }


def total(per_house: dict[int, dict], *, month: Month, organization=None) -> dict:
    """Organization totals: sums of the houses' amounts, the rate recomputed from the sums."""
    summed = _blank()
    for figures in per_house.values():
        for name in BY_KEY:
            for key, value in figures[name].items():
                _add(summed, name, key, value)
        for name in SUMMED:
            summed[name] += figures[name]
        for bucket, amount in figures["owed_at_month_end"].items():
            summed["owed_at_month_end"][bucket] += amount
    return finish(summed)


def public(figures: dict) -> dict:
    return figures
