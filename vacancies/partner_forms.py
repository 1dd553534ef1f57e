"""Forms of the partner pages: the operator's partner form, the link and login actions, and a partner's referral."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput
from residents.models import Resident

from .models import ReferralPartner


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ReferralPartner
        fields = ["name", "kind", "contact_name", "email", "phone", "houses", "digest_opt_in", "is_active"]
        labels = {
            "name": _("Name"),
            "kind": _("Kind"),
            "contact_name": _("Contact name"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "houses": _("Houses shared"),
            "is_active": _("Active"),
        }
        help_texts = {
            "houses": _("The partner sees these houses' open beds and may refer people to them."),
            "is_active": _("An inactive partner's link and logins show nothing."),
        }
        widgets = {"houses": forms.CheckboxSelectMultiple, "phone": forms.TextInput({"type": "tel"})}

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["houses"].queryset = houses
        self.fields["houses"].required = False

    def _post_clean(self):
        # The service decides (and the database checks the unique name): the form only reads the input.
        pass


class ReferrerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ReferralForm(forms.Form):
    """One person referred, and who at the partner refers them."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput({"type": "tel", "autocomplete": "off"}),
        help_text=_("A phone number or an e-mail is needed to reach the person."),
    )  # fmt: skip
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    preferred_house = forms.ModelChoiceField(
        queryset=None, label=_("Preferred house"), required=False, empty_label=_("Any house")
    )
    preferred_move_in = dates.DateField(label=_("Preferred move-in"), required=False, widget=DateInput)
    on_moud = forms.ChoiceField(
        label=_("Takes medication for opioid use disorder"), choices=YES_NO, widget=forms.RadioSelect,
        help_text=_("Buprenorphine, methadone or naltrexone, as prescribed."),
    )  # fmt: skip
    payer = forms.ChoiceField(label=_("Who pays the rent"), choices=Resident.Payer.choices)
    sobriety_date = dates.DateField(label=_("Sobriety date"), required=False, widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3}))
    consent_to_contact = forms.BooleanField(
        label=_("The person agrees to be contacted by the house about this referral"),
        error_messages={"required": _("Ask the person first: they must agree to be contacted.")},
    )
    referrer_name = forms.CharField(label=_("Your name"), max_length=120)
    referrer_email = forms.EmailField(
        label=_("Your e-mail"), max_length=254, help_text=_("So the house can reply to you.")
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_house"].queryset = houses

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email")) and not self.has_error("email"):
            self.add_error("phone", _("Give a phone number or an e-mail to reach the person."))
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["on_moud"] = data["on_moud"] == "yes"
        return data
