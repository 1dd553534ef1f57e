"""The one range of dates Hearth takes from outside: years 1900 to 2200.

A date far outside it is a typo or a probe, and near the ends of Python's calendar (year 1, year 9999) the next
night, the week's Monday or midnight in another time zone does not exist, so arithmetic on it fails. Every date that
comes in (API bodies, query parameters, filters, page forms) is checked here first, so none reaches that arithmetic.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError

EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
OUT_OF_RANGE = "Give a date between the years 1900 and 2200."


def is_sane_date(value: date) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def validate_sane_date(value) -> None:
    """A validator for date and datetime fields (Django forms, django-filter and DRF fields alike)."""
    if isinstance(value, date) and not is_sane_date(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")


def attach_sane_date_validator(field) -> None:
    """Adds the range check to a form or serializer field that takes a date or a datetime (once)."""
    if validate_sane_date not in field.validators:
        field.validators = [*field.validators, validate_sane_date]


class DateField(forms.DateField):
    """A page form's date, within the years 1900 to 2200."""

    default_validators = [validate_sane_date]


class DateTimeField(forms.DateTimeField):
    """A page form's date and time, within the years 1900 to 2200."""

    default_validators = [validate_sane_date]


def formfield(db_field, **kwargs):
    """A ModelForm's ``Meta.formfield_callback``: a model's dates get the same range check as any other form's."""
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        attach_sane_date_validator(field)
    return field
