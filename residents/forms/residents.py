"""Resident list filters, the profile form and the portal-login form."""

from django import forms

from residents.models import Resident
from residents.selectors.residents import STATUS_CHOICES

from .widgets import DateInput

PROFILE_FIELDS = [
    "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "phone", "email",
    "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
    "sobriety_date", "referral_source", "payer", "payer_name",
]  # fmt: skip


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100, help_text="Name, phone or e-mail")
    house = forms.TypedChoiceField(label="Living in", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Anyone"), *STATUS_CHOICES])
    owing = forms.BooleanField(label="Owing money", required=False)

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].choices = [("", "Any house"), *((house.pk, house.name) for house in houses)]


class ResidentProfileForm(forms.ModelForm):
    class Meta:
        model = Resident
        fields = PROFILE_FIELDS
        labels = {"legal_first_name": "Legal first name", "legal_last_name": "Legal last name", "email": "E-mail"}
        widgets = {
            "date_of_birth": DateInput,
            "sobriety_date": DateInput,
            "phone": forms.TextInput({"type": "tel"}),
            "emergency_contact_phone": forms.TextInput({"type": "tel"}),
        }


class PortalLoginForm(forms.Form):
    email = forms.EmailField(
        label="E-mail for the portal login", help_text="We e-mail a link to choose a password to this address."
    )
