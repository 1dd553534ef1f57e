from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import check_mapping, columns_of
from .models import SheetKind


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "A CSV (UTF-8) or an Excel .xlsx file of at most 2,000 rows, the column names in one row at the "
            "top (a title above them is fine)."
        ),
    )
    kind = forms.ChoiceField(label=_("What the sheet holds"), choices=SheetKind.choices)
    sheet = forms.CharField(
        label=_("Worksheet"),
        required=False,
        max_length=100,
        help_text=_("For an .xlsx workbook: the worksheet's name (blank: the first)."),
    )


class MappingForm(forms.Form):
    """One select per Hearth field, listing the sheet's columns."""

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [("", _("— not in this sheet —"))] + [(header, header) for header in run.headers if header]
        for column in columns_of(run.kind):
            self.fields[column.name] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=column.required,
                help_text=column.help,
                initial=run.mapping.get(column.name, ""),
                error_messages={"required": _("Choose the column that holds “%(column)s”.") % {"column": column.label}},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name, message in check_mapping(self.run.kind, self.run.headers, cleaned).items():
                self.add_error(name, message)
        return cleaned


class ImportForm(forms.Form):
    only_good_rows = forms.BooleanField(
        label=_("Import only the good rows"),
        required=False,
        help_text=_("Leave it unticked to import nothing while any row is bad."),
    )


class DeleteFileForm(forms.Form):
    """A button only: deletes the stored upload of a finished import."""
