"""A peer-run house's money, each act by the office whose duty it is.

- The comptroller keeps the ledgers: the standing expenses and the weekly share they make (the expected weekly
  expenses divided by the beds, so a new member pays what everyone pays), and prepares the monthly audit.
- The treasurer takes the members' shares (cash, check, money order) and keeps the bank register: bills, deposits,
  checks (each signed by two officers) and bank fees.
- The members named to audit sign it off; the president records a behaviour contract at a meeting.

The share posts to each member's ledger weekly through billing's rent engine (the house's weekly terms and each
stay's schedule), so posting stays idempotent and members may pay online like any resident.
"""

from datetime import date
from decimal import ROUND_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from billing.services.payments import payment_record
from billing.services.policies import house_billing_policy_set
from billing.services.rent import first_unbilled_night, rent_schedule_set
from houses.models import Bed, House
from peer.models import (
    AuditSignature,
    BankEntry,
    BehaviourContract,
    BusinessMeeting,
    ExpectedExpense,
    ExpenseKind,
    HouseBill,
    HouseCharter,
    MonthlyAudit,
    Office,
    OfficerTerm,
    ShareRate,
)
from peer.selectors.money import member_balances, register_balance
from peer.services.authority import is_member, require_member, require_office, require_peer_run
from residents.core.selectors.nights import stays_on_night
from residents.models import Resident

CENT = Decimal("0.01")
WEEKS_A_YEAR = Decimal(52)
SHARE_METHODS = ("cash", "check", "money_order")


def _positive(amount, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(amount)).quantize(CENT)
    except ArithmeticError:
        raise Invalid(_("Give an amount in dollars and cents."), field=field) from None
    if amount <= 0:
        raise Invalid(_("Give an amount above zero."), field=field)
    return amount


def _not_future(house: House, day: date, field: str) -> None:
    if day > house.organization.today():
        raise Invalid(_("The date cannot be in the future."), field=field)


# Expenses and the share ---------------------------------------------------------------------------------------------


@transaction.atomic
def expected_expense_add(
    *, actor: Membership, house: House, kind: str, payee: str, amount, period: str = ExpectedExpense.Period.MONTHLY
) -> ExpectedExpense:
    """Adds a standing expense of the house, as the comptroller."""
    require_peer_run(house)
    require_office(actor, house, Office.COMPTROLLER)
    if kind not in ExpenseKind.values:
        raise Invalid(_("Choose what the expense is for."), field="kind")
    if period not in ExpectedExpense.Period.values:
        raise Invalid(_("Choose weekly or monthly."), field="period")
    if not payee.strip():
        raise Invalid(_("Say who is paid."), field="payee")
    return ExpectedExpense.objects.create(
        organization_id=house.organization_id, house=house, kind=kind, payee=payee.strip(),
        amount=_positive(amount), period=period, created_by=actor.user,
    )  # fmt: skip


@transaction.atomic
def expected_expense_end(*, actor: Membership, expense: ExpectedExpense) -> ExpectedExpense:
    """Stops counting a standing expense (the lease ended, a utility was cancelled), as the comptroller."""
    require_office(actor, expense.house, Office.COMPTROLLER)
    expense.is_active = False
    expense.save(update_fields=["is_active"])
    return expense


def weekly_expenses(house: House) -> Decimal:
    """The house's expected weekly expenses: its standing weekly expenses plus its monthly ones spread over the year's
    52 weeks (a month's bill times 12, divided by 52)."""
    total = Decimal(0)
    for expense in ExpectedExpense.objects.filter(house=house, is_active=True):
        weekly = (
            expense.amount if expense.period == ExpectedExpense.Period.WEEKLY else expense.amount * 12 / WEEKS_A_YEAR
        )
        total += weekly
    return total.quantize(CENT)


