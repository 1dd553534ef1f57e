"""The operator's form for the program's phases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from residents.models import Phase

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class PhaseForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=100, help_text=_("1 is where everyone starts."))
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    meetings_per_week = forms.IntegerField(label=_("Outside meetings a week"), min_value=0, max_value=50, initial=0)
    drug_tests_per_month = forms.IntegerField(
        label=_("Drug tests a month (at least)"), min_value=0, max_value=60, initial=0
    )
    weeknight_curfew = forms.TimeField(
        label=_("Weeknight curfew"), required=False, widget=TimeInput, input_formats=TIME_FORMATS,
        help_text=_("Sunday to Thursday nights. Before 12:00 means after midnight. Empty: no curfew."),
    )  # fmt: skip
    weekend_curfew = forms.TimeField(
        label=_("Weekend curfew"), required=False, widget=TimeInput, input_formats=TIME_FORMATS,
        help_text=_("Friday and Saturday nights. Before 12:00 means after midnight. Empty: no curfew."),
    )  # fmt: skip
    passes_per_month = forms.IntegerField(label=_("Overnight passes a month"), min_value=0, max_value=31, initial=0)
    min_days_before_promotion = forms.IntegerField(
        label=_("Days before promotion"), min_value=0, max_value=3650, initial=0,
        help_text=_("Days a resident spends in this phase before moving up."),
    )  # fmt: skip

    @classmethod
    def for_phase(cls, phase: Phase, *args, **kwargs):
        kwargs.setdefault("initial", {name: getattr(phase, name) for name in cls.base_fields})
        return cls(*args, **kwargs)
