"""Admit, transfer and discharge forms for the bed board."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import dates
from accounts.forms import DateInput
from residents.models import Application, Stay


class _DatedForm(forms.Form):
    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today


def _applicant_label(application: Application) -> str:
    status = application.get_status_display().lower()
    return _("%(first_name)s %(last_name)s · %(status)s, applied %(applied_on)s") % {
        "first_name": application.first_name,
        "last_name": application.last_name,
        "status": status,
        "applied_on": date_format(application.applied_on, _("M j, Y")),
    }


def _resident_label(resident) -> str:
    return f"{resident.display_name}{' · ' + resident.phone if resident.phone else ''}"


class AdmitApplicantForm(_DatedForm):
    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        label=gettext_lazy("Applicant from the waitlist"),
        empty_label=gettext_lazy("Choose an applicant"),
        help_text=gettext_lazy("Only an accepted application can be admitted; accept it on its page first."),
    )
    on = dates.DateField(
        label=gettext_lazy("Move-in date"), widget=DateInput, help_text=gettext_lazy("The first night in the house.")
    )

    def __init__(self, *args, waitlist, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = waitlist
        self.fields["application"].label_from_instance = _applicant_label


class AdmitResidentForm(_DatedForm):
    resident = forms.ModelChoiceField(
        queryset=None,
        label=gettext_lazy("Resident not living in a house now"),
        empty_label=gettext_lazy("Choose a resident"),
        help_text=gettext_lazy("Someone in the intake pool, or a past resident coming back."),
    )
    on = dates.DateField(
        label=gettext_lazy("Move-in date"), widget=DateInput, help_text=gettext_lazy("The first night in the house.")
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = _resident_label


class AdmitNewResidentForm(_DatedForm):
    legal_first_name = forms.CharField(label=gettext_lazy("First name"), max_length=80)
    legal_last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=80)
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=40, required=False, widget=forms.TextInput({"type": "tel"})
    )
    on = dates.DateField(
        label=gettext_lazy("Move-in date"), widget=DateInput, help_text=gettext_lazy("The first night in the house.")
    )


class TransferForm(_DatedForm):
    bed = forms.TypedChoiceField(
        coerce=int, label=gettext_lazy("New bed"), help_text=gettext_lazy("Free beds tonight, by house.")
    )
    on = dates.DateField(
        label=gettext_lazy("Date of the move"),
        widget=DateInput,
        help_text=gettext_lazy("The first night in the new bed."),
    )

    def __init__(self, *args, free_beds, beds, **kwargs):
        """``free_beds``: beds to offer, grouped by house; ``beds``: the scoped queryset a chosen id must be in."""
        super().__init__(*args, **kwargs)
        groups = {}
        for bed in free_beds:
            groups.setdefault(bed.house.name, []).append((bed.pk, f"{bed.room.name} · {bed.label}"))
        self.fields["bed"].choices = [("", "Choose a bed"), *groups.items()]
        self._beds = beds

    def clean_bed(self):
        bed = self._beds.filter(pk=self.cleaned_data["bed"]).select_related("room", "house").first()
        if bed is None:
            raise forms.ValidationError(_("Choose one of the free beds listed."))
        return bed


class AcceptAndAdmitForm(TransferForm):
    """A waiting applicant into a free bed: the beds offered are those free tonight in the houses they fit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].label = "Bed"
        self.fields["bed"].help_text = "Free beds tonight in the houses this applicant fits, by house."
        self.fields["on"].label = "Move-in date"
        self.fields["on"].help_text = "The first night in the house."


class DischargeForm(_DatedForm):
    on = dates.DateField(
        label=gettext_lazy("Move-out date"),
        widget=DateInput,
        help_text=gettext_lazy("The first night the resident no longer sleeps here."),
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"), choices=[("", "Choose a reason"), *Stay.DischargeReason.choices]
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=5000, widget=forms.Textarea({"rows": 3})
    )
