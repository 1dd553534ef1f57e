"""What a ledger entry is, in plain words, for the resident's own ledger and statement.

The services write a memo for every entry they post (rent for which nights, which rent a late fee is for, which
incident a fine is for, how a payment was made); staff type one for one-off charges, credits and reversals. A memo
that does not say what kind of entry it is gets the kind in front ("Fine: broke the TV remote"), an entry without a
memo reads as its kind, and a reversal says what it cancels and why: "Reverses the late fee of Mar 6: charged by
mistake"; the reason is the memo given to ``entry_reverse``, as it was typed.

Memos are stored in English. In another language the words are built at display time from what the entry is (its
kind, the nights a rent charge covers, the rent a late fee is for, how a payment was made), never by translating the
stored text: a memo a staff member typed is shown as typed, after the kind; a memo a job wrote is replaced by words
of the active language.
"""

from datetime import date

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import EntryKind, LedgerEntry, Payment

# How each kind is named in a sentence ("Reverses the late fee of ..."), and at the head of a memo that lacks it.
NOUNS = {
    EntryKind.RENT: "rent charge",
    EntryKind.DEPOSIT: "security deposit",
    EntryKind.PROGRAM_FEE: "program fee",
    EntryKind.LATE_FEE: "late fee",
    EntryKind.FINE: "fine",
    EntryKind.OTHER: "charge",
    EntryKind.PAYMENT: "payment",
    EntryKind.CREDIT: "credit",
    EntryKind.REFUND: "refund",
}
# Words that show a memo already says what kind of entry it is.
SAYS_ITS_KIND = {
    EntryKind.RENT: ("rent",),
    EntryKind.DEPOSIT: ("deposit",),
    EntryKind.PROGRAM_FEE: ("program fee",),
    EntryKind.LATE_FEE: ("late fee",),
    EntryKind.FINE: ("fine", "fee"),
    EntryKind.OTHER: ("charge", "fee", "deduction"),
    EntryKind.PAYMENT: ("payment", "paid"),
    EntryKind.CREDIT: ("credit", "adjust", "applied"),
    EntryKind.REFUND: ("refund", "returned", "dispute"),
}
# Reversals written without a reason start with this (``entry_reverse``'s own memo).
REVERSES = "Reverses "

# The same, in the active language (see the module docstring): the head of an entry of each kind ...
LABELS = {
    EntryKind.RENT: pgettext_lazy("ledger entry", "Rent charge"),
    EntryKind.DEPOSIT: pgettext_lazy("ledger entry", "Security deposit"),
    EntryKind.PROGRAM_FEE: pgettext_lazy("ledger entry", "Program fee"),
    EntryKind.LATE_FEE: pgettext_lazy("ledger entry", "Late fee"),
    EntryKind.FINE: pgettext_lazy("ledger entry", "Fine"),
    EntryKind.OTHER: pgettext_lazy("ledger entry", "Charge"),
    EntryKind.PAYMENT: pgettext_lazy("ledger entry", "Payment"),
    EntryKind.CREDIT: pgettext_lazy("ledger entry", "Credit"),
    EntryKind.REFUND: pgettext_lazy("ledger entry", "Refund"),
}
# ... what a reversal of each kind says ...
REVERSALS = {
    EntryKind.RENT: gettext_lazy("Reverses the rent charge of %(day)s"),
    EntryKind.DEPOSIT: gettext_lazy("Reverses the security deposit of %(day)s"),
    EntryKind.PROGRAM_FEE: gettext_lazy("Reverses the program fee of %(day)s"),
    EntryKind.LATE_FEE: gettext_lazy("Reverses the late fee of %(day)s"),
    EntryKind.FINE: gettext_lazy("Reverses the fine of %(day)s"),
    EntryKind.OTHER: gettext_lazy("Reverses the charge of %(day)s"),
    EntryKind.PAYMENT: gettext_lazy("Reverses the payment of %(day)s"),
    EntryKind.CREDIT: gettext_lazy("Reverses the credit of %(day)s"),
    EntryKind.REFUND: gettext_lazy("Reverses the refund of %(day)s"),
}
# ... and the memos the services write word for word.
FIXED_MEMOS = {
    "Security deposit applied at move-out": gettext_lazy("Security deposit applied at move-out"),
    "Security deposit refunded": gettext_lazy("Security deposit refunded"),
    "Bank debit on its way: credited when it settles": gettext_lazy("Bank debit on its way: credited when it settles"),
    "Refund": pgettext_lazy("ledger entry", "Refund"),
}
# How a payment was made, in "Payment by ...".
PAID_BY = {
    Payment.Method.CASH: gettext_lazy("Cash payment"),
    Payment.Method.CHECK: gettext_lazy("Check payment"),
    Payment.Method.MONEY_ORDER: gettext_lazy("Money order payment"),
    Payment.Method.AGENCY: gettext_lazy("Payment from an agency"),
    Payment.Method.FAMILY: gettext_lazy("Payment from family"),
    Payment.Method.VOUCHER: gettext_lazy("Voucher payment"),
    Payment.Method.CARD: gettext_lazy("Online payment by card"),
    Payment.Method.BANK_DEBIT: gettext_lazy("Online payment by bank debit"),
}
ONLINE_PAID = {
    Payment.Method.CARD: gettext_lazy("Paid online by card"),
    Payment.Method.BANK_DEBIT: gettext_lazy("Paid online by bank debit"),
}


