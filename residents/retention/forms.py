"""The Archive page's forms."""

from django import forms


class ArchiveDueForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the list above: archive these records",
        help_text="They leave staff pages and the API, stay in the database, and can be restored here.",
        error_messages={"required": "Tick the box to confirm you checked the list."},
    )
