from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import dates

from .models import HouseBillingPolicy, LateFeeKind, RentPeriod, Weekday
from .models.policies import DEFAULT_OWING_ALERT
from .services.policies import POLICY_FIELDS

ZERO = Decimal("0.00")


class StatementForm(forms.Form):
    """Which resident (staff only) and which dates a statement covers."""

    resident = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    start = dates.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = dates.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


def default_statement_range(today: date) -> tuple[date, date]:
    """The last three calendar months up to today."""
    first_of_month = today.replace(day=1)
    start = (first_of_month - timedelta(days=1)).replace(day=1)
    start = (start - timedelta(days=1)).replace(day=1)
    return start, today


class PolicyForm(forms.Form):
    """A house's rent terms, deposit and late-fee rule, as the operator's page asks them.

    Shape only: the rules are the policy's own (``HouseBillingPolicy.clean``), applied by
    ``house_billing_policy_set``. A value the chosen period or late-fee kind does not use (the page hides its field)
    is dropped, with any error it had, so no stale number is stored.
    """

    rent_amount = forms.DecimalField(label=_("Rent per period"), max_digits=12, decimal_places=2)
    rent_period = forms.ChoiceField(
        label=_("How often rent is due"), choices=RentPeriod.choices, widget=forms.RadioSelect
    )
    rent_due_weekday = forms.TypedChoiceField(
        label=_("Due weekday"),
        choices=[("", _("Choose a weekday")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For weekly and every-two-weeks rent. Every two weeks counts from each resident's move-in."),
    )
    rent_due_day = forms.IntegerField(
        label=_("Due day of the month"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}),
        help_text=_(
            "For monthly rent: 1 to 31. Rent due on the 29th, 30th or 31st falls on the last day of shorter months."
        ),
    )
    deposit_amount = forms.DecimalField(label=_("Deposit"), max_digits=12, decimal_places=2, required=False)
    late_fee_kind = forms.ChoiceField(
        label=_("Kind of late fee"), choices=LateFeeKind.choices, widget=forms.RadioSelect
    )
    late_fee_amount = forms.DecimalField(label=_("Late fee amount"), max_digits=12, decimal_places=2, required=False)
    late_fee_percent = forms.DecimalField(
        label=_("Late fee percent"),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Of the rent still unpaid when it becomes late; at most 100."),
    )
    late_fee_grace_days = forms.IntegerField(
        label=_("Grace days"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Days after the due date before rent is late: rent due on the 1st with 5 grace days is late from "
            "the 7th. At most 60."
        ),
    )
    owing_alert_above = forms.DecimalField(
        label=_("Flag residents owing more than"), max_digits=12, decimal_places=2, required=False
    )
    rent_reminder_days = forms.IntegerField(
        label=_("Remind residents this many days before rent is due"),
        min_value=0,
        max_value=14,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "By e-mail, 0 to 14 days ahead; 0 for no advance reminder. Residents are also reminded on the due "
            "date if rent is unpaid and when it becomes late, and may turn reminders off in the portal."
        ),
    )

    # Which answer of which field each field depends on; the page hides the field otherwise.
    SHOWN_FOR = {
        "rent_due_weekday": ("rent_period", {RentPeriod.WEEKLY, RentPeriod.BIWEEKLY}),
        "rent_due_day": ("rent_period", {RentPeriod.MONTHLY}),
        "late_fee_amount": ("late_fee_kind", {LateFeeKind.FLAT}),
        "late_fee_percent": ("late_fee_kind", {LateFeeKind.PERCENT}),
        "late_fee_grace_days": ("late_fee_kind", {LateFeeKind.FLAT, LateFeeKind.PERCENT}),
    }
    NEW = {
        "rent_period": RentPeriod.MONTHLY,
        "rent_due_day": 1,
        "deposit_amount": Decimal("0.00"),
        "late_fee_kind": LateFeeKind.NONE,
        "late_fee_grace_days": 5,
        "owing_alert_above": DEFAULT_OWING_ALERT,
        "rent_reminder_days": 3,
    }

    def __init__(self, *args, policy: HouseBillingPolicy | None, currency: str, **kwargs):
        initial = model_to_dict(policy, fields=POLICY_FIELDS) if policy else dict(self.NEW)
        super().__init__(*args, initial=initial, **kwargs)
        self.policy = policy
        words = {"currency": currency}
        self.fields["rent_amount"].help_text = gettext("In %(currency)s, for each week, two weeks or month.") % words
        self.fields["deposit_amount"].help_text = (
            gettext("In %(currency)s, charged when a resident is admitted; 0 for none.") % words
        )
        self.fields["late_fee_amount"].help_text = (
            gettext("In %(currency)s, once for each rent charge that is late.") % words
        )
        self.fields["owing_alert_above"].help_text = gettext(
            'In %(currency)s: the dashboard\'s "Behind on rent" list shows residents whose past-due balance here is '
            "more than this. Empty means %(default)s."
        ) % {"currency": currency, "default": DEFAULT_OWING_ALERT}

    def shows(self, name: str) -> bool:
        """Whether the field applies to the answers given (before any, to the saved or default ones)."""
        controller, answers = self.SHOWN_FOR[name]
        return self[controller].value() in answers

    def _rows(self, names):
        rows = []
        for name in names:
            when, answers = self.SHOWN_FOR.get(name, ("", ()))
            rows.append({"field": self[name], "when": when, "answers": " ".join(sorted(answers))})
        return rows

    @property
    def rent_rows(self):
        return self._rows(["rent_amount", "rent_period", "rent_due_weekday", "rent_due_day"])

    @property
    def late_fee_rows(self):
        return self._rows(["late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days"])

    def clean(self):
        data = super().clean()
        for name in self.SHOWN_FOR:
            if not self.shows(name):
                self.errors.pop(name, None)
                data.pop(name, None)
        # The due day the period does not use is cleared; the house keeps its grace days while it has no late fee.
        for name in ("rent_due_weekday", "rent_due_day"):
            data.setdefault(name, None)
        for name in ("deposit_amount", "late_fee_amount", "late_fee_percent"):
            # Empty (or not used) is zero; the policy's rule then refuses a zero the kind of late fee needs.
            if data.get(name) is None and name not in self.errors:
                data[name] = ZERO
        if data.get("owing_alert_above") is None and "owing_alert_above" not in self.errors:
            data["owing_alert_above"] = DEFAULT_OWING_ALERT
        if data.get("rent_reminder_days") is None and "rent_reminder_days" not in self.errors:
            data["rent_reminder_days"] = (
                self.policy.rent_reminder_days if self.policy else self.NEW["rent_reminder_days"]
            )
        grace_missing = "late_fee_grace_days" in data and data["late_fee_grace_days"] is None
        if self.shows("late_fee_grace_days") and grace_missing:
            self.add_error(
                "late_fee_grace_days", gettext("Give the grace days: 0 for a fee the day after rent is due.")
            )
        return data

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS if name in self.cleaned_data}

    def changes(self) -> list[str]:
        """The policy fields the answers change (every one for a house without a policy yet)."""
        if self.policy is None:
            return sorted(self.terms())
        return sorted(name for name, value in self.terms().items() if getattr(self.policy, name) != value)
