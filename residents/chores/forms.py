"""The chores page: chore definitions, the week to show or generate, and marking one occurrence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput
from residents.chores.models import WEEKDAYS
from residents.models import Chore, ChoreAssignment

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MARKS = [(status.value, status.label) for status in ChoreAssignment.Status if status in ChoreAssignment.MARKS]


class ChoreForm(forms.Form):
    name = forms.CharField(label=_("Chore"), max_length=80, help_text=_("For example Kitchen, Trash and recycling."))
    description = forms.CharField(
        label=_("What doing it well looks like"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Chore.Frequency.choices, initial=Chore.Frequency.DAILY, widget=forms.RadioSelect
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"), required=False, choices=list(zip(WEEKDAYS, DAY_NAMES, strict=True)),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-columns"}),
        help_text=_("For a weekly chore: the days it is done. A daily chore runs every day; leave these empty."),
    )  # fmt: skip
    is_active = forms.BooleanField(
        label=_("In the rotation"), required=False, initial=True,
        help_text=_("Taking a chore out cancels its pending days after today; it stays on record."),
    )  # fmt: skip

    @classmethod
    def for_chore(cls, chore: Chore, *args, **kwargs):
        weekdays = [] if chore.frequency == Chore.Frequency.DAILY else chore.weekday_names
        kwargs.setdefault(
            "initial",
            {
                "name": chore.name, "description": chore.description, "frequency": chore.frequency,
                "weekdays": weekdays, "is_active": chore.is_active,
            },
        )  # fmt: skip
        return cls(*args, **kwargs)


class WeekForm(forms.Form):
    """Which week the page shows: any date in it (Monday to Sunday)."""

    week = dates.DateField(label=_("Week of"), required=False, widget=DateInput)


class GenerateForm(forms.Form):
    week_start = dates.DateField(label=_("Week starting (a Monday)"), widget=DateInput)


class MarkForm(forms.Form):
    """One occurrence's mark; each row of the week has its own, prefixed with the assignment's id."""

    status = forms.ChoiceField(label=_("Mark"), choices=MARKS)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, help_text=_("Needed to excuse (a pass, an appointment).")
    )

    def __init__(self, *args, assignment: ChoreAssignment, **kwargs):
        self.assignment = assignment
        kwargs.setdefault("prefix", f"mark-{assignment.pk}")
        kwargs.setdefault("initial", {"note": assignment.note})
        super().__init__(*args, **kwargs)
