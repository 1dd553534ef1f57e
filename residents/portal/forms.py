"""Resident portal forms: signing the house rules, logging an outside meeting, signing out, asking for a pass, filing
a grievance. They check shape only; the services say what is allowed."""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import dates
from accounts.forms import DateInput, DateTimeInput
from residents.models import Grievance, RecoveryMeetingAttendance
from residents.program.selectors.curfew import return_by


class RuleSignForm(forms.Form):
    signature = forms.CharField(
        label=gettext_lazy("Type your full legal name"),
        max_length=200,
        widget=forms.TextInput({"autocomplete": "name", "autocapitalize": "words", "spellcheck": "false"}),
    )
    # The language of the text shown above the form, which is the one signed (the signing service refuses Spanish
    # where a rule has no Spanish text).
    language = forms.ChoiceField(choices=settings.LANGUAGES, initial="en", widget=forms.HiddenInput)

    def __init__(self, *args, legal_name: str, language: str = "en", **kwargs):
        kwargs.setdefault("initial", {"language": language})
        super().__init__(*args, **kwargs)
        self.fields["signature"].help_text = _("First and last name, as the house has it on file: %(name)s.") % {
            "name": legal_name
        }

    def add_error(self, field, error):
        # The form sits below the rules: focusing the field in error brings it, and its message, into view.
        super().add_error(field, error)
        self.fields["signature"].widget.attrs["autofocus"] = True


class RecoveryMeetingForm(forms.Form):
    attended_on = dates.DateField(label=gettext_lazy("Date"), widget=DateInput)
    meeting_type = forms.ChoiceField(
        label=gettext_lazy("Kind of meeting"),
        choices=[("", gettext_lazy("Choose one")), *RecoveryMeetingAttendance.MeetingType.choices],
    )
    name = forms.CharField(
        label=gettext_lazy("Meeting name or place"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example “Early Bird Group, Alano Club”. Needed when the kind is Other."),
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
        label=gettext_lazy("Where are you going?"),
        max_length=200,
        help_text=gettext_lazy("For example work, an NA meeting, the grocery store."),
    )
    expected_return_at = dates.DateTimeField(
        label=gettext_lazy("When will you be back?"),
        widget=DateTimeInput,
        help_text=gettext_lazy("Your best guess; you sign in when back."),
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
            field.help_text = _("Your curfew tonight is %(curfew)s. %(help)s") % {
                "curfew": curfew.words,
                "help": field.help_text,
            }


class PassForm(forms.Form):
    leave_on = dates.DateField(label=gettext_lazy("First night away"), widget=DateInput)
    return_on = dates.DateField(
        label=gettext_lazy("Day you come back"),
        widget=DateInput,
        help_text=gettext_lazy("You sleep in the house that night."),
    )
    destination = forms.CharField(
        label=gettext_lazy("Where will you stay?"), max_length=200, help_text=gettext_lazy("Whose home, and the town.")
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Phone number there"),
        max_length=40,
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("A number where the house can reach you."),
    )

    def __init__(self, *args, today, allowance=None, **kwargs):
        """``allowance``: the resident's ``PassAllowance`` this month, told beside the first night."""
        super().__init__(*args, **kwargs)
        for name in ("leave_on", "return_on"):
            self.fields[name].widget.attrs["min"] = today.isoformat()
        if allowance is not None:
            values = {
                "phase": allowance.phase.name,
                "allowed": allowance.allowed,
                "month": date_format(allowance.month, "F"),
                "used": allowance.used,
                "waiting": allowance.waiting,
            }
            note = ngettext(
                "Your phase, %(phase)s, allows %(allowed)s overnight pass a month.",
                "Your phase, %(phase)s, allows %(allowed)s overnight passes a month.",
                allowance.allowed,
            )
            if allowance.waiting:
                note += " " + _("In %(month)s: %(used)s approved, %(waiting)s waiting.")
            else:
                note += " " + _("In %(month)s: %(used)s approved.")
            note %= values
            if allowance.used_up:
                note += " " + _("A pass beyond that needs the house manager to make an exception.")
            self.fields["leave_on"].help_text = note


class GrievanceForm(forms.Form):
    about = forms.ChoiceField(
        label=gettext_lazy("What is it about?"), choices=Grievance.About.choices, widget=forms.RadioSelect
    )
    staff_member = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Which staff member?"),
        empty_label=gettext_lazy("I would rather not say"),
        help_text=gettext_lazy("Only when it is about a staff member."),
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"), max_length=200, help_text=gettext_lazy("A line that sums it up.")
    )
    details = forms.CharField(
        label=gettext_lazy("What happened?"),
        max_length=5000,
        widget=forms.Textarea({"rows": 6}),
        help_text=gettext_lazy(
            "Say what happened, when, and what you would like done. Only the operator reads it, not house staff."
        ),
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff
        self.fields["staff_member"].label_from_instance = lambda membership: membership.user.full_name


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The portal, your e-mails, receipts and statements, and the house rules you sign."),
    )
