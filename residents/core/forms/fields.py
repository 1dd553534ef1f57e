"""Widgets the house-life forms share (dates and times: ``accounts.forms``)."""

from django import forms


class ChoiceColumns(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns (long lists such as a drug-test panel)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "choice-columns", **(attrs or {})}, choices=choices)
