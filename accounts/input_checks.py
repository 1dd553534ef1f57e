"""Checks services share on what a person sent: a moment that is not in the future, a value among its choices."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import Invalid

CLOCK_SKEW = timedelta(minutes=5)  # a phone clock slightly ahead of the server is not "the future"


def check_moment(moment: datetime, *, field: str) -> None:
    if timezone.is_naive(moment):
        raise Invalid(_("Give a time zone with the time (for example 2026-03-01T09:30:00-06:00)."), field=field)
    if moment > timezone.now() + CLOCK_SKEW:
        raise Invalid(_("This cannot be in the future."), field=field)


def check_choice(value: str, choices, *, field: str) -> None:
    if value not in choices.values:
        raise Invalid(_("“%(value)s” is not a valid choice.") % {"value": value}, field=field)
