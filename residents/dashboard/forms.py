"""Forms of the resident page's house-life sections: logging an incident, promoting and demoting, planning a
move-out."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import dates
from accounts.forms import DateInput, LocalDateTimeField
from residents.models import Incident


class IncidentForm(forms.Form):
    occurred_at = LocalDateTimeField(
        label=gettext_lazy("When it happened"), help_text=gettext_lazy("The house's local time.")
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What kind"), choices=[("", "Choose a kind"), *Incident.Category.choices]
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"), choices=Incident.Severity.choices, widget=forms.RadioSelect
    )
    rule_reference = forms.CharField(
        label=gettext_lazy("House rule broken"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("If any, in a few words."),
    )
    what_happened = forms.CharField(
        label=gettext_lazy("What happened"), max_length=10000, widget=forms.Textarea({"rows": 3})
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Consequence"), required=False, choices=[("", "Not decided yet"), *Incident.Action.choices]
    )
    fine_amount = forms.DecimalField(
        label=gettext_lazy("Fine amount"), required=False, max_digits=12, decimal_places=2, min_value=0,
        help_text=gettext_lazy("Only with a fine."),
    )  # fmt: skip
    follow_up_on = dates.DateField(label=gettext_lazy("Follow up on"), required=False, widget=DateInput)


class PromoteForm(forms.Form):
    on = dates.DateField(
        label=gettext_lazy("From"), required=False, widget=DateInput, help_text=gettext_lazy("Default: today.")
    )
    reason = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class DemoteForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea({"rows": 2}),
        help_text=gettext_lazy("A demotion is a consequence: say why."),
    )  # fmt: skip
    to_phase = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("To phase"), required=False, empty_label=gettext_lazy("The next phase down")
    )
    on = dates.DateField(
        label=gettext_lazy("From"), required=False, widget=DateInput, help_text=gettext_lazy("Default: today.")
    )

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].queryset = phases


class PlannedMoveOutForm(forms.Form):
    on = dates.DateField(
        label=gettext_lazy("Planned move-out"), required=False, widget=DateInput,
        help_text=gettext_lazy("The first night away, after today. The bed is offered to the waitlist ahead of it."),
    )  # fmt: skip

    def __init__(self, *args, clearing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.clearing = clearing

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on is None and not self.clearing:
            raise forms.ValidationError(_("Choose the planned move-out date, or clear it."))
        return None if self.clearing else on


class HouseTableForm(forms.Form):
    """The dashboard's house table: a search by house name and what to order the houses by."""

    q = forms.CharField(label=gettext_lazy("House name"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=gettext_lazy("Order by"),
        required=False,
        choices=[
            ("name", gettext_lazy("Name")),
            ("overdue", gettext_lazy("Most tests overdue")),
            ("passes", gettext_lazy("Most passes waiting")),
            ("free", gettext_lazy("Most free beds")),
        ],
    )
