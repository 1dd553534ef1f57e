"""The sign-out board's night to check and signing a resident out, deciding an overnight pass and recording the
return from one."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput, LocalDateTimeField

DECISIONS = [("approve", "Approve"), ("deny", "Deny")]


class NightForm(forms.Form):
    night = dates.DateField(label=_("Night of"), required=False, widget=DateInput, help_text=_("The evening's date."))


class PassDecisionForm(forms.Form):
    """One waiting pass's decision; each row has its own, prefixed with the pass's id."""

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2}),
        help_text=_("Needed to deny, and to approve beyond the phase's passes a month."),
    )  # fmt: skip
    override = forms.BooleanField(label=_("Approve beyond the phase's allowance"), required=False)

    def __init__(self, *args, pass_, **kwargs):
        self.pass_ = pass_
        kwargs.setdefault("prefix", f"pass-{pass_.pk}")
        super().__init__(*args, **kwargs)


class StaffSignOutForm(forms.Form):
    """Staff sign a resident of the house out (a resident without their phone, or the paper log copied in).

    ``stays`` are the open stays of the house (what a posted choice may be); ``choices`` those of residents who
    are in now, the only ones offered."""

    stay = forms.ModelChoiceField(
        queryset=None, label=_("Resident"), empty_label=_("Choose a resident who is in"),
        help_text=_("Someone already out is signed back in first."),
    )  # fmt: skip
    destination = forms.CharField(
        label=_("Going to"), max_length=200, help_text=_("For example work, an NA meeting, the grocery store."),
        error_messages={"required": _("Say where the resident is going.")},  # the service's words
    )  # fmt: skip
    expected_return_at = LocalDateTimeField(
        label=_("Expected back"), help_text=_("The house's local time; after the time they left.")
    )
    signed_out_at = LocalDateTimeField(
        label=_("Left at"), required=False,
        help_text=_("Empty for now. Or a time already past, copying the paper log: not in the future, not before "
        "move-in, and not inside an earlier sign-out."),
    )  # fmt: skip

    def __init__(self, *args, stays, choices, curfews=None, **kwargs):
        """``curfews``: tonight's ``Curfew`` by stay id, told beside each resident offered."""
        super().__init__(*args, **kwargs)
        self.curfews = curfews = curfews or {}
        field = self.fields["stay"]
        field.queryset = stays

        def label(stay):
            curfew = curfews.get(stay.pk)
            if curfew:
                return gettext("%(resident)s · curfew tonight %(curfew)s") % {
                    "resident": stay.resident,
                    "curfew": curfew.words,
                }
            return gettext("%(resident)s · no curfew tonight") % {"resident": stay.resident}

        offered = [(stay.pk, label(stay)) for stay in choices]
        field.widget.choices = [("", field.empty_label), *offered]
        self.offers_someone = bool(offered)


class PassReturnForm(forms.Form):
    """The return from one approved pass; each pass out now has its own, prefixed with the pass's id."""

    returned_at = LocalDateTimeField(
        label=_("Back at"), required=False,
        help_text=_("Empty for now. Or a time already past: not in the future, not before the pass began."),
    )  # fmt: skip

    def __init__(self, *args, pass_, **kwargs):
        self.pass_ = pass_
        kwargs.setdefault("prefix", f"return-{pass_.pk}")
        super().__init__(*args, **kwargs)
