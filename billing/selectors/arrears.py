"""Past-due rent per resident, for pages outside billing (bed board badges, the residents list's sort, a resident's
summary). Registered with ``residents.core.selectors.residents`` in ``BillingConfig.ready``, so residents never imports
billing.

Past due means what the aging report calls delinquent: a charge still open at least one day after its effective
date, payments having paid the oldest charges first (``allocation.py``).
"""

from collections.abc import Iterable
from datetime import date

from residents.core.selectors.residents import PastDue

from ..models import LedgerEntry
from .allocation import LINE_FIELDS, ZERO, Line, allocate


def past_due_of(resident_ids: Iterable[int], *, on: date) -> dict[int, PastDue]:
    """Residents of ``resident_ids`` with a charge past due on ``on``: what is past due, since when (the oldest open
    charge's effective date) and for how many days. The others are left out. One query for any number of
    residents (``resident_ids`` may be a list or a queryset of ids)."""
    entries = LedgerEntry.objects.filter(resident_id__in=resident_ids, effective_on__lte=on)
    lines = (Line(*row) for row in entries.order_by().values_list(*LINE_FIELDS))
    answers = {}
    for resident_id, position in allocate(lines, on=on).items():
        late = [charge for charge in position.open_charges if charge.days_past >= 1]
        if late:
            oldest = late[0]  # open charges come oldest first
            owed = sum((charge.open for charge in late), ZERO)
            answers[resident_id] = PastDue(owed=owed, since=oldest.effective_on, days=oldest.days_past)
    return answers
