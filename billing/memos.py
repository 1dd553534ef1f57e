"""What a ledger entry is, in plain words, for the resident's own ledger and statement.

The services write a memo for every entry they post (rent for which nights, which rent a late fee is for, which
incident a fine is for, how a payment was made); staff type one for one-off charges, credits and reversals. A memo
that does not say what kind of entry it is gets the kind in front ("Fine: broke the TV remote"), an entry without a
memo reads as its kind, and a reversal says what it cancels and why: "Reverses the late fee of Mar 6: charged by
mistake"; the reason is the memo given to ``entry_reverse``, as it was typed.
"""

from datetime import date

from .models import EntryKind, LedgerEntry

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


def entry_words(entry: LedgerEntry) -> str:
    """What ``entry`` is, in plain words (see the module docstring). A reversal reads the entry it reverses: join
    ``reverses`` when listing entries."""
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
