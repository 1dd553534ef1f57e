"""The listing editor's forms. They check shape only (types, lengths, choices); the rules (a free slug, the age
range, publishing needs the rent set, a real image) live in ``vacancies.services.listings``."""

from django import forms
from django.forms.models import fields_for_model

from .models import HouseListing, ListingFee, ListingPhoto
from .services.listings import FEE_FIELDS, LISTING_FIELDS


class ListingForm(forms.Form):
    pass


ListingForm.base_fields = fields_for_model(
    HouseListing,
    fields=LISTING_FIELDS,
    labels={
        "published": "Published",
        "slug": "Web address",
        "min_age": "Youngest age accepted",
        "max_age": "Oldest age accepted",
        "accepts_moud": "Accepts residents on medication for opioid use disorder (MOUD)",
        "show_street_address": "Show the street address",
    },
    help_texts={
        "published": "Shown on the public vacancy pages, in the open feed and in the embedded snippet.",
        "slug": "Lowercase letters, numbers and hyphens: the end of the public page's address.",
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
    labels={"name": "Fee", "amount": "Amount ($)", "frequency": "Charged", "refundable": "Refundable"},
    help_texts={"note": "Optional, e.g. “refunded at move-out when the key is returned”."},
)
FeeForm.base_fields["amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0"})


class PhotoForm(forms.Form):
    # A plain file field: the service reads it with Pillow (one rule for what a photo is).
    image = forms.FileField(
        label="Photo",
        help_text="A JPEG, PNG or WebP image of at most 5 MB.",
        widget=forms.ClearableFileInput({"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = fields_for_model(ListingPhoto, fields=["alt_text"])["alt_text"]
    alt_text.help_text = "What the photo shows, read aloud to people who cannot see it, e.g. “A bright shared bedroom”."


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")], widget=forms.HiddenInput)
