"""The sign-out board's night to check and signing a resident out, deciding an overnight pass and recording the
return from one."""

from django import forms

from accounts import dates
from accounts.forms import DateInput, LocalDateTimeField

DECISIONS = [("approve", "Approve"), ("deny", "Deny")]


class NightForm(forms.Form):
    night = dates.DateField(label="Night of", required=False, widget=DateInput, help_text="The evening's date.")


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


class StaffSignOutForm(forms.Form):
    """Staff sign a resident of the house out (a resident without their phone, or the paper log copied in).

    ``stays`` are the open stays of the house (what a posted choice may be); ``choices`` those of residents who
    are in now, the only ones offered."""

    stay = forms.ModelChoiceField(
        queryset=None, label="Resident", empty_label="Choose a resident who is in",
        help_text="Someone already out is signed back in first.",
    )  # fmt: skip
    destination = forms.CharField(
        label="Going to", max_length=200, help_text="For example work, an NA meeting, the grocery store.",
        error_messages={"required": "Say where the resident is going."},  # the service's words
    )  # fmt: skip
    expected_return_at = LocalDateTimeField(
        label="Expected back", help_text="The house's local time; after the time they left."
    )
    signed_out_at = LocalDateTimeField(
        label="Left at", required=False,
        help_text="Empty for now. Or a time already past, copying the paper log: not in the future, not before "
        "move-in, and not inside an earlier sign-out.",
    )  # fmt: skip

    def __init__(self, *args, stays, choices, curfews=None, **kwargs):
        """``curfews``: tonight's ``Curfew`` by stay id, told beside each resident offered."""
        super().__init__(*args, **kwargs)
        self.curfews = curfews = curfews or {}
        field = self.fields["stay"]
        field.queryset = stays

        def label(stay):
            curfew = curfews.get(stay.pk)
            return f"{stay.resident} · " + (f"curfew tonight {curfew.words}" if curfew else "no curfew tonight")

        offered = [(stay.pk, label(stay)) for stay in choices]
        field.widget.choices = [("", field.empty_label), *offered]
        self.offers_someone = bool(offered)


class PassReturnForm(forms.Form):
    """The return from one approved pass; each pass out now has its own, prefixed with the pass's id."""

    returned_at = LocalDateTimeField(
        label="Back at", required=False,
        help_text="Empty for now. Or a time already past: not in the future, not before the pass began.",
    )  # fmt: skip

    def __init__(self, *args, pass_, **kwargs):
        self.pass_ = pass_
        kwargs.setdefault("prefix", f"return-{pass_.pk}")
        super().__init__(*args, **kwargs)
