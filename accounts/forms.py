"""Widgets and fields every app's page forms share: the browser's date and date-and-time pickers, and a moment
typed on the organization's clock."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dates


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates so the value round-trips."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker. Values are shown on the current clock (the organization's, on pages)."""

    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class LocalDateTimeField(dates.DateTimeField):
    """A moment typed on the house's clock; the view validates the form with that time zone active
    (``valid_on_clock``)."""

    widget = DateTimeInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def valid_on_clock(form, tzinfo) -> bool:
    """Validates ``form`` reading typed times on ``tzinfo`` (the organization's clock)."""
    with timezone.override(tzinfo):
        return form.is_valid()


def invitation_language_field() -> forms.ChoiceField:
    """The optional language of an invitation (``Membership.invited_language``): its e-mail's and, for someone new,
    Hearth's once they accept. Languages are named in their own words (English, Español)."""
    return forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("", _("Their own (English for someone new)")), *settings.LANGUAGES],
        required=False,
        help_text=_("The e-mail is written in it, and someone new reads Hearth in it once they accept."),
    )
