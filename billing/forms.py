from datetime import date, timedelta

from django import forms


class StatementForm(forms.Form):
    """Which resident (staff only) and which dates a statement covers."""

    resident = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end cannot be before the start.")
        return data


def default_statement_range(today: date) -> tuple[date, date]:
    """The last three calendar months up to today."""
    first_of_month = today.replace(day=1)
    start = (first_of_month - timedelta(days=1)).replace(day=1)
    start = (start - timedelta(days=1)).replace(day=1)
    return start, today
