"""Widgets and fields the house-life forms share."""

from django import forms
from django.utils import timezone

from accounts import dates


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker. Values are shown on the house's clock (the caller activates it)."""

    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class LocalDateTimeField(dates.DateTimeField):
    """A moment typed on the house's clock; the view validates the form with that time zone active."""

    widget = DateTimeInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ChoiceColumns(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns (long lists such as a drug-test panel)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "choice-columns", **(attrs or {})}, choices=choices)


def valid_on_clock(form, tzinfo) -> bool:
    """Validates ``form`` reading typed times on ``tzinfo`` (the organization's clock)."""
    with timezone.override(tzinfo):
        return form.is_valid()
