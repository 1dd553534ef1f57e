"""Application list filters, the new-application form, the status-change and decline forms, recording a contact and
confirming an erasure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput
from residents.core.selectors.applications import NO_HOUSE, STATUS_FILTER_CHOICES
from residents.models import Application


class NotAskedYesNo(forms.NullBooleanSelect):
    """Yes, no, or empty when the question was not asked."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "Not asked"), ("true", "Yes"), ("false", "No")]


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "Any status"), *STATUS_FILTER_CHOICES])
    house = forms.ChoiceField(label=_("Preferred house"), required=False)

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["house"].choices = [
            ("", "Any house"),
            (NO_HOUSE, "No preference"),
            *((str(house.pk), house.name) for house in houses),
        ]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        formfield_callback = dates.formfield
        fields = [
            "first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email", "preferred_house",
            "preferred_gender", "referred_by", "referral_source", "payer", "payer_name", "sobriety_date",
            "preferred_move_in", "on_moud", "consent_to_contact", "applied_on", "notes",
        ]  # fmt: skip
        labels = {
            "email": "E-mail",
            "applied_on": "Applied on",
            "referred_by": "Who refers them",
            "referral_source": "Referred by (name)",
            "on_moud": "Takes medication for opioid use disorder",
            "consent_to_contact": "Agrees to be contacted about this application",
        }
        help_texts = {
            "phone": "A phone number or an e-mail is needed to reach the applicant.",
            "preferred_house": "Leave empty if any house with the right designation will do.",
            "referral_source": (
                "For a referral partner, their name as your partners list has it: the monthly report counts the "
                "application as theirs."
            ),
        }
        widgets = {
            "date_of_birth": DateInput,
            "sobriety_date": DateInput,
            "applied_on": DateInput,
            "preferred_move_in": DateInput,
            "on_moud": NotAskedYesNo,
            "phone": forms.TextInput({"type": "tel"}),
            "notes": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args, houses, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_house"].queryset = houses
        self.fields["preferred_house"].empty_label = "No preference"
        self.fields["applied_on"].initial = today


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status may be asked for; the service says which steps are allowed from here.
        self.fields["status"].choices = [
            choice for choice in Application.Status.choices if choice[0] != Application.Status.ADMITTED
        ]


class DeclineForm(forms.Form):
    """Declining says why: the applicant and a referring partner are told the reason."""

    reason = forms.CharField(
        label=_("Reason (the applicant and a referring partner see it)"),
        max_length=300,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Give the reason for declining: the applicant and a referring partner see it.")},
    )


class ContactForm(forms.Form):
    """Shown beside the move form, whose note field has the default id."""

    note = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=500,
        help_text=_("A call, a message left, an e-mail sent. The first contact is the application's first reply."),
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_contact_%s")
        super().__init__(*args, **kwargs)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The applicant asked for their application to be withdrawn and erased"),
        error_messages={"required": _("Tick the box to confirm the applicant asked for this.")},
    )
