"""An import of one spreadsheet: who uploaded what, how its columns map onto Hearth's fields, what the check found
and what the import wrote. Kept as history: the operator sees every past import and what it created."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet


class SheetKind(models.TextChoices):
    HOUSES = "houses", _("Houses")
    BEDS = "beds", _("Rooms and beds")
    RESIDENTS = "residents", _("Residents, their stays and opening balances")


class ImportRunQuerySet(TenantQuerySet):
    def visible_to(self, viewer):
        # Imports write across the organization: only its operators see them.
        if not viewer.is_operator:
            return self.none()
        return self.filter(organization_id=viewer.organization_id)


def _upload_to(run: "ImportRun", filename: str) -> str:
    return f"imports/{run.organization_id}/{filename}"


class ImportRun(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKED = "checked", _("Checked")
        DONE = "done", _("Imported")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=SheetKind.choices)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=_upload_to, max_length=300)
    sha256 = models.CharField(max_length=64)
    sheet_name = models.CharField(max_length=100, blank=True, help_text="XLSX: the worksheet read (blank: the first)")
    headers = models.JSONField(default=list, help_text="The sheet's header row, as read")
    mapping = models.JSONField(default=dict, help_text="Hearth field -> sheet header ('' when not mapped)")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.UPLOADED)
    counts = models.JSONField(default=dict, help_text="Rows read, bad, to create / created and already present")
    created_ids = models.JSONField(default=dict, help_text="What the import wrote: ids by kind of record")
    row_errors = models.JSONField(default=list, help_text="[{row, field, message}] from the last check or import")
    only_good_rows = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="When an operator deleted the stored upload (the run's record stays)"
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.original_name}"

    @property
    def bad_rows(self) -> int:
        return len({error["row"] for error in self.row_errors})
