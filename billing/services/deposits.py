"""Deposits: charged at admission, settled at move-out.

Settling a deposit posts, on the settlement date:
1. a credit releasing the deposit held (the stay's deposit charges, net of reversals) against what the resident
   owes; an unpaid deposit is released just the same, which simply cancels it;
2. one charge per deduction (cleaning, damage, keys), with its reason; deductions cannot exceed the deposit;
3. a refund of what is left: ``min(deposit held - deductions, the resident's credit after 1 and 2)``. A deposit pays
   what the resident still owes first; only the rest goes back to them.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, DomainError
from accounts.models import Membership
from accounts.money import money_words
from residents.core.services.roles import require_staff
from residents.models import Stay

from ..models import DepositDeduction, DepositSettlement, EntryKind, HouseBillingPolicy, LedgerEntry
from ..selectors.balances import balance_of, cents, money_sum
from .ledger import ZERO, clean_amount, post_entry

DEPOSIT_KEY = "deposit:{stay}"


@transaction.atomic
def deposit_charge_at_admission(*, stay: Stay) -> LedgerEntry | None:
    """Charges the house's deposit on a new stay, due at move-in; nothing when the house asks for none."""
    policy = HouseBillingPolicy.objects.filter(house_id=stay.house_id).first()
    if policy is None or policy.deposit_amount <= 0:
        return None
    return post_entry(
        stay=stay,
        kind=EntryKind.DEPOSIT,
        amount=policy.deposit_amount,
        effective_on=stay.move_in,
        memo=f"Security deposit, {stay.house.name}",
        created_by=stay.admitted_by,
        idempotency_key=DEPOSIT_KEY.format(stay=stay.pk),
        carry=True,  # a backdated admission into a closed month charges it on the first open day
    )


def deposit_held(stay: Stay) -> Decimal:
    """The deposit charged for a stay: its deposit charges plus the reversals of them."""
    charged = LedgerEntry.objects.filter(stay=stay, kind=EntryKind.DEPOSIT)
    reversed_ = LedgerEntry.objects.filter(stay=stay, kind=EntryKind.REVERSAL, reverses__kind=EntryKind.DEPOSIT)
    total = money_sum()
    return cents(charged.aggregate(t=total)["t"] + reversed_.aggregate(t=total)["t"])


@transaction.atomic
def deposit_settle(
    *,
    actor: Membership,
    stay: Stay,
    on: date,
    deductions: list[dict] = (),
    note: str = "",
) -> DepositSettlement:
    """Settles a discharged stay's deposit (see the module docstring). ``deductions`` is a list of
    ``{"reason": str, "amount": Decimal}``. A stay's deposit is settled once."""
    stay = Stay.objects.select_for_update().select_related("organization", "house", "resident").get(pk=stay.pk)
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    if stay.move_out is None:
        raise DomainError(_("Settle the deposit after the resident has moved out."), field="stay")
    if DepositSettlement.objects.filter(stay=stay).exists():
        raise Conflict(_("This stay's deposit has already been settled."), field="stay")
    if on < stay.move_out:
        raise DomainError(
            _("Settle on or after move-out (%(day)s).") % {"day": date_format(stay.move_out, _("M j, Y"))}, field="on"
        )
    if on > stay.organization.today():
        raise DomainError(_("The date cannot be in the future."), field="on")
    held = deposit_held(stay)
    if held <= 0:
        raise DomainError(_("No deposit was charged for this stay."), field="stay")
    cleaned = []
    for index, deduction in enumerate(deductions):
        reason = (deduction.get("reason") or "").strip()
        if not reason:
            raise DomainError(
                _("Deduction %(number)s: say what it is for.") % {"number": index + 1}, field="deductions"
            )
        try:
            amount = clean_amount(deduction.get("amount"), field="deductions")
        except DomainError as error:
            raise DomainError(
                _("Deduction %(number)s: %(problem)s") % {"number": index + 1, "problem": error.message},
                field="deductions",
            ) from None
        cleaned.append((reason[:200], amount))
    deducted = sum((amount for _reason, amount in cleaned), ZERO)
    if deducted > held:
        deducted, held = (money_words(amount, stay.organization.currency) for amount in (deducted, held))
        raise DomainError(
            _("Deductions (%(deducted)s) cannot exceed the deposit (%(held)s).") % {"deducted": deducted, "held": held},
            field="deductions",
        )

    deposit_charge = (
        LedgerEntry.objects.filter(stay=stay, kind=EntryKind.DEPOSIT, reversed_by__isnull=True).order_by("pk").first()
    )
    release = post_entry(
        stay=stay,
        kind=EntryKind.CREDIT,
        amount=-held,
        effective_on=on,
        memo="Security deposit applied at move-out",
        created_by=actor.user,
        for_charge=deposit_charge,
        date_field="on",
    )
    try:
        with transaction.atomic():
            settlement = DepositSettlement.objects.create(
                organization_id=stay.organization_id,
                stay=stay,
                resident_id=stay.resident_id,
                house_id=stay.house_id,
                settled_on=on,
                deposit_held=held,
                deductions_total=deducted,
                refund_amount=ZERO,
                release_entry=release,
                note=note,
                settled_by=actor.user,
            )
    except IntegrityError:
        raise Conflict(_("This stay's deposit has already been settled."), field="stay") from None
    for reason, amount in cleaned:
        entry = post_entry(
            stay=stay,
            kind=EntryKind.OTHER,
            amount=amount,
            effective_on=on,
            memo=f"Deposit deduction: {reason}",
            created_by=actor.user,
            date_field="on",
        )
        DepositDeduction.objects.create(settlement=settlement, reason=reason, amount=amount, entry=entry)
    credit = -balance_of(stay.resident_id)
    refund = min(held - deducted, max(credit, ZERO))
    if refund > 0:
        settlement.refund_entry = post_entry(
            stay=stay,
            kind=EntryKind.REFUND,
            amount=refund,
            effective_on=on,
            memo="Security deposit refunded",
            created_by=actor.user,
            date_field="on",
        )
        settlement.refund_amount = refund
        settlement.save(update_fields=["refund_entry", "refund_amount"])
    return settlement
