from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates so the value round-trips."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
