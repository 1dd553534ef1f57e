"""Operator forms for answering residents' grievances."""

from django import forms
from django.utils.translation import gettext_lazy as _

from residents.models import Grievance

STATUS_CHOICES = [("", "Open and responded"), *Grievance.Status.choices, ("all", "Any status")]


class GrievanceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)


class GrievanceRespondForm(forms.Form):
    response = forms.CharField(
        label=_("Response"), max_length=5000, widget=forms.Textarea({"rows": 4}),
        help_text=_("The resident reads this in the portal. It cannot be changed afterwards."),
    )  # fmt: skip
    close = forms.BooleanField(label=_("Close the grievance with this response"), required=False)


class GrievanceCloseForm(forms.Form):
    response = forms.CharField(
        label=_("Response"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3}),
        help_text=_("Needed to close a grievance nobody has answered yet."),
    )  # fmt: skip
