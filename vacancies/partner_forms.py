"""Forms of the partner pages: the operator's partner form, the link and login actions, and a partner's referral."""

from django import forms

from accounts import dates
from accounts.forms import DateInput
from residents.models import Resident

from .models import ReferralPartner


class PartnerForm(forms.ModelForm):
    class Meta:
        model = ReferralPartner
        fields = ["name", "kind", "contact_name", "email", "phone", "houses", "digest_opt_in", "is_active"]
        labels = {"email": "E-mail", "houses": "Houses shared", "is_active": "Active"}
        help_texts = {
            "houses": "The partner sees these houses' open beds and may refer people to them.",
            "is_active": "An inactive partner's link and logins show nothing.",
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
    email = forms.EmailField(label="E-mail", max_length=254)
    full_name = forms.CharField(label="Full name", max_length=150, required=False)


YES_NO = [("yes", "Yes"), ("no", "No")]


class ReferralForm(forms.Form):
    """One person referred, and who at the partner refers them."""

    first_name = forms.CharField(label="First name", max_length=80)
    last_name = forms.CharField(label="Last name", max_length=80)
    phone = forms.CharField(
        label="Phone", max_length=40, required=False, widget=forms.TextInput({"type": "tel", "autocomplete": "off"}),
        help_text="A phone number or an e-mail is needed to reach the person.",
    )  # fmt: skip
    email = forms.EmailField(label="E-mail", max_length=254, required=False)
    preferred_house = forms.ModelChoiceField(
        queryset=None, label="Preferred house", required=False, empty_label="Any house"
    )
    preferred_move_in = dates.DateField(label="Preferred move-in", required=False, widget=DateInput)
    on_moud = forms.ChoiceField(
        label="Takes medication for opioid use disorder", choices=YES_NO, widget=forms.RadioSelect,
        help_text="Buprenorphine, methadone or naltrexone, as prescribed.",
    )  # fmt: skip
    payer = forms.ChoiceField(label="Who pays the rent", choices=Resident.Payer.choices)
    sobriety_date = dates.DateField(label="Sobriety date", required=False, widget=DateInput)
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea({"rows": 3}))
    consent_to_contact = forms.BooleanField(
        label="The person agrees to be contacted by the house about this referral",
        error_messages={"required": "Ask the person first: they must agree to be contacted."},
    )
    referrer_name = forms.CharField(label="Your name", max_length=120)
    referrer_email = forms.EmailField(label="Your e-mail", max_length=254, help_text="So the house can reply to you.")

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_house"].queryset = houses

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email")) and not self.has_error("email"):
            self.add_error("phone", "Give a phone number or an e-mail to reach the person.")
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["on_moud"] = data["on_moud"] == "yes"
        return data
