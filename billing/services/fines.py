"""Fines from incidents: an incident whose consequence is a fine charges each resident involved its amount.

The ledger follows the incident as it is recorded and corrected, without ever counting a fine twice:
- each resident involved owes one fine of the incident's amount, dated the day it happened and posted to the stay
  they were living in;
- when the amount changes, the resident's fine is reversed and the new amount posted; when a resident is no longer
  involved, or the consequence is no longer a fine, their fine is reversed;
- a fine a manager reversed by hand (forgiven) stays reversed while the incident keeps that amount.
Each posting carries the key ``incident-fine:<incident>:<resident>:<n>``, so a repeated save posts nothing twice.
"""

from collections import defaultdict
from decimal import Decimal

from accounts.calendar import local_date
from accounts.models import User
from residents.core.selectors.nights import residence_on_day
from residents.models import Incident

from ..models import EntryKind, LedgerEntry
from .ledger import post_entry, reverse_entry


def _key_prefix(incident: Incident) -> str:
    return f"incident-fine:{incident.pk}:"


def incident_fines_sync(*, incident: Incident, created_by: User | None) -> None:
    """Brings the fines posted for ``incident`` in line with its action, amount and residents (see module rules).
    Callers hold the incident's row lock or have just created it, so two saves of one incident do not interleave.
    A reaction to a change the incident services allowed: ``created_by`` is who made it, the author of the entries."""
    day = local_date(incident.occurred_at, incident.organization)
    involved = {resident.pk: resident for resident in incident.residents.all()}
    wanted: dict[int, Decimal] = {}
    if incident.action == Incident.Action.FINE and incident.fine_amount:
        wanted = dict.fromkeys(involved, incident.fine_amount)

    posted: dict[int, list[LedgerEntry]] = defaultdict(list)
    entries = LedgerEntry.objects.filter(idempotency_key__startswith=_key_prefix(incident), kind=EntryKind.FINE)
    for entry in entries.select_related("reversed_by").order_by("pk"):
        posted[entry.resident_id].append(entry)

    for resident_id in posted.keys() | wanted.keys():
        history = posted.get(resident_id, [])
        latest = history[-1] if history else None
        amount = wanted.get(resident_id)
        if latest is not None and latest.amount == amount:
            continue  # already charged this amount (or a manager forgave it)
        if latest is not None and not hasattr(latest, "reversed_by"):
            # The reason reads after "Reverses the fine of <day>: " (billing/memos.py).
            reason = "the incident no longer carries a fine" if amount is None else "the incident's fine was changed"
            reverse_entry(entry=latest, memo=reason, created_by=created_by)
        if amount is None:
            continue
        residence = residence_on_day(resident=involved[resident_id], day=day)
        memo = f"Fine: {incident.get_category_display().lower()} incident on {day:%b %-d, %Y}"
        if incident.rule_reference:
            memo += f" ({incident.rule_reference})"
        post_entry(
            stay=residence.stay,
            kind=EntryKind.FINE,
            amount=amount,
            effective_on=day,
            memo=memo,
            created_by=created_by,
            idempotency_key=f"{_key_prefix(incident)}{resident_id}:{len(history) + 1}",
            carry=True,  # an incident of a closed month is fined on the first open day
        )
