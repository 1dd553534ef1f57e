"""The listing editor's forms. They check shape only (types, lengths, choices); the rules (a free slug, the age
range, publishing needs the rent set, a real image) live in ``vacancies.services.listings``."""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from .models import HouseListing, ListingFee, ListingPhoto
from .services.listings import FEE_FIELDS, LISTING_FIELDS


class ListingForm(forms.Form):
    pass


ListingForm.base_fields = fields_for_model(
    HouseListing,
    fields=LISTING_FIELDS,
    labels={
        "published": _("Published"),
        "slug": _("Web address"),
        "min_age": _("Youngest age accepted"),
        "max_age": _("Oldest age accepted"),
        "accepts_moud": _("Accepts residents on medication for opioid use disorder (MOUD)"),
        "show_street_address": _("Show the street address"),
        "summary": _("Summary"),
        "refund_policy": _("Refund policy"),
        "neighbourhood": _("Neighbourhood"),
        "contact_phone": _("Contact phone"),
        "contact_email": _("Contact email"),
    },
    help_texts={
        "published": _("Shown on the public vacancy pages, in the open feed and in the embedded snippet."),
        "slug": _("Lowercase letters, numbers and hyphens: the end of the public page's address."),
    },
    widgets={
        "summary": forms.Textarea({"rows": 4}),
        "included": forms.Textarea({"rows": 4}),
        "refund_policy": forms.Textarea({"rows": 3}),
        "contact_phone": forms.TextInput({"type": "tel"}),
    },
)


class FeeForm(forms.Form):
    pass


FeeForm.base_fields = fields_for_model(
    ListingFee,
    fields=FEE_FIELDS,
    labels={
        "name": _("Fee"),
        "amount": _("Amount ($)"),
        "frequency": _("Charged"),
        "refundable": _("Refundable"),
        "note": _("Note"),
    },
    help_texts={"note": _("Optional, e.g. “refunded at move-out when the key is returned”.")},
)
FeeForm.base_fields["amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0"})


class PhotoForm(forms.Form):
    # A plain file field: the service reads it with Pillow (one rule for what a photo is).
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image of at most 5 MB."),
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = fields_for_model(ListingPhoto, fields=["alt_text"])["alt_text"]
    alt_text.help_text = _(
        "What the photo shows, read aloud to people who cannot see it, e.g. “A bright shared bedroom”."
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))], widget=forms.HiddenInput)
