"""Operator page forms: houses, rooms and beds, staff, organization settings, audit-log filters.

They check shape only (required, types, choices within the organization); rules live in services and models.
"""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput, invitation_language_field
from accounts.models import AuditEntry, Organization, Role

from .models import House


class HouseForm(forms.ModelForm):
    class Meta:
        model = House
        formfield_callback = dates.formfield
        fields = [
            "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone",
            "gender", "narr_level", "status", "opened_on", "closed_on",
        ]  # fmt: skip
        widgets = {"opened_on": DateInput, "closed_on": DateInput, "phone": forms.TextInput({"type": "tel"})}
        labels = {"opened_on": "Opened on", "closed_on": "Closed from"}
        help_texts = {
            "status": "A closed house keeps its history; it takes no new admissions.",
            "opened_on": "The first night it took residents. Empty means today.",
            "closed_on": "The first night it offers no bed. Closing without a date closes it from tonight.",
        }


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room name"), max_length=60)
    floor = forms.IntegerField(label=_("Floor"), initial=1, min_value=-5, max_value=200)
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)


class BedForm(forms.Form):
    room = forms.ModelChoiceField(queryset=None, label=_("Room"), empty_label="Choose a room")
    label = forms.CharField(label=_("Bed label"), max_length=40, help_text=_("For example Window, A-2 or Bunk top."))
    in_service_from = dates.DateField(
        label="In service from", widget=DateInput, help_text="The first night a resident can sleep in it."
    )

    def __init__(self, *args, house, in_service_from, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = house.rooms.order_by("floor", "name")
        self.fields["in_service_from"].initial = in_service_from


class BedEditForm(forms.Form):
    label = forms.CharField(label=_("Bed label"), max_length=40)
    in_service_from = dates.DateField(
        label="In service from", widget=DateInput, help_text="The first night a resident could sleep in it."
    )


class RetireBedForm(forms.Form):
    retired_on = dates.DateField(
        label="Retired from", widget=DateInput, help_text="The first night the bed is no longer offered."
    )


class OutOfServiceForm(forms.Form):
    # Named as the bed's fields, so the bed's clean() errors land beside them.
    out_of_service_reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    out_of_service_from = dates.DateField(label="From (first night out)", widget=DateInput, required=False)
    out_of_service_until = dates.DateField(
        label="Back in service on", widget=DateInput, required=False, help_text="Leave empty if not known yet."
    )


class OutageForm(forms.Form):
    # Named as the outage's fields, so a service's refusal lands beside the field it names.
    reason = forms.CharField(label=_("Reason"), max_length=200)
    start = dates.DateField(label="From (first night out)", widget=DateInput)
    end = dates.DateField(
        label="Back in service on", widget=DateInput, required=False, help_text="Leave empty if not known yet."
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(Role.MANAGER, Role.MANAGER.label), (Role.OPERATOR, Role.OPERATOR.label)]
    )
    houses = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Houses they run"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a house manager only."),
    )
    language = invitation_language_field()

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["houses"].queryset = houses


class StaffHousesForm(forms.Form):
    houses = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Houses they run"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, houses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["houses"].queryset = houses


class StaffFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("Any role")), *Role.choices])
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Everyone")),
            ("yes", _("Active")),
            ("no", _("Deactivated")),
            ("invited", _("Invited, not yet accepted")),
        ],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")  # the invitation form on the same page has a role too
        super().__init__(*args, **kwargs)


class OrganizationForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), help_text=_("Dates (tonight, due dates) follow this clock."))
    sensitive_records_kept_years = forms.IntegerField(
        label=_("Archive sensitive records after (years)"), required=False, min_value=1, max_value=50,
        help_text=_("Years after a resident's last discharge before their drug tests, incidents and notes may be "
        "archived (1 to 50), on the Archive page. Empty keeps them in view."),
    )  # fmt: skip

    class Meta:
        model = Organization
        fields = ["name", "timezone", "currency", "require_staff_two_factor", "sensitive_records_kept_years"]
        labels = {"require_staff_two_factor": "Require two-factor for operators and managers"}
        help_texts = {
            "currency": "Three-letter ISO 4217 code, such as USD.",
            "require_staff_two_factor": "Operators and managers must sign in with a code from an authenticator app; "
            "anyone without one is asked to set it up at their next page. Residents are never required to.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(queryset=None, label=_("Who"), required=False, empty_label="Anyone")
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    since = dates.DateField(label="From", required=False, widget=DateInput)
    until = dates.DateField(label="To (inclusive)", required=False, widget=DateInput)

    def __init__(self, *args, actors, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["actor"].label_from_instance = lambda user: user.get_full_name()
        self.fields["object_type"].choices = [("", _("Any kind")), *((name, name) for name in object_types)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the range must not be before its start."))
        return data