def share_for(house: House, *, on: date) -> tuple[Decimal, Decimal, int]:
    """(share, weekly expenses, beds): the weekly share from night ``on``, rounded up to the cent so the shares cover
    the expenses."""
    beds = Bed.objects.filter(house=house).in_service_on(on).count()
    expenses = weekly_expenses(house)
    if not beds:
        raise Conflict(_("The house has no bed in service to share its expenses."), field="starts_on")
    if not expenses:
        raise Conflict(
            _("Add the house's expected expenses first: the share is computed from them."), field="starts_on"
        )
    return (expenses / beds).quantize(CENT, rounding=ROUND_UP), expenses, beds


@transaction.atomic
def share_set(*, actor: Membership, house: House, starts_on: date) -> ShareRate:
    """Sets the weekly share from ``starts_on``, as the comptroller: every member's rent terms from then on (or from
    their first night not yet billed) and the house's terms for new members. Nights already billed keep their share."""
    require_peer_run(house)
    require_office(actor, house, Office.COMPTROLLER)
    if starts_on < house.organization.today():
        raise Invalid(_("A new share starts today or later."), field="starts_on")
    house = House.objects.select_for_update().get(pk=house.pk)
    if ShareRate.objects.filter(house=house, starts_on__gte=starts_on).exists():
        raise Conflict(_("A share is already set from that day or later."), field="starts_on")
    amount, expenses, beds = share_for(house, on=starts_on)
    weekday = HouseCharter.objects.get(house=house).share_due_weekday
    house_billing_policy_set(
        actor=actor, house=house, by_house=True, rent_amount=amount, rent_period="weekly", rent_due_weekday=weekday,
        rent_due_day=None,
    )  # fmt: skip
    for stay in stays_on_night(night=starts_on, houses=house):
        first = max(day for day in (starts_on, stay.move_in, first_unbilled_night(stay)) if day)
        rent_schedule_set(
            actor=actor, stay=stay, amount=amount, period="weekly", due_weekday=weekday, starts_on=first,
            note=_("House share"), by_house=True,
        )  # fmt: skip
    return ShareRate.objects.create(
        organization_id=house.organization_id, house=house, starts_on=starts_on, amount=amount,
        weekly_expenses=expenses, beds=beds, set_by=actor.user,
    )  # fmt: skip


@transaction.atomic
def share_payment_record(
    *, actor: Membership, member: Resident, method: str, amount, received_on: date, reference: str = ""
):
    """Records a member's share paid to the treasurer (cash, check or money order), credited to their ledger with a
    receipt like any payment."""
    stay = member.stays.filter(move_out__isnull=True).select_related("house").first()
    if stay is None:
        raise Invalid(_("Choose a member living in the house."), field="member")
    require_office(actor, stay.house, Office.TREASURER)
    if method not in SHARE_METHODS:
        raise Invalid(_("Choose cash, check or money order."), field="method")
    return payment_record(
        actor=actor, resident=member, method=method, amount=amount, received_on=received_on, reference=reference,
        by_house=True,
    )  # fmt: skip


# The bank register --------------------------------------------------------------------------------------------------


@transaction.atomic
def bill_record(
    *, actor: Membership, house: House, kind: str, payee: str, amount, received_on: date, due_on: date
) -> HouseBill:
    """Records a bill the house received, as the treasurer."""
    require_office(actor, house, Office.TREASURER)
    if kind not in ExpenseKind.values:
        raise Invalid(_("Choose what the bill is for."), field="kind")
    if not payee.strip():
        raise Invalid(_("Say who sent the bill."), field="payee")
    _not_future(house, received_on, "received_on")
    if due_on < received_on:
        raise Invalid(_("A bill falls due on or after the day it came."), field="due_on")
    return HouseBill.objects.create(
        organization_id=house.organization_id, house=house, kind=kind, payee=payee.strip(), amount=_positive(amount),
        received_on=received_on, due_on=due_on, recorded_by=actor.user,
    )  # fmt: skip


def _lock_register(house: House) -> House:
    # One writer of a house's register at a time: check numbers and the month's audit read it whole.
    return House.objects.select_for_update().select_related("organization").get(pk=house.pk)


