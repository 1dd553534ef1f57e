"""Rent periods and proration: pure date arithmetic, no database.

A rent period runs from one due date up to (not including) the next. Monthly rent is due on a day of the month;
days 29-31 fall on the last day of shorter months (due day 31: Jan 31, Feb 28, Mar 31, Apr 30). Weekly rent is due
every chosen weekday; rent every two weeks is due on that weekday every other week, counting from the first such
weekday on or after the day the schedule starts.

Proration (at move-in, move-out and where one schedule hands over to the next): a charge for part of a period is

    amount x (nights of the stay within the period) / (nights in the period)

rounded half-up to the cent. A full period is charged exactly ``amount``. A night is the date it begins, as for
occupancy: a resident staying from move-in M to move-out O sleeps the nights M <= night < O.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from billing.models.terms import CENT, RentPeriod


@dataclass(frozen=True)
class Terms:
    period: str
    due_weekday: int | None = None
    due_day: int | None = None
    anchor: date | None = None  # every two weeks: any due date of the series


@cache  # pure, and the daily rent job asks it for the same few months for every stay
def monthly_due_date(year: int, month: int, due_day: int) -> date:
    return date(year, month, min(due_day, monthrange(year, month)[1]))


def _add_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def first_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def period_containing(terms: Terms, day: date) -> tuple[date, date]:
    """The period ``[start, end)`` that night ``day`` falls in."""
    if terms.period == RentPeriod.MONTHLY:
        start = monthly_due_date(day.year, day.month, terms.due_day)
        if start > day:
            start = monthly_due_date(*_add_month(day.year, day.month, -1), terms.due_day)
        return start, monthly_due_date(*_add_month(start.year, start.month, 1), terms.due_day)
    if terms.period == RentPeriod.WEEKLY:
        start = day - timedelta(days=(day.weekday() - terms.due_weekday) % 7)
        return start, start + timedelta(days=7)
    if terms.period == RentPeriod.BIWEEKLY:
        start = terms.anchor + timedelta(days=14 * ((day - terms.anchor).days // 14))
        return start, start + timedelta(days=14)
    raise ValueError(f"Unknown rent period {terms.period!r}")


def periods_overlapping(terms: Terms, first_night: date, until: date):
    """Every period holding at least one night of ``[first_night, until)``, in order."""
    start, end = period_containing(terms, first_night)
    while start < until:
        yield start, end
        start, end = period_containing(terms, end)


def prorate(amount: Decimal, nights: int, period_nights: int) -> Decimal:
    """``amount x nights / period_nights``, rounded half-up to the cent (exactly ``amount`` for a full period)."""
    if nights >= period_nights:
        return amount
    return (amount * nights / period_nights).quantize(CENT, rounding=ROUND_HALF_UP)
