"""The peer-run house's page forms. They check shape only; the services say who may and what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput, LocalDateTimeField
from houses.models import House
from peer.models import Ballot, BankEntry, BusinessMeeting, ExpectedExpense, ExpenseKind, Motion, Office
from peer.services.money import SHARE_METHODS
from residents.models import Stay


def _money(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, widget=forms.NumberInput(
        {"inputmode": "decimal", "step": "0.01"}), **kwargs)  # fmt: skip


def _members_field(label, *, required=True, multiple=False, **kwargs):
    field_class = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    extra = {"widget": forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"})} if multiple else {}
    return field_class(queryset=None, label=label, required=required, **extra, **kwargs)


class MembersForm(forms.Form):
    """A form naming members of the house: each member field lists the house's members."""

    member_fields: tuple[str, ...] = ()

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.member_fields:
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda resident: resident.display_name


class MeetingOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Meeting"), choices=BusinessMeeting.Kind.choices)
    held_at = LocalDateTimeField(label=_("Starts at"), help_text=_("The house's local time."))
    reason = forms.CharField(label=_("Why (an emergency meeting)"), max_length=300, required=False)


class AttendanceForm(MembersForm):
    prefix = "attendance"  # beside other forms on its page: ids and names of its own
    member_fields = ("present",)
    present = _members_field(_("Members present"), required=False, multiple=True)


class MinutesForm(forms.Form):
    prefix = "minutes"  # beside other forms on its page: ids and names of its own
    minutes_reading = forms.CharField(label=_("Reading of the last minutes"), required=False,
                                      widget=forms.Textarea({"rows": 2}))  # fmt: skip
    officer_reports = forms.CharField(label=_("Officer reports"), required=False, widget=forms.Textarea({"rows": 3}))
    old_business = forms.CharField(label=_("Old business"), required=False, widget=forms.Textarea({"rows": 3}))
    new_business = forms.CharField(label=_("New business"), required=False, widget=forms.Textarea({"rows": 3}))


class MotionForm(MembersForm):
    prefix = "motion"  # beside other forms on its page: ids and names of its own
    member_fields = ("moved_by", "seconded_by")
    kind = forms.ChoiceField(label=_("Kind of motion"), choices=Motion.Kind.choices)
    text = forms.CharField(label=_("The motion"), max_length=500)
    moved_by = _members_field(_("Moved by"))
    seconded_by = _members_field(_("Seconded by"))
    application = forms.ModelChoiceField(queryset=None, label=_("Applicant interviewed"), required=False)
    bed = forms.ModelChoiceField(queryset=None, label=_("Bed"), required=False)
    move_in = dates.DateField(label=_("Moves in on"), widget=DateInput, required=False)
    stay = forms.ModelChoiceField(queryset=None, label=_("Member to dismiss"), required=False)
    dismissal_reason = forms.ChoiceField(label=_("Reason for the dismissal"), required=False,
                                         choices=[("", "—"), *Stay.DischargeReason.choices])  # fmt: skip
    move_out = dates.DateField(label=_("First night away"), widget=DateInput, required=False)

    def __init__(self, *args, applications, beds, stays, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            _("%(name)s, applied %(day)s")
            % {"name": f"{a.first_name} {a.last_name}", "day": date_format(a.applied_on, _("M j, Y"))}
        )
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = lambda bed: bed.label
        self.fields["stay"].queryset = stays
        self.fields["stay"].label_from_instance = lambda stay: stay.resident.display_name


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Ballot.Choice.choices)


class ElectionForm(MembersForm):
    prefix = "election"  # beside other forms on its page: ids and names of its own
    member_fields = ("resident",)
    office = forms.ChoiceField(label=_("Office"), choices=Office.choices)
    resident = _members_field(_("Elected member"))
    starts_on = dates.DateField(label=_("Term starts"), widget=DateInput)


class ContractForm(MembersForm):
    prefix = "contract"  # beside other forms on its page: ids and names of its own
    member_fields = ("member",)
    member = _members_field(_("Member behind on shares"))
    terms = forms.CharField(label=_("What they agreed to"), widget=forms.Textarea({"rows": 2}))


class SharePaymentForm(MembersForm):
    prefix = "payment"  # beside other forms on its page: ids and names of its own
    member_fields = ("member",)
    member = _members_field(_("Member"))
    method = forms.ChoiceField(
        label=_("Paid by"), choices=[(m, _(m.replace("_", " ").capitalize())) for m in SHARE_METHODS]
    )
    amount = _money(_("Amount"))
    received_on = dates.DateField(label=_("Received on"), widget=DateInput)
    reference = forms.CharField(label=_("Check or money order number"), max_length=60, required=False)