def _refuse_audited(house: House, day: date) -> None:
    audited = MonthlyAudit.objects.filter(house=house, month__gte=day.replace(day=1)).order_by("-month").first()
    if audited is not None:
        raise Conflict(
            _("%(month)s is audited: date the entry after it.") % {"month": date_format(audited.month, "F Y")},
            field="entry_on",
        )


@transaction.atomic
def bank_entry_record(
    *,
    actor: Membership,
    house: House,
    kind: str,
    amount,
    entry_on: date,
    memo: str = "",
    number: str = "",
    payee: str = "",
    signed_by: Resident | None = None,
    cosigned_by: Resident | None = None,
    bill: HouseBill | None = None,
) -> BankEntry:
    """Writes a line of the bank register, as the treasurer: the opening balance (once, first), a deposit, a bank
    fee, or a check with its number, payee and two signing officers (two different people, each in office that
    day). Nothing is dated into a month already audited."""
    require_peer_run(house)
    require_office(actor, house, Office.TREASURER)
    house = _lock_register(house)
    amount = _positive(amount)
    if kind not in BankEntry.Kind.values:
        raise Invalid(_("Choose a deposit, a check or a bank fee."), field="kind")
    _not_future(house, entry_on, "entry_on")
    _refuse_audited(house, entry_on)
    entries = BankEntry.objects.filter(house=house)
    if kind == BankEntry.Kind.OPENING and entries.exists():
        raise Conflict(_("The register already has its opening balance."), field="kind")
    if kind != BankEntry.Kind.OPENING and not entries.filter(kind=BankEntry.Kind.OPENING).exists():
        raise Conflict(_("Start the register with its opening balance."), field="kind")
    if bill is not None and (bill.house_id != house.pk or kind != BankEntry.Kind.CHECK):
        raise Invalid(_("A check of this house pays a bill of this house."), field="bill")
    fields = {"memo": memo.strip()}
    if kind == BankEntry.Kind.CHECK:
        fields.update(_check_fields(house, entries, entry_on, number, payee, signed_by, cosigned_by), bill=bill)
    return BankEntry.objects.create(
        organization_id=house.organization_id, house=house, kind=kind, amount=amount, entry_on=entry_on,
        recorded_by=actor.user, **fields,
    )  # fmt: skip


def _check_fields(house, entries, entry_on, number, payee, signed_by, cosigned_by) -> dict:
    number, payee = number.strip(), payee.strip()
    if not number:
        raise Invalid(_("Give the check number."), field="number")
    if entries.filter(kind=BankEntry.Kind.CHECK, number=number).exists():
        raise Conflict(_("Check %(number)s is already in the register.") % {"number": number}, field="number")
    if not payee:
        raise Invalid(_("Say who the check is made out to."), field="payee")
    officers = set(OfficerTerm.objects.on(entry_on).filter(house=house).values_list("resident_id", flat=True))
    for field, signer in (("signed_by", signed_by), ("cosigned_by", cosigned_by)):
        if signer is None or signer.pk not in officers:
            raise Invalid(_("A check is signed by two officers of the house in office that day."), field=field)
    if signed_by.pk == cosigned_by.pk:
        raise Invalid(_("The second signature is another officer's."), field="cosigned_by")
    return {"number": number, "payee": payee, "signed_by": signed_by, "cosigned_by": cosigned_by}


# The monthly audit --------------------------------------------------------------------------------------------------


def month_end(month: date) -> date:
    return month + relativedelta(months=1)


