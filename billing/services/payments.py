"""Payments recorded by staff: cash, check, money order, and third parties (an agency, family, a voucher program).

Each is credited to the ledger at once and numbered with the organization's next receipt number. The number comes
from a counter row locked for the rest of the transaction, so concurrent payments get consecutive numbers, and a
payment that fails rolls its number back with it: no gaps, no repeats.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import DomainError
from accounts.models import Membership, Organization
from residents.core.services.roles import require_staff_or_house
from residents.models import Resident

from ..memos import english
from ..models import EntryKind, Payment, ReceiptCounter
from .ledger import billing_stay, clean_amount, post_entry

# A check or money order without its number ("A check needs its number.").
NEEDS_NUMBER = {
    Payment.Method.CHECK: gettext_lazy("A check needs its number."),
    Payment.Method.MONEY_ORDER: gettext_lazy("A money order needs its number."),
}


def next_receipt_number(organization: Organization) -> int:
    """Takes the organization's next receipt number. Call inside the transaction that uses it."""
    ReceiptCounter.objects.get_or_create(organization=organization)
    counter = ReceiptCounter.objects.select_for_update().get(organization=organization)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def payment_record(
    *,
    actor: Membership,
    resident: Resident,
    method: str,
    amount,
    received_on: date,
    reference: str = "",
    payer_name: str = "",
    memo: str = "",
    received_by: Membership | None = None,
    by_house: bool = False,
) -> Payment:
    """Records money staff received for a resident and credits it to their ledger.

    A check or money order needs its number (``reference``); a third-party payment (agency, family, voucher) needs
    the payer's name. The date cannot be in the future. ``received_by`` is the staff member who took the money
    (an active operator or manager of the organization); it defaults to whoever records it. Paying more than is
    owed leaves the resident in credit.

    Money received in a month since closed is credited to the ledger on the first day of the first open month (its
    ``occurred_on`` and memo keep the real day, see ``billing.services.closing``); the payment and its receipt keep
    the day the money really came (``received_on``).

    ``by_house``: in a peer-run house the treasurer takes the members' shares (the ``peer`` app checked the office).
    """
    if method not in Payment.MANUAL_METHODS:
        raise DomainError(_("Choose cash, check, money order, agency, family or voucher."), field="method")
    amount = clean_amount(amount)
    reference, payer_name = reference.strip(), payer_name.strip()
    if method in Payment.REFERENCE_REQUIRED and not reference:
        raise DomainError(NEEDS_NUMBER[method], field="reference")
    if method in Payment.THIRD_PARTY and not payer_name:
        raise DomainError(_("Say who paid (the agency, family member or voucher program)."), field="payer_name")
    stay = billing_stay(resident)
    require_staff_or_house(actor, organization_id=stay.organization_id, house=stay.house, by_house=by_house)
    organization = stay.organization
    if received_by is not None and not (
        received_by.organization_id == organization.pk and received_by.is_staff_member and received_by.is_active
    ):
        raise DomainError(_("Name a staff member of this organization."), field="received_by")
    if received_on > organization.today():
        raise DomainError(_("The date cannot be in the future."), field="received_on")
    label = str(english(Payment.Method(method).label))  # the memo is stored in English (billing/memos.py)
    description = (
        f"{label} payment" + (f" no. {reference}" if reference else "") + (f" from {payer_name}" if payer_name else "")
    )
    entry = post_entry(
        stay=stay,
        kind=EntryKind.PAYMENT,
        amount=-amount,
        effective_on=received_on,
        memo=(f"{description}. {memo}" if memo else description),
        created_by=actor.user,
        carry=True,
    )
    return Payment.objects.create(
        organization_id=stay.organization_id,
        resident_id=stay.resident_id,
        stay=stay,
        house_id=stay.house_id,
        method=method,
        status=Payment.Status.COMPLETED,
        amount=amount,
        received_on=received_on,
        reference=reference,
        payer_name=payer_name,
        received_by=(received_by or actor).user,
        receipt_number=next_receipt_number(organization),
        entry=entry,
        memo=memo,
    )