def day_words(day: date, *, beside: date) -> str:
    """``Mar 6``, with the year only when it is not the year of ``beside``."""
    return f"{day:%b %-d}" if day.year == beside.year else f"{day:%b %-d, %Y}"


def reversal_reason(memo: str) -> str:
    """The why of a reversal: the memo given, without the "Reverses ..." sentence written when none was given."""
    memo = memo.strip()
    if memo.startswith(REVERSES):
        _sentence, _colon, reason = memo.partition(": ")
        return reason.strip()
    return memo


def english(text) -> str:
    """A label (lazy) as English, for text stored in the ledger."""
    with translation.override("en"):
        return str(text)


def in_english() -> bool:
    return (translation.get_language() or "en").split("-")[0] == "en"


def local_day(day: date, *, beside: date) -> str:
    """``day_words`` in the active language."""
    return date_format(day, _("M j") if day.year == beside.year else _("M j, Y"))


def entry_words(entry: LedgerEntry) -> str:
    """What ``entry`` is, in plain words (see the module docstring). A reversal reads the entry it reverses: join
    ``reverses`` when listing entries."""
    if not in_english():
        return local_entry_words(entry)
    if entry.kind == EntryKind.REVERSAL and entry.reverses_id:
        cancelled = entry.reverses
        text = f"Reverses the {NOUNS[cancelled.kind]} of {day_words(cancelled.effective_on, beside=entry.effective_on)}"
        reason = reversal_reason(entry.memo)
        return f"{text}: {reason}" if reason else text
    memo = entry.memo.strip()
    label = NOUNS.get(entry.kind, entry.get_kind_display().lower()).capitalize()
    if not memo:
        return label
    if any(word in memo.lower() for word in SAYS_ITS_KIND.get(entry.kind, ())):
        return memo
    return f"{label}: {memo}"


def local_entry_words(entry: LedgerEntry) -> str:
    """``entry_words`` in a language other than English: built from the entry, not from its stored memo."""
    if entry.kind == EntryKind.REVERSAL and entry.reverses_id:
        cancelled = entry.reverses
        text = REVERSALS[cancelled.kind] % {"day": local_day(cancelled.effective_on, beside=entry.effective_on)}
        reason = reversal_reason(entry.memo)
        return _("%(what)s: %(reason)s") % {"what": text, "reason": reason} if reason else text
    memo = entry.memo.strip()
    if memo in FIXED_MEMOS:
        return str(FIXED_MEMOS[memo])
    if entry.kind == EntryKind.RENT and entry.billed_from and entry.billed_to:
        last = date.fromordinal(entry.billed_to.toordinal() - 1)
        if last == entry.billed_from:
            return _("Rent for the night of %(day)s") % {"day": date_format(last, _("M j, Y"))}
        return _("Rent for the nights from %(start)s to %(end)s") % {
            "start": local_day(entry.billed_from, beside=last),
            "end": date_format(last, _("M j, Y")),
        }
    if entry.kind == EntryKind.LATE_FEE and entry.for_charge_id:
        return _("Late fee: rent due %(day)s unpaid after the grace days") % {
            "day": date_format(entry.for_charge.effective_on, _("M j, Y"))
        }
    if entry.kind == EntryKind.CREDIT and (entry.idempotency_key or "").startswith("rent-adjust:"):
        return _("Rent adjusted for move-out")
    payment = getattr(entry, "payment", None) if entry.kind == EntryKind.PAYMENT else None
    if payment is not None and payment.method in PAID_BY:
        return str(PAID_BY[payment.method])
    label = str(LABELS.get(entry.kind, entry.get_kind_display()))
    if not memo or entry.created_by_id is None:
        return label  # a job's memo in English: the kind says it in this language
    return _("%(what)s: %(reason)s") % {"what": label, "reason": memo}


def payment_memo(memo: str, payment: Payment) -> str:
    """A payment's note on its receipt: typed by staff (shown as typed), or written for an online payment."""
    if in_english() or not memo.startswith("Paid online by "):
        return memo
    return str(ONLINE_PAID.get(payment.method, memo))