@transaction.atomic
def audit_prepare(
    *,
    actor: Membership,
    house: House,
    month: date,
    statement_balance,
    cleared,
    auditors,
    notes: str = "",
) -> MonthlyAudit:
    """Prepares the month's audit, as the comptroller: the statement's closing balance, the register's entries that
    appear on it (``cleared``: entries up to the month's end not cleared by an earlier audit) and the members named
    to audit (at least two, not the treasurer whose register it is). What has not cleared is listed; the difference
    left is what the audit could not explain."""
    require_peer_run(house)
    preparer = require_office(actor, house, Office.COMPTROLLER)
    house = _lock_register(house)
    month = month.replace(day=1)
    end = month_end(month)
    if end > house.organization.today():
        raise Invalid(_("A month is audited once it has ended."), field="month")
    if MonthlyAudit.objects.filter(house=house, month__gte=month).exists():
        raise Conflict(_("This month, or a later one, is already audited."), field="month")
    open_entries = BankEntry.objects.filter(house=house, entry_on__lt=end, cleared_in__isnull=True)
    cleared_ids = {entry.pk for entry in cleared}
    unknown = cleared_ids - set(open_entries.values_list("pk", flat=True))
    if unknown:
        raise Invalid(_("Tick only this register's entries not cleared before."), field="cleared")
    auditors = list(auditors)
    treasurers = set(
        OfficerTerm.objects.on(house.organization.today())
        .filter(house=house, office=Office.TREASURER)
        .values_list("resident_id", flat=True)
    )
    if len({a.pk for a in auditors}) < 2 or any(not is_member(a, house) or a.pk in treasurers for a in auditors):
        raise Invalid(_("Name at least two members to audit, other than the treasurer."), field="auditors")
    statement_balance = Decimal(str(statement_balance)).quantize(CENT)
    register = register_balance(house, before=end)
    uncleared = [entry for entry in open_entries if entry.pk not in cleared_ids]
    uncleared_in = sum((e.amount for e in uncleared if e.kind in BankEntry.MONEY_IN), Decimal(0))
    uncleared_out = sum((e.amount for e in uncleared if e.kind not in BankEntry.MONEY_IN), Decimal(0))
    audit = MonthlyAudit.objects.create(
        organization_id=house.organization_id, house=house, month=month, statement_balance=statement_balance,
        register_balance=register, uncleared_in=uncleared_in, uncleared_out=uncleared_out,
        difference=statement_balance - (register - uncleared_in + uncleared_out), notes=notes.strip(),
        prepared_by=preparer,
    )  # fmt: skip
    audit.auditors.set(auditors)
    open_entries.filter(pk__in=cleared_ids).update(cleared_in=audit)
    return audit


@transaction.atomic
def audit_sign(*, actor: Membership, audit: MonthlyAudit) -> AuditSignature:
    """Signs the audit off, as one of the members named to audit it."""
    member = require_member(actor, audit.house)
    if not audit.auditors.filter(pk=member.pk).exists():
        raise Invalid(_("Only the members named to audit this month sign it."), field="audit")
    try:
        with transaction.atomic():
            return AuditSignature.objects.create(audit=audit, member=member)
    except IntegrityError:
        raise Conflict(_("You have already signed this audit."), field="audit") from None


# Behaviour contracts ------------------------------------------------------------------------------------------------


@transaction.atomic
def behaviour_contract_record(
    *, actor: Membership, meeting: BusinessMeeting, member: Resident, terms: str
) -> BehaviourContract:
    """Records, as the president at an open meeting, the contract a member behind on shares agreed to."""
    house = meeting.house
    require_office(actor, house, Office.PRESIDENT)
    if not meeting.is_open:
        raise Conflict(_("This meeting is closed."), field="meeting")
    if not terms.strip():
        raise Invalid(_("Write what the member agreed to."), field="terms")
    limit = HouseCharter.objects.get(house=house).behind_limit
    owed = member_balances(house).get(member.pk)
    if owed is None:
        raise Invalid(_("Choose a member living in the house."), field="member")
    if owed <= limit:
        raise Invalid(
            _("%(member)s is not behind by more than %(limit)s.") % {"member": member, "limit": limit}, field="member"
        )
    return BehaviourContract.objects.create(
        organization_id=house.organization_id, house=house, member=member, meeting=meeting, amount_behind=owed,
        terms=terms.strip(), created_by=actor.user,
    )  # fmt: skip
