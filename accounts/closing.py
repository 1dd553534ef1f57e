"""Closed months: once an organization closes a month, nothing is dated into it (or before it).

The books close in order (``reports.services.month_close``), so what is closed is everything up to a day: the last
day of the latest closed month. Reports keep the closes and tell this module that day through
``register_closed_through`` (from their AppConfig.ready), so no app below reports imports it.

Every service that writes something a month's figures count (an admission, a discharge, a transfer, an outage, a
bed's or a house's dates, a drug test, an incident, a ledger entry) asks ``refuse_closed_day`` or
``refuse_closed_change`` first: a day on or before the closed-through day is refused with a ``MonthClosed`` error (a
400 naming the field), before anything is written. Both take ``lock_books``, the lock a month close takes too, so
nothing slips into a month while it closes.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .exceptions import Invalid
from .models import Organization

ClosedThroughReader = Callable[[int], date | None]

_reader: ClosedThroughReader | None = None


class MonthClosed(Invalid):
    """A date a person gave falls in a closed month."""


def register_closed_through(read: ClosedThroughReader) -> None:
    """Reports register the reader of an organization's closed-through day (None when no month is closed)."""
    global _reader
    _reader = read


def closed_through(organization_id: int) -> date | None:
    """The last day of the organization's latest closed month; None when no month is closed."""
    return _reader(organization_id) if _reader is not None else None


def lock_books(organization_id: int) -> None:
    """Takes the organization's row lock for the rest of the transaction. Every dated write takes it before reading
    the closed-through day and a month close takes it before closing, so a write cannot land in a month closed at the
    same moment."""
    Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk", flat=True).first()


def _reopen(through: date) -> str:
    return _("ask an operator to reopen %(month)s") % {"month": date_format(through, _("F Y"))}


def refuse_closed_day(*, organization_id: int, on: date, field: str, what: str) -> None:
    """Refuses ``on`` (the night or day ``what`` is dated) when it lies in a closed month. ``what`` names the change
    for a person ("an admission"); ``field`` is the input the error is shown beside."""
    lock_books(organization_id)
    through = closed_through(organization_id)
    if through is not None and on <= through:
        raise _dated_into(on, through, field=field, what=what)


def refuse_closed_change(*, organization_id: int, old: date | None, new: date | None, field: str, what: str) -> None:
    """Refuses moving a boundary (a first or last night; None: open-ended) from ``old`` to ``new`` when that changes a
    night of a closed month: the nights between the two dates change, so both must lie after the closed-through day
    (or be None). ``what`` names the boundary ("the bed's retirement")."""
    lock_books(organization_id)
    through = closed_through(organization_id)
    if old == new or through is None:
        return
    if old is not None and old <= through:
        raise MonthClosed(
            _(
                "%(month)s is closed; %(what)s on %(day)s is part of it and cannot change. Leave it as it is, "
                "or %(reopen)s."
            )
            % {
                "month": date_format(old, _("F Y")),
                "what": what,
                "day": date_format(old, _("M j, Y")),
                "reopen": _reopen(through),
            },
            field=field,
        )
    if new is not None and new <= through:
        raise _dated_into(new, through, field=field, what=what)


def _dated_into(day: date, through: date, *, field: str, what: str) -> MonthClosed:
    first_open = through + timedelta(days=1)
    return MonthClosed(
        _("%(month)s is closed; %(what)s cannot be dated %(day)s. Date it %(first_open)s or later, or %(reopen)s.")
        % {
            "month": date_format(day, _("F Y")),
            "what": what,
            "day": date_format(day, _("M j, Y")),
            "first_open": date_format(first_open, _("M j, Y")),
            "reopen": _reopen(through),
        },
        field=field,
    )