class BankEntryForm(MembersForm):
    prefix = "entry"  # beside other forms on its page: ids and names of its own
    member_fields = ("signed_by", "cosigned_by")
    kind = forms.ChoiceField(label=_("Entry"), choices=BankEntry.Kind.choices)
    amount = _money(_("Amount"))
    entry_on = dates.DateField(label=_("Date"), widget=DateInput)
    number = forms.CharField(label=_("Check number"), max_length=20, required=False)
    payee = forms.CharField(label=_("Pay to"), max_length=120, required=False)
    bill = forms.ModelChoiceField(queryset=None, label=_("Pays the bill"), required=False)
    signed_by = _members_field(_("Signed by"), required=False)
    cosigned_by = _members_field(_("Second signature"), required=False)
    memo = forms.CharField(label=_("Memo"), max_length=200, required=False)

    def __init__(self, *args, bills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bill"].queryset = bills
        self.fields["bill"].label_from_instance = lambda bill: (
            _("%(payee)s, %(amount)s due %(day)s")
            % {"payee": bill.payee, "amount": bill.amount, "day": date_format(bill.due_on, _("M j, Y"))}
        )


class BillForm(forms.Form):
    prefix = "bill"  # beside other forms on its page: ids and names of its own
    kind = forms.ChoiceField(label=_("For"), choices=ExpenseKind.choices)
    payee = forms.CharField(label=_("From"), max_length=120)
    amount = _money(_("Amount"))
    received_on = dates.DateField(label=_("Received on"), widget=DateInput)
    due_on = dates.DateField(label=_("Due on"), widget=DateInput)


class ExpenseForm(forms.Form):
    prefix = "expense"  # beside other forms on its page: ids and names of its own
    kind = forms.ChoiceField(label=_("For"), choices=ExpenseKind.choices)
    payee = forms.CharField(label=_("Paid to"), max_length=120)
    amount = _money(_("Amount"))
    period = forms.ChoiceField(label=_("Every"), choices=ExpectedExpense.Period.choices)


class ShareForm(forms.Form):
    prefix = "share"  # beside other forms on its page: ids and names of its own
    starts_on = dates.DateField(label=_("New share starts"), widget=DateInput)


class AuditForm(MembersForm):
    member_fields = ("auditors",)
    month = dates.DateField(label=_("Month audited (its first day)"), widget=DateInput)
    statement_balance = _money(_("Closing balance on the bank statement"))
    cleared = forms.ModelMultipleChoiceField(queryset=None, label=_("Entries on the statement"), required=False,
                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip
    auditors = _members_field(_("Members named to audit"), multiple=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cleared"].queryset = entries
        self.fields["cleared"].label_from_instance = lambda e: (
            f"{e.entry_on} · {e.get_kind_display()} {e.number} · {e.amount}"
        )


class HouseReportForm(forms.Form):
    month = dates.DateField(label=_("Month reported (its first day)"), widget=DateInput)
    notes = forms.CharField(label=_("Notes for the chapter"), required=False, widget=forms.Textarea({"rows": 2}))


class HelpForm(forms.Form):
    needs_help = forms.BooleanField(label=_("This house needs the chapter's help"), required=False)
    help_note = forms.CharField(label=_("What help"), max_length=300, required=False)


class GovernanceForm(forms.Form):
    governance = forms.ChoiceField(label=_("Run by"), choices=House.Governance.choices, widget=forms.RadioSelect)
    term_months = forms.IntegerField(label=_("Officer term (months)"), min_value=1, max_value=6, initial=6)
    admission_percent = forms.IntegerField(label=_("Percent of the members present an admission needs"), min_value=51,
                                           max_value=100, initial=80)  # fmt: skip
    dismissal_percent = forms.IntegerField(label=_("Percent of the members present a dismissal needs"), min_value=51,
                                           max_value=100, initial=80)  # fmt: skip
    behind_limit = _money(_("Behaviour contract when behind by more than"), initial="100.00", min_value=0)
    chapter = forms.ModelChoiceField(queryset=None, label=_("Chapter"), required=False)

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters


class ChapterForm(forms.Form):
    name = forms.CharField(label=_("Chapter name"), max_length=120)
    area = forms.CharField(label=_("Area it covers"), max_length=200, required=False)


class ApproveMinutesForm(forms.Form):
    prefix = "approve"  # beside other forms on its page: ids and names of its own
    minutes_of = forms.ModelChoiceField(queryset=None, label=_("Approve the minutes of"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_of"].queryset = meetings
        self.fields["minutes_of"].label_from_instance = lambda meeting: date_format(
            timezone.localtime(meeting.held_at), _("M j, Y")
        )
