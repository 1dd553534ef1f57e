"""Recording a drug test result: from a test request on the house page, or on the resident's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import LocalDateTimeField
from residents.core.forms.fields import ChoiceColumns
from residents.models import DrugTest, Substance, TestReason

# A common instant-cup panel, checked to start with; the person recording it changes it to what the cup screened.
DEFAULT_PANEL = ["amphetamines", "benzodiazepines", "buprenorphine", "cocaine", "fentanyl", "thc", "methamphetamine",
                 "opiates", "oxycodone"]  # fmt: skip


class DrugTestForm(forms.Form):
    collected_at = LocalDateTimeField(label=_("Collected at"), help_text=_("The house's local time."))
    method = forms.ChoiceField(label=_("Method"), choices=DrugTest.Method.choices, initial=DrugTest.Method.URINE_CUP)
    reason = forms.ChoiceField(label=_("Reason"), choices=TestReason.choices, initial=TestReason.RANDOM)
    panel = forms.MultipleChoiceField(
        label=_("Screened for"), choices=Substance.choices, initial=DEFAULT_PANEL, widget=ChoiceColumns,
        help_text=_("Every substance the test screens for. A breath test screens for alcohol only."),
    )  # fmt: skip
    result = forms.ChoiceField(label=_("Result"), choices=[("", "Choose the result"), *DrugTest.Result.choices])
    positive_substances = forms.MultipleChoiceField(
        label=_("Positive for"), required=False, choices=Substance.choices, widget=ChoiceColumns,
        help_text=_("For a positive result only: each substance it was positive for."),
    )  # fmt: skip
    lab_reference = forms.CharField(label=_("Lab reference"), required=False, max_length=80)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, with_reason: bool = True, **kwargs):
        """``with_reason``: False when the test answers a request, whose reason it takes."""
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["reason"]


FINAL_RESULTS = [(value, label) for value, label in DrugTest.Result.choices if value != DrugTest.Result.PENDING_LAB]


class LabResultForm(forms.Form):
    """The lab's final result of a test recorded as pending; each pending test has its own, prefixed with its id.
    The substances offered are the test's own panel."""

    result = forms.ChoiceField(label=_("Lab result"), choices=[("", "Choose the result"), *FINAL_RESULTS])
    positive_substances = forms.MultipleChoiceField(
        label=_("Positive for"), required=False, choices=(), widget=ChoiceColumns,
        help_text=_("For a positive result only: each substance of the panel it was positive for."),
    )  # fmt: skip
    lab_reference = forms.CharField(label=_("Lab reference"), required=False, max_length=80)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, test: DrugTest, **kwargs):
        self.test = test
        kwargs.setdefault("prefix", f"lab-{test.pk}")
        kwargs.setdefault("initial", {"lab_reference": test.lab_reference, "notes": test.notes})
        super().__init__(*args, **kwargs)
        labels = dict(Substance.choices)
        self.fields["positive_substances"].choices = [(code, labels[code]) for code in test.panel]


class RequestCancelForm(forms.Form):
    """Cancelling one open test request; each listed request has its own, prefixed with its id."""

    reason = forms.CharField(
        label=_("Why cancel it"), max_length=300,
        help_text=_("Kept with the request: why no test is needed (left the house, tested for cause, a mistake)."),
        error_messages={"required": _("Say why the request is cancelled.")},  # the service's words
    )  # fmt: skip

    def __init__(self, *args, test_request, **kwargs):
        self.test_request = test_request
        kwargs.setdefault("prefix", f"cancel-{test_request.pk}")
        super().__init__(*args, **kwargs)
