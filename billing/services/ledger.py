"""Posting to the ledger: charges, credits, refunds and reversals. The only way entries are written.

Every entry is tagged with its organization, resident, stay and house, taken from the stay (never from input).
An entry is never edited or deleted: a mistake is fixed by reversing it (a reversal cancels exactly one entry, once)
and posting the right one.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, DomainError
from accounts.models import Membership, User
from accounts.money import money_words
from residents.core.services.roles import require_staff
from residents.models import Resident, Stay

from ..memos import NOUNS, REVERSES
from ..models import CHARGE_KINDS, MAX_AMOUNT, EntryKind, LedgerEntry, Payment
from ..models.terms import CENT
from ..selectors.balances import balance_of
from .closing import carried_note, lock_books, posting_date

ZERO = Decimal("0.00")


def clean_amount(value, *, field: str = "amount") -> Decimal:
    """A positive amount of money with at most two decimal places and no more than ``MAX_AMOUNT``."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter an amount of money such as 125.00."), field=field) from None
    if not amount.is_finite():
        raise DomainError(_("Enter an amount of money such as 125.00."), field=field)
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field)
    if amount > MAX_AMOUNT:
        raise DomainError(_("The amount cannot be more than %(most)s.") % {"most": f"{MAX_AMOUNT:,}"}, field=field)
    if amount != amount.quantize(CENT):
        raise DomainError(_("Use at most two decimal places."), field=field)
    return amount.quantize(CENT)


def billing_stay(resident: Resident) -> Stay:
    """The stay a resident's new entries belong to: the open one, else the most recent."""
    open_stay = Stay.objects.filter(resident=resident, move_out__isnull=True).select_related("house").first()
    stay = open_stay or Stay.objects.filter(resident=resident).select_related("house").order_by("-move_in").first()
    if stay is None:
        raise DomainError(
            _("%(resident)s has never lived in one of the houses, so there is nothing to bill.")
            % {"resident": resident},
            field="resident",
        )
    return stay


def _check_date(on: date, *, stay: Stay, field: str) -> None:
    today = stay.organization.today()
    if on > today:
        raise DomainError(_("The date cannot be in the future."), field=field)


@transaction.atomic
def post_entry(
    *,
    stay: Stay,
    kind: str,
    amount: Decimal,
    effective_on: date,
    memo: str = "",
    created_by: User | None = None,
    idempotency_key: str | None = None,
    for_charge: LedgerEntry | None = None,
    carry: bool = False,
    date_field: str = "effective_on",
    house_id: int | None = None,
    **rent,
) -> LedgerEntry | None:
    """Writes one entry (``amount`` already signed). With an idempotency key, a second post of the same key
    writes nothing and returns None: the unique key is the last word, even between two concurrent jobs.

    A date in a closed month is refused (a ``MonthClosed`` error naming ``date_field``) or, with ``carry``, moved to
    the first open day with ``occurred_on`` keeping the real one (see ``billing.services.closing``). The entry is
    posted at the stay's house unless ``house_id`` says otherwise. ``created_by`` is whoever the entry is recorded
    as written by (None for jobs and Stripe); the services calling this one have checked what they may do."""
    if idempotency_key is not None and LedgerEntry.objects.filter(idempotency_key=idempotency_key).exists():
        return None
    lock_books(stay.organization_id)
    effective_on, occurred_on = posting_date(
        organization_id=stay.organization_id, on=effective_on, carry=carry, field=date_field
    )
    if occurred_on is not None:
        note = carried_note(occurred_on)
        memo = memo[: 300 - len(note)] + note
    entry = LedgerEntry(
        organization_id=stay.organization_id,
        resident_id=stay.resident_id,
        stay=stay,
        house_id=house_id or stay.house_id,
        kind=kind,
        amount=amount,
        effective_on=effective_on,
        occurred_on=occurred_on,
        memo=memo[:300],
        created_by=created_by,
        idempotency_key=idempotency_key,
        for_charge=for_charge,
        **rent,
    )
    if idempotency_key is None:
        entry.save()
        return entry
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        if LedgerEntry.objects.filter(idempotency_key=idempotency_key).exists():
            return None  # a concurrent run posted it first
        raise
    return entry


@transaction.atomic
def charge_post(
    *,
    actor: Membership,
    resident: Resident,
    kind: str,
    amount,
    memo: str = "",
    effective_on: date,
    stay: Stay | None = None,
) -> LedgerEntry:
    """Posts a one-off charge (a program fee, a fine, a deposit, a late fee or another charge) to a resident's
    current stay (or their last one, after move-out). Rent is posted by its schedule, not by hand, unless a
    manager is correcting a reversed rent charge. The amount is positive; the date cannot be in the future."""
    if kind not in CHARGE_KINDS:
        raise DomainError(
            _("Choose a charge kind: %(kinds)s.") % {"kinds": ", ".join(sorted(CHARGE_KINDS))}, field="kind"
        )
    amount = clean_amount(amount)
    if stay is None:
        stay = billing_stay(resident)
    elif stay.resident_id != resident.pk:
        raise DomainError(_("This stay belongs to another resident."), field="stay")
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    _check_date(effective_on, stay=stay, field="effective_on")
    if kind == EntryKind.RENT and not memo.strip():
        raise DomainError(_("Say which period a hand-posted rent charge is for."), field="memo")
    return post_entry(stay=stay, kind=kind, amount=amount, effective_on=effective_on, memo=memo, created_by=actor.user)


