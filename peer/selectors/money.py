"""Reads of a peer-run house's money that its pages, API, PDFs and chapter report share."""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Case, DecimalField, F, Q, Sum, When
from django.db.models.functions import Coalesce

from billing.models import LedgerEntry
from billing.models.ledger import EntryKind
from houses.models import House
from peer.models import BankEntry, MonthlyAudit
from residents.core.selectors.nights import residents_of

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _signed():
    return Case(When(kind__in=BankEntry.MONEY_IN, then=F("amount")), default=-F("amount"), output_field=MONEY)


def register_balance(house: House, *, before: date | None = None) -> Decimal:
    """The register's balance: opening balance and deposits less checks and fees, dated before ``before`` (all of
    them without it)."""
    entries = BankEntry.objects.filter(house=house)
    if before is not None:
        entries = entries.filter(entry_on__lt=before)
    total = entries.aggregate(total=Coalesce(Sum(_signed()), ZERO, output_field=MONEY))["total"]
    return Decimal(total).quantize(Decimal("0.01"))


def register_lines(house: House, *, first: date, end: date) -> list[BankEntry]:
    """The register's entries dated in [first, end), each with ``balance`` after it (the running balance)."""
    running = register_balance(house, before=first)
    lines = list(
        BankEntry.objects.filter(house=house, entry_on__gte=first, entry_on__lt=end)
        .select_related("signed_by", "cosigned_by", "bill", "cleared_in")
        .order_by("entry_on", "pk")
    )
    for line in lines:
        running += line.signed_amount
        line.balance = running
    return lines


def member_balances(house: House, *, night: date | None = None) -> dict[int, Decimal]:
    """What each member living in ``house`` on ``night`` (default tonight) owes the house: their whole ledger's
    balance (above zero they owe; below, they are ahead)."""
    night = night or house.organization.today()
    members = residents_of(house=house, night=night)
    rows = (
        LedgerEntry.objects.filter(resident_id__in=members, effective_on__lte=night)
        .values("resident_id")
        .annotate(total=Sum("amount"))
    )
    balances = dict.fromkeys(members, ZERO)
    balances.update({row["resident_id"]: Decimal(row["total"]).quantize(Decimal("0.01")) for row in rows})
    return balances


def shares_in_month(house: House, *, month: date) -> dict[str, Decimal]:
    """The month's shares in the house's ledger: ``charged`` (rent charges less their reversals) and ``collected``
    (payments, less refunds)."""
    end = month + relativedelta(months=1)
    entries = LedgerEntry.objects.filter(house=house, effective_on__gte=month, effective_on__lt=end)
    sums = entries.aggregate(
        charged=Coalesce(Sum("amount", filter=Q(kind=EntryKind.RENT)), ZERO, output_field=MONEY),
        collected=Coalesce(Sum("amount", filter=Q(kind__in=[EntryKind.PAYMENT, EntryKind.REFUND])), ZERO,
                           output_field=MONEY),
    )  # fmt: skip
    return {"charged": sums["charged"], "collected": -sums["collected"]}


def unreconciled_months(house: House, *, today: date) -> list[date]:
    """Months of the register that have ended without a reconciled audit signed off by every member named to it:
    flagged on the house page and in the chapter report."""
    first = BankEntry.objects.filter(house=house).order_by("entry_on").values_list("entry_on", flat=True).first()
    if first is None:
        return []
    audits = {
        audit.month: audit
        for audit in MonthlyAudit.objects.filter(house=house).prefetch_related("auditors", "signatures")
    }
    flagged, month = [], first.replace(day=1)
    while month + relativedelta(months=1) <= today:
        audit = audits.get(month)
        if audit is None or not audit.is_reconciled or not is_signed_off(audit):
            flagged.append(month)
        month += relativedelta(months=1)
    return flagged


def is_signed_off(audit: MonthlyAudit) -> bool:
    named = {auditor.pk for auditor in audit.auditors.all()}
    signed = {signature.member_id for signature in audit.signatures.all()}
    return bool(named) and named <= signed


def weekly_ledger(house: House, *, weeks: int = 8, today: date) -> dict:
    """The comptroller's weekly ledger: for each of the last ``weeks`` weeks (Monday to Sunday) and each member who
    lived in the house then, the shares charged and the payments made that week, with the weeks' totals. One query
    for all the entries."""
    last_monday = today - relativedelta(days=today.weekday())
    mondays = [last_monday - relativedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    rows = (
        LedgerEntry.objects.filter(house=house, effective_on__gte=mondays[0], effective_on__lte=today)
        .filter(kind__in=[EntryKind.RENT, EntryKind.PAYMENT, EntryKind.REFUND])
        .values("resident_id", "resident__legal_first_name", "resident__preferred_name", "resident__legal_last_name",
                "kind", "effective_on", "amount")
    )  # fmt: skip
    members, cells = {}, {}
    for row in rows:
        week = row["effective_on"] - relativedelta(days=row["effective_on"].weekday())
        first = row["resident__preferred_name"] or row["resident__legal_first_name"]
        members[row["resident_id"]] = f"{first} {row['resident__legal_last_name']}"
        cell = cells.setdefault((row["resident_id"], week), {"charged": ZERO, "paid": ZERO})
        if row["kind"] == EntryKind.RENT:
            cell["charged"] += row["amount"]
        else:
            cell["paid"] -= row["amount"]
    empty = {"charged": ZERO, "paid": ZERO}
    table = [
        {"resident_id": pk, "name": name, "weeks": [cells.get((pk, monday), empty) for monday in mondays]}
        for pk, name in sorted(members.items(), key=lambda item: item[1])
    ]
    totals = [
        {
            "charged": sum((row["weeks"][n]["charged"] for row in table), ZERO),
            "paid": sum((row["weeks"][n]["paid"] for row in table), ZERO),
        }
        for n in range(len(mondays))
    ]
    return {"mondays": mondays, "rows": table, "totals": totals}


def member_ledger(house: House, resident_id: int):
    """A member's individual ledger in the house: every entry of theirs posted at the house, oldest first, with the
    running balance."""
    entries = LedgerEntry.objects.filter(house=house, resident_id=resident_id).select_related("reverses")
    entries = list(entries.order_by("effective_on", "pk"))
    running = ZERO
    for entry in entries:
        running += entry.amount
        entry.balance = running
    return entries
