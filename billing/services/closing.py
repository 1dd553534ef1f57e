"""Closed months: once an organization closes a month, nothing is dated into it (or before it).

The books close in order (``reports.services.month_close``), so what is closed is everything up to a day: the last
day of the latest closed month. Reports keep the closes and tell that day to ``accounts.closing`` (from their
AppConfig.ready), which every dated write asks, so billing never imports reports.

``post_entry`` is the one place that writes ledger entries, and it asks ``posting_date`` for every one of them:

- an entry a person dates by hand (a charge, credit, refund, reversal or deposit settlement through the API or a
  page) into a closed month is refused with a ``MonthClosed`` error (a 400 naming the date field); nothing is written;
- an entry that follows from something that happened then (a payment received then but recorded late, a Stripe
  event, rent or a late fee the jobs post late, a deposit or fine from a backdated admission or incident) is posted on
  the first day of the first open month instead. Its ``occurred_on`` keeps the real day, its memo says so, and its
  links (``reverses``, ``for_charge``, the rent period) tie it to what it corrects. A payment keeps the day the
  money came as its ``received_on`` (the receipt's date); its ledger credit is what the month figures count.
"""

from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# One closed-through day for every app: billing's entries, stays, beds, houses and drug tests ask the same reader.
from accounts.closing import MonthClosed, closed_through, lock_books, register_closed_through

__all__ = ["MonthClosed", "carried_note", "closed_through", "lock_books", "posting_date", "register_closed_through"]


def posting_date(
    *, organization_id: int, on: date, carry: bool, field: str = "effective_on"
) -> tuple[date, date | None]:
    """The day an entry wanted on ``on`` is dated, and the day it really belongs to when that differs.

    Refuses (``carry=False``) or moves to the first open day (``carry=True``) a day in a closed month. Call under
    ``lock_books``."""
    through = closed_through(organization_id)
    if through is None or on > through:
        return on, None
    first_open = through + timedelta(days=1)
    if not carry:
        raise MonthClosed(
            _(
                "%(month)s is closed, and so is every month before it: nothing can be dated %(day)s. Date it "
                "%(first_open)s or later (the entry then corrects the closed month from the first open one)."
            )
            % {
                "month": date_format(through, _("F Y")),
                "day": date_format(on, _("M j, Y")),
                "first_open": date_format(first_open, _("M j, Y")),
            },
            field=field,
        )
    return first_open, on


def carried_note(occurred_on: date) -> str:
    """The memo's note on an entry carried out of a closed month."""
    return f" (belongs to {occurred_on:%b %-d, %Y}; {occurred_on:%B %Y} was closed)"
