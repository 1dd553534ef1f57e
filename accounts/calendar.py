"""The calendar every app reads dates by: the week (Monday to Sunday) and an organization's local date."""

from datetime import date, datetime, timedelta

from django.utils import timezone


def week_start(day: date) -> date:
    """The Monday of ``day``'s week: chore rotations, random draws and phase checks all run Monday to Sunday."""
    return day - timedelta(days=day.weekday())


def week_of(day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) that contains ``day``, as its first and last dates."""
    monday = week_start(day)
    return monday, monday + timedelta(days=6)


def local_date(moment: datetime, organization) -> date:
    """The organization's calendar date at an aware moment (a late-evening time is still that day where the
    houses are, not the next day in UTC)."""
    return timezone.localdate(moment, timezone=organization.tzinfo)
