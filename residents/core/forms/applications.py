"""Application list filters, the new-application form and the status-change form."""

from django import forms

from accounts import dates
from accounts.forms import DateInput
from residents.core.selectors.applications import NO_HOUSE, STATUS_FILTER_CHOICES
from residents.models import Application


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *STATUS_FILTER_CHOICES])
    house = forms.ChoiceField(label="Preferred house", required=False)

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
            "preferred_gender", "referral_source", "payer", "payer_name", "sobriety_date", "applied_on", "notes",
        ]  # fmt: skip
        labels = {"email": "E-mail", "applied_on": "Applied on"}
        help_texts = {
            "phone": "A phone number or an e-mail is needed to reach the applicant.",
            "preferred_house": "Leave empty if any house with the right designation will do.",
        }
        widgets = {
            "date_of_birth": DateInput,
            "sobriety_date": DateInput,
            "applied_on": DateInput,
            "phone": forms.TextInput({"type": "tel"}),
            "notes": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args, houses, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_house"].queryset = houses
        self.fields["preferred_house"].empty_label = "No preference"
        self.fields["applied_on"].initial = today


class MoveForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    note = forms.CharField(label="Note", required=False, max_length=500, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status may be asked for; the service says which steps are allowed from here.
        self.fields["status"].choices = [
            choice for choice in Application.Status.choices if choice[0] != Application.Status.ADMITTED
        ]
