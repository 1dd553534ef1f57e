"""Operator forms for answering residents' grievances."""

from django import forms

from residents.models import Grievance

STATUS_CHOICES = [("", "Open and responded"), *Grievance.Status.choices, ("all", "Any status")]


class GrievanceFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)


class GrievanceRespondForm(forms.Form):
    response = forms.CharField(
        label="Response", max_length=5000, widget=forms.Textarea({"rows": 4}),
        help_text="The resident reads this in the portal. It cannot be changed afterwards.",
    )  # fmt: skip
    close = forms.BooleanField(label="Close the grievance with this response", required=False)


class GrievanceCloseForm(forms.Form):
    response = forms.CharField(
        label="Response", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}),
        help_text="Needed to close a grievance nobody has answered yet.",
    )  # fmt: skip
