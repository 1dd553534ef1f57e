"""The public application form: what a person asking for a bed tells the house, plus a field only robots fill."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.dates import DateField
from accounts.forms import DateInput
from houses.models import House
from residents.models import Application, Resident

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# The choices as an applicant reads them, in their language (the values are the models'; the labels are said here,
# so the public form is whole in every language whatever the staff pages call them).
REFERRED_BY = [
    (Application.ReferredBy.SELF, pgettext_lazy("who refers the applicant", "Self")),
    (Application.ReferredBy.FAMILY, pgettext_lazy("who refers the applicant", "Family")),
    (Application.ReferredBy.PARTNER, pgettext_lazy("who refers the applicant", "A referral partner")),
    (Application.ReferredBy.OTHER, pgettext_lazy("who refers the applicant", "Other")),
]
PAYERS = [
    (Resident.Payer.SELF, pgettext_lazy("who pays the rent", "Self")),
    (Resident.Payer.FAMILY, pgettext_lazy("who pays the rent", "Family")),
    (Resident.Payer.AGENCY, pgettext_lazy("who pays the rent", "Agency")),
    (Resident.Payer.VOUCHER, pgettext_lazy("who pays the rent", "Voucher")),
]
GENDERS = [
    ("", _("Any house that fits me")),
    (House.Gender.MEN, pgettext_lazy("houses for", "Men")),
    (House.Gender.WOMEN, pgettext_lazy("houses for", "Women")),
    (House.Gender.COED, pgettext_lazy("houses for", "Co-ed")),
]
# Named so password managers and browsers' autofill leave it alone ("website" was filled by some): people never
# type in it, robots fill every field.
HONEYPOT = "hp_confirm"


class PublicApplicationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=80, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("A phone number or an e-mail, so we can reach you."),
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,  # the column's length: a longer address would fail at the database
        required=False,
        help_text=_("We e-mail you a private link to follow your application."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    preferred_gender = forms.ChoiceField(
        label=_("Which houses"),
        required=False,
        choices=GENDERS,
        help_text=_("Houses are for men, for women, or co-ed."),
    )
    preferred_move_in = DateField(label=_("When would you like to move in?"), required=False, widget=DateInput)
    referred_by = forms.ChoiceField(
        label=_("Who refers you?"),
        choices=REFERRED_BY,
        initial=Application.ReferredBy.SELF,
        widget=forms.RadioSelect,
    )
    referral_source = forms.CharField(
        label=_("Which organization refers you?"),
        max_length=120,
        required=False,
        help_text=_("A treatment centre, court, hospital or other program, if one does."),
    )
    sobriety_date = DateField(label=_("Sobriety date"), required=False, widget=DateInput)
    on_moud = forms.ChoiceField(
        label=_("Do you take medication for opioid use disorder?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Buprenorphine, methadone or naltrexone. Optional; it does not stop you applying."),
    )
    payer = forms.ChoiceField(
        label=_("Who will pay the rent?"),
        choices=PAYERS,
        initial=Resident.Payer.SELF,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Anything you would like us to know"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    consent_to_contact = forms.BooleanField(
        label=_("You may contact me about this application by phone or e-mail."),
        error_messages={"required": _("We can only answer you if you agree to be contacted.")},
    )
    # Robots fill every field; people never see this one (visually hidden, and its label says to leave it).
    hp_confirm = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, today: date, whole_organization: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not whole_organization:
            del self.fields["preferred_gender"]  # the house chosen says it

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT]

    def clean_preferred_move_in(self):
        value = self.cleaned_data["preferred_move_in"]
        if value is not None and value < self.today:
            raise forms.ValidationError(_("Choose today or a later date."))
        return value

    def clean_sobriety_date(self):
        value = self.cleaned_data["sobriety_date"]
        if value is not None and value > self.today:
            raise forms.ValidationError(_("A sobriety date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone", "").strip() or cleaned.get("email")) and "email" not in self.errors:
            self.add_error("phone", _("Give a phone number or an e-mail, so we can reach you."))
        return cleaned

    def application_fields(self) -> dict:
        """The cleaned answers as ``Application`` fields."""
        data = self.cleaned_data
        on_moud = {"yes": True, "no": False}.get(data["on_moud"])
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "phone": data["phone"].strip(),
            "email": data["email"],
            "preferred_gender": data.get("preferred_gender", ""),
            "preferred_move_in": data["preferred_move_in"],
            "referred_by": data["referred_by"],
            "referral_source": data["referral_source"].strip(),
            "sobriety_date": data["sobriety_date"],
            "on_moud": on_moud,
            "payer": data["payer"],
            "notes": data["notes"].strip(),
            "consent_to_contact": True,
        }
