"""Resident portal forms: signing the house rules, logging an outside meeting, signing out, asking for a pass, filing
a grievance. They check shape only; the services say what is allowed."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from accounts import dates
from accounts.forms import DateInput, DateTimeInput
from residents.models import Grievance, RecoveryMeetingAttendance
from residents.program.selectors.curfew import return_by


class RuleSignForm(forms.Form):
    signature = forms.CharField(
        label="Type your full legal name",
        max_length=200,
        widget=forms.TextInput({"autocomplete": "name", "autocapitalize": "words", "spellcheck": "false"}),
    )

    def __init__(self, *args, legal_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature"].help_text = f"First and last name, as the house has it on file: {legal_name}."

    def add_error(self, field, error):
        # The form sits below the rules: focusing the field in error brings it, and its message, into view.
        super().add_error(field, error)
        self.fields["signature"].widget.attrs["autofocus"] = True


class RecoveryMeetingForm(forms.Form):
    attended_on = dates.DateField(label="Date", widget=DateInput)
    meeting_type = forms.ChoiceField(
        label="Kind of meeting", choices=[("", "Choose one"), *RecoveryMeetingAttendance.MeetingType.choices]
    )
    name = forms.CharField(
        label="Meeting name or place",
        max_length=200,
        required=False,
        help_text="For example “Early Bird Group, Alano Club”. Needed when the kind is Other.",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_on"].initial = today
        self.fields["attended_on"].widget.attrs["max"] = today.isoformat()


def _next_quarter_hour(moment: datetime) -> datetime:
    moment = moment.replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(15 - moment.minute % 15) % 15)


class SignOutForm(forms.Form):
    destination = forms.CharField(
        label="Where are you going?", max_length=200, help_text="For example work, an NA meeting, the grocery store."
    )
    expected_return_at = dates.DateTimeField(
        label="When will you be back?", widget=DateTimeInput, help_text="Your best guess; you sign in when back."
    )

    def __init__(self, *args, curfew=None, **kwargs):
        """``curfew``: the resident's ``Curfew`` tonight (or None): told beside the time, and the default return is
        no later than it."""
        super().__init__(*args, **kwargs)
        local_now = timezone.localtime()
        proposed = _next_quarter_hour(local_now + timedelta(hours=2))
        field = self.fields["expected_return_at"]
        field.initial = timezone.localtime(return_by(curfew, proposed, now=local_now))
        if curfew is not None:
            field.help_text = f"Your curfew tonight is {curfew.words}. {field.help_text}"


class PassForm(forms.Form):
    leave_on = dates.DateField(label="First night away", widget=DateInput)
    return_on = dates.DateField(
        label="Day you come back", widget=DateInput, help_text="You sleep in the house that night."
    )
    destination = forms.CharField(label="Where will you stay?", max_length=200, help_text="Whose home, and the town.")
    contact_phone = forms.CharField(
        label="Phone number there",
        max_length=40,
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
        help_text="A number where the house can reach you.",
    )

    def __init__(self, *args, today, allowance=None, **kwargs):
        """``allowance``: the resident's ``PassAllowance`` this month, told beside the first night."""
        super().__init__(*args, **kwargs)
        for name in ("leave_on", "return_on"):
            self.fields[name].widget.attrs["min"] = today.isoformat()
        if allowance is not None:
            waiting = f", {allowance.waiting} waiting" if allowance.waiting else ""
            passes = f"{allowance.allowed} overnight pass{'es' if allowance.allowed != 1 else ''}"
            note = f"Your phase, {allowance.phase.name}, allows {passes} a month. In {allowance.month:%B}: "
            note += f"{allowance.used} approved{waiting}."
            if allowance.used_up:
                note += " A pass beyond that needs the house manager to make an exception."
            self.fields["leave_on"].help_text = note


class GrievanceForm(forms.Form):
    about = forms.ChoiceField(label="What is it about?", choices=Grievance.About.choices, widget=forms.RadioSelect)
    staff_member = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Which staff member?",
        empty_label="I would rather not say",
        help_text="Only when it is about a staff member.",
    )
    subject = forms.CharField(label="Subject", max_length=200, help_text="A line that sums it up.")
    details = forms.CharField(
        label="What happened?",
        max_length=5000,
        widget=forms.Textarea({"rows": 6}),
        help_text="Say what happened, when, and what you would like done. Only the operator reads it, not house staff.",
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff
        self.fields["staff_member"].label_from_instance = lambda membership: membership.user.full_name