@transaction.atomic
def credit_post(*, actor: Membership, resident: Resident, amount, memo: str, effective_on: date) -> LedgerEntry:
    """Posts a credit or adjustment (a rent reduction, goodwill): lowers what the resident owes. Needs a memo
    that says why, so the statement explains it."""
    amount = clean_amount(amount)
    if not memo.strip():
        raise DomainError(_("Say why the credit is given."), field="memo")
    stay = billing_stay(resident)
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    _check_date(effective_on, stay=stay, field="effective_on")
    return post_entry(
        stay=stay, kind=EntryKind.CREDIT, amount=-amount, effective_on=effective_on, memo=memo, created_by=actor.user
    )


@transaction.atomic
def refund_post(*, actor: Membership, resident: Resident, amount, memo: str = "", effective_on: date) -> LedgerEntry:
    """Posts a refund: money handed back out to the resident. It raises what they owe (it is stored positive), so
    it may only give back a credit they have: the amount cannot be more than their credit balance."""
    amount = clean_amount(amount)
    # Serialize refunds and balance checks of one resident: two clerks cannot refund one credit twice.
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    stay = billing_stay(resident)
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    _check_date(effective_on, stay=stay, field="effective_on")
    credit = -balance_of(resident.pk)
    if credit <= 0:
        raise DomainError(_("%(resident)s has no credit to refund.") % {"resident": resident}, field="amount")
    if amount > credit:
        only = money_words(credit, stay.organization.currency)
        raise DomainError(
            _("%(resident)s has a credit of only %(amount)s.") % {"resident": resident, "amount": only}, field="amount"
        )
    return post_entry(
        stay=stay,
        kind=EntryKind.REFUND,
        amount=amount,
        effective_on=effective_on,
        memo=memo or "Refund",
        created_by=actor.user,
    )


@transaction.atomic
def entry_reverse(
    *, actor: Membership, entry: LedgerEntry, memo: str = "", effective_on: date | None = None
) -> LedgerEntry:
    """Cancels one entry with an entry of the opposite amount that links to it. An entry is reversed at most once,
    and a reversal itself cannot be reversed (post the right entry instead). Reversing a payment's credit marks the
    payment reversed (a bounced check). Staff of the house the entry was posted at only (``NotAllowed``)."""
    require_staff(actor, organization_id=entry.organization_id, house=entry.house)
    return reverse_entry(entry=entry, memo=memo, effective_on=effective_on, created_by=actor.user)


@transaction.atomic
def reverse_entry(
    *, entry: LedgerEntry, memo: str = "", effective_on: date | None = None, created_by: User | None = None
) -> LedgerEntry:
    """The reversal itself (see ``entry_reverse``), for reactions that follow a change another service allowed (an
    incident's fine withdrawn): ``created_by`` is whoever made that change."""
    entry = LedgerEntry.objects.select_for_update().select_related("stay", "resident").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise DomainError(_("A reversal cannot be reversed; post the right entry instead."), field="entry")
    existing = LedgerEntry.objects.filter(reverses=entry).first()
    if existing is not None:
        raise Conflict(
            _("This entry was already reversed on %(day)s.") % {"day": date_format(existing.effective_on, _("M j, Y"))},
            field="entry",
        )
    today = entry.stay.organization.today()
    effective_on = effective_on or max(today, entry.effective_on)
    if effective_on < entry.effective_on:
        raise DomainError(_("A reversal cannot be dated before the entry it reverses."), field="effective_on")
    if effective_on > max(today, entry.effective_on):
        raise DomainError(_("The date cannot be in the future."), field="effective_on")
    reversal = post_entry(
        stay=entry.stay,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        effective_on=effective_on,
        # The memo is the reason; without one it says what is reversed (billing/memos.py reads either).
        memo=memo.strip() or f"{REVERSES}the {NOUNS[entry.kind]} of {entry.effective_on:%b %-d, %Y}",
        created_by=created_by,
        house_id=entry.house_id,  # a reversal counts where the entry it cancels was posted
        reverses=entry,
    )
    payment = Payment.objects.select_for_update().filter(entry=entry).first()
    if payment is not None:
        payment.status = Payment.Status.REVERSED
        payment.save(update_fields=["status"])
    return reversal
