"""Logging a house meeting that has been held."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import LocalDateTimeField
from accounts.models import Membership


class HouseMeetingForm(forms.Form):
    held_at = LocalDateTimeField(label=_("Held at"), help_text=_("The house's local time."))
    facilitator = forms.ModelChoiceField(
        queryset=Membership.objects.none(), label=_("Led by"), required=False, empty_label="Someone without a login",
        help_text=_("A member of the organization, or leave this and type the name below."),
    )  # fmt: skip
    facilitator_name = forms.CharField(
        label=_("Name of who led it"), required=False, max_length=120,
        help_text=_("Only when they have no login: a senior resident, a guest speaker."),
    )  # fmt: skip
    attendees = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Who came"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, max_length=10000, widget=forms.Textarea({"rows": 4}))

    def __init__(self, *args, members, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = members
        self.fields["facilitator"].label_from_instance = lambda m: f"{m.user.get_full_name()} ({m.get_role_display()})"
        self.fields["attendees"].queryset = residents
        self.fields["attendees"].label_from_instance = lambda resident: resident.display_name
