"""The Archive page's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ArchiveDueForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the list above: archive these records"),
        help_text=_("They leave staff pages and the API, stay in the database, and can be restored here."),
        error_messages={"required": _("Tick the box to confirm you checked the list.")},
    )
