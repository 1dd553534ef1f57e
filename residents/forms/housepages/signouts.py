"""The sign-out board's night to check, and deciding an overnight pass."""

from django import forms

from ..widgets import DateInput

DECISIONS = [("approve", "Approve"), ("deny", "Deny")]


class NightForm(forms.Form):
    night = forms.DateField(label="Night of", required=False, widget=DateInput, help_text="The evening's date.")


class PassDecisionForm(forms.Form):
    """One waiting pass's decision; each row has its own, prefixed with the pass's id."""

    decision = forms.ChoiceField(label="Decision", choices=DECISIONS)
    reason = forms.CharField(
        label="Reason", required=False, max_length=2000, widget=forms.Textarea({"rows": 2}),
        help_text="Needed to deny, and to approve beyond the phase's passes a month.",
    )  # fmt: skip
    override = forms.BooleanField(label="Approve beyond the phase's allowance", required=False)

    def __init__(self, *args, pass_, **kwargs):
        self.pass_ = pass_
        kwargs.setdefault("prefix", f"pass-{pass_.pk}")
        super().__init__(*args, **kwargs)
