"""Page forms. They only parse input; every rule is checked by the services they hand it to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import dates
from accounts.forms import DateInput, DateTimeInput

from .models import DocumentKind, Drill, InspectionLine


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices)
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text=_("PDF, PNG or JPEG."))
    issued_on = dates.DateField(required=False, widget=DateInput)
    expires_on = dates.DateField(required=False, widget=DateInput, help_text="Leave empty if it does not expire.")
    organization_wide = forms.BooleanField(
        required=False, label=_("For the whole organization"), help_text=_("Counts as evidence for every house.")
    )

    def __init__(self, *args, can_file_organization_wide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_file_organization_wide:
            del self.fields["organization_wide"]


class EvidencePackForm(forms.Form):
    documents = forms.BooleanField(
        required=False,
        label=_("Append the documents themselves"),
        help_text=_("Each current document follows the register, with its own bookmark"),
    )


class DrillForm(forms.Form):
    held_at = dates.DateTimeField(label="Held at", widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M"])
    kind = forms.ChoiceField(choices=Drill.Kind.choices, initial=Drill.Kind.FIRE)
    residents_present = forms.IntegerField(min_value=0, max_value=500)
    evacuation_minutes = forms.DecimalField(label=_("Minutes to evacuate"), max_digits=5, decimal_places=1)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "drill_%s")  # the document upload beside it has a kind too
        super().__init__(*args, **kwargs)


class FixForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    fixed_on = dates.DateField(required=False, widget=DateInput, help_text="Default: today")


class InspectionLineForm(forms.Form):
    """One line of the inspection page; the prefix is the line's id so many lines share one form post."""

    result = forms.ChoiceField(choices=InspectionLine.Result.choices, required=False, widget=forms.RadioSelect)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = dates.DateField(required=False, widget=DateInput, label="Fix due by")
    location = forms.CharField(required=False, max_length=120)
    quantity = forms.IntegerField(required=False, min_value=0, max_value=100, label=_("Doses"))
    expires_on = dates.DateField(required=False, widget=DateInput, label="Expiry date")
    last_serviced_on = dates.DateField(required=False, widget=DateInput, label="Last service date")

    def __init__(self, *args, line: InspectionLine, **kwargs):
        self.line = line
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault(
            "initial",
            {
                "result": line.result, "note": line.note, "location": line.location, "quantity": line.quantity,
                "expires_on": line.expires_on, "last_serviced_on": line.last_serviced_on,
            },
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        keep = {"result", "note", "due_on"}
        if line.item == InspectionLine.Item.FIRE_EXTINGUISHER:
            keep |= {"location", "last_serviced_on"}
        elif line.item == InspectionLine.Item.NALOXONE_KIT:
            keep |= {"location", "quantity", "expires_on"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def observed(self) -> dict:
        """The equipment facts entered on this line, for the service."""
        names = ("location", "quantity", "expires_on", "last_serviced_on")
        return {
            name: self.cleaned_data[name]
            for name in names
            if name in self.fields and self.cleaned_data.get(name) not in (None, "")
        }
