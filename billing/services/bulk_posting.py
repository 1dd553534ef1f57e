"""Posting many keyed entries at once, for the daily jobs (rent, late fees).

The rules are ``post_entry``'s: a keyed entry is written at most once (``INSERT ... ON CONFLICT DO NOTHING`` on the
unique idempotency key, so two jobs at once cannot both write it), and an entry dated in a closed month is carried to
the first open day with ``occurred_on`` keeping the real day and the memo saying so (``billing.services.closing``).
The caller takes the books' locks first (``books_locked``) and builds the entries under them, so the closed-through
day it reads cannot move before they are written.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from ..models import LedgerEntry
from .closing import carried_note, closed_through, lock_books

BATCH = 1000


def books_locked(organization_ids: Iterable[int]) -> dict[int, date | None]:
    """Takes each organization's books lock (in id order, so two jobs cannot wait on each other) for the rest of the
    transaction and reads its closed-through day: {organization id: last closed day or None}."""
    through = {}
    for organization_id in sorted(set(organization_ids)):
        lock_books(organization_id)
        through[organization_id] = closed_through(organization_id)
    return through


def post_keyed_entries(entries: list[LedgerEntry], *, closed: dict[int, date | None]) -> list[LedgerEntry]:
    """Writes unsaved entries, each with an idempotency key, in a few statements whatever their number; a key
    already in the ledger is skipped. ``closed`` is ``books_locked``'s answer. Returns the entries this call wrote,
    their ids read back by key (PostgreSQL returns no ids for rows it may have skipped), in the order written."""
    if not entries:
        return []
    stamp = timezone.now()  # tells this call's rows from any a concurrent run wrote under the same keys
    for entry in entries:
        through = closed[entry.organization_id]
        if through is not None and entry.effective_on <= through:
            entry.occurred_on, entry.effective_on = entry.effective_on, through + timedelta(days=1)
            note = carried_note(entry.occurred_on)
            entry.memo = entry.memo[: 300 - len(note)] + note
        entry.memo = entry.memo[:300]
        entry.created_at = stamp
    LedgerEntry.objects.bulk_create(entries, batch_size=BATCH, ignore_conflicts=True)
    by_key = {entry.idempotency_key: entry for entry in entries}
    # Read back by stay (indexed, and far fewer ids to send than keys) and this call's stamp.
    rows = LedgerEntry.objects.filter(stay_id__in={entry.stay_id for entry in entries}, created_at=stamp)
    written = []
    for pk, key in rows.values_list("pk", "idempotency_key"):
        entry = by_key.get(key)
        if entry is not None:
            entry.pk, entry._state.adding, entry._state.db = pk, False, rows.db
            written.append(entry)
    return sorted(written, key=lambda entry: entry.pk)
