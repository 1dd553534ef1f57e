from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet
from residents.models import Resident


class DataExportQuerySet(TenantQuerySet):
    house_path = None  # an export is never a house's: managers see none

    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            # A resident's own download is theirs alone; the operators' list is the organization's exports.
            return qs.filter(scope=DataExport.Scope.ORGANIZATION)
        if viewer.is_resident:
            return qs.filter(scope=DataExport.Scope.RESIDENT, resident__membership=viewer)
        return qs.none()


class DataExport(models.Model):
    """A zip of CSV files written in the background: all of an organization's data (asked for by an operator), or
    all of one resident's own record (asked for by that resident, their right of access)."""

    class Scope(models.TextChoices):
        ORGANIZATION = "organization", _("Whole organization")
        RESIDENT = "resident", _("One resident's own record")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="data_exports")
    requested_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who asked for it; empty for one made by the export_organization command",
    )  # fmt: skip
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ORGANIZATION)
    resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Whose record, for a resident's export",
    )  # fmt: skip
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0, help_text="Files written so far")
    progress_total = models.PositiveIntegerField(default=0, help_text="Files to write")
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the stored zip file, hex")
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes in the stored zip file")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The current run's claim (``started_at`` with ``attempts``, its token: a superseded run's result is discarded),
    # its last sign of life, and how many runs were started; the reaper reads them to tell a dead run from a slow one.
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last took it up: one running long after lost its worker"
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When its run last wrote progress: one silent long after lost its worker"
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs started; after 3 that stopped it fails")
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When its stored zip is deleted (EXPORT_KEEP_DAYS after it was written)"
    )

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="organization", resident__isnull=True)
                | models.Q(scope="resident", resident__isnull=False),
                name="export_resident_only_for_resident_scope",
            ),
        ]

    def __str__(self):
        whose = self.organization.name if self.scope == self.Scope.ORGANIZATION else "your record"
        return f"Export of {whose} ({self.created_at:%b %-d, %Y %H:%M})"

    @property
    def filename(self) -> str:
        slug = self.organization.slug
        stamp = f"{self.created_at:%Y%m%d-%H%M%S}"
        if self.scope == self.Scope.RESIDENT:
            return f"hearth-my-record-{slug}-{stamp}.zip"
        return f"hearth-export-{slug}-{stamp}.zip"
