"""Datetimes over the API: always with their UTC offset.

A time sent without an offset could mean any zone: read in UTC it put a drug test collected at 3 a.m. on November 1
into October. So the API refuses it and says how to write it, in a body field and in a query parameter alike; every
datetime it returns carries the offset of the organization's time zone (which ``ViewerMixin`` activates for the
request, whether it came with a session or a token).
"""

from datetime import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_filters.fields import IsoDateTimeField
from rest_framework import serializers

from .dates import OUT_OF_RANGE, is_sane_date, validate_sane_date

EXAMPLE = "2026-11-01T03:00:00-05:00"


class OffsetDateTimeField(serializers.DateTimeField):
    """An aware datetime: input must name its UTC offset (``Z`` or ``±hh:mm``); output is in the organization's
    time zone, with its offset."""

    default_error_messages = {
        "offset_required": "Give the time with its UTC offset, for example {example}.",
        "date_out_of_range": OUT_OF_RANGE,
    }

    def to_internal_value(self, value):
        moment = value if isinstance(value, datetime) else _parse(value)
        if moment is not None and timezone.is_naive(moment):
            self.fail("offset_required", example=self._example(moment))
        if moment is not None and not is_sane_date(moment):  # before converting zones, which year 1 cannot survive
            self.fail("date_out_of_range")
        return super().to_internal_value(value)

    def _example(self, naive: datetime) -> str:
        """The time as sent, with the offset the organization's clock has then: most likely what was meant."""
        zone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
        try:
            return timezone.make_aware(naive.replace(microsecond=0), zone).isoformat()
        except (OverflowError, ValueError):
            return EXAMPLE


class OffsetDateTimeFormField(IsoDateTimeField):
    """A query parameter's datetime, with its UTC offset."""

    default_validators = [validate_sane_date]

    default_error_messages = {
        "invalid": f"Give the time with its UTC offset, for example {EXAMPLE} (in a URL, write + as %%2B).",
    }

    def to_python(self, value):
        moment = _parse(value.strip()) if isinstance(value, str) else None
        if moment is not None and timezone.is_naive(moment):
            raise ValidationError(self.error_messages["invalid"], code="offset_required")
        return super().to_python(value)


class OffsetDateTimeFilter(django_filters.IsoDateTimeFilter):
    """A datetime filter that refuses a time without its UTC offset, as the API's datetime fields do."""

    field_class = OffsetDateTimeFormField


def _parse(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None
