"""Resident list filters, the profile form and the portal-login form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput
from residents.core.selectors.residents import SORT_CHOICES, STATUS_CHOICES
from residents.models import Resident

PROFILE_FIELDS = [
    "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "phone", "email",
    "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
    "sobriety_date", "referral_source", "payer", "payer_name", "preferred_language",
]  # fmt: skip


# Beyond this many houses the list's house filter is a search by name rather than a list of every house.
HOUSES_LISTED_AT_MOST = 100


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Name, phone or e-mail"))
    house = forms.TypedChoiceField(label=_("Living in"), required=False, coerce=int, empty_value=None)
    # People living in a house now unless another status is chosen; "all" shows past residents and the rest too.
    status = forms.ChoiceField(
        label=_("Status"), required=False, initial="current", choices=[*STATUS_CHOICES, ("all", "Anyone")]
    )
    owing = forms.BooleanField(label=_("Owing money"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    house_name = forms.CharField(label=_("House name"), required=False, max_length=100)

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        houses = houses.order_by("name", "pk")
        listed = list(houses.values_list("pk", "name")[: HOUSES_LISTED_AT_MOST + 1])
        if len(listed) <= HOUSES_LISTED_AT_MOST:
            del self.fields["house_name"]
            self.fields["house"].choices = [("", "Any house"), *listed]
            return
        # Too many houses to list: a search by name, and a house chosen elsewhere (a link) kept as it is.
        chosen = self.data.get("house") if self.is_bound else None
        known = list(houses.filter(pk=chosen).values_list("pk", "name")) if str(chosen or "").isdigit() else []
        self.fields["house"].choices = [("", "Any house"), *known]
        self.fields["house"].widget = forms.HiddenInput()

    def status_filter(self) -> str:
        """What ``residents_list`` is asked for: people living here now unless another status was chosen."""
        chosen = self.cleaned_data.get("status", "") if self.is_valid() else ""
        return {"": "current", "all": ""}.get(chosen, chosen)

    def narrowed(self) -> bool:
        """Whether anything but the defaults is chosen (a search, a house, owing only, another status): the page
        then offers to clear the filters."""
        chosen = self.cleaned_data if self.is_valid() else {}
        return any(value for name, value in chosen.items() if name not in ("status", "sort")) or (
            chosen.get("status") not in ("", "current", None)
        )


class ResidentProfileForm(forms.ModelForm):
    class Meta:
        model = Resident
        formfield_callback = dates.formfield
        fields = PROFILE_FIELDS
        labels = {"legal_first_name": "Legal first name", "legal_last_name": "Legal last name", "email": "E-mail"}
        widgets = {
            "date_of_birth": DateInput,
            "sobriety_date": DateInput,
            "phone": forms.TextInput({"type": "tel"}),
            "emergency_contact_phone": forms.TextInput({"type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        # Its own ids: the resident's page also holds the portal login's e-mail and the payment's payer name.
        kwargs.setdefault("auto_id", "profile_%s")
        super().__init__(*args, **kwargs)


class PortalLoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail for the portal login"),
        help_text=_("We e-mail an invitation to this address; the login works once they accept it."),
    )
