from django.conf import settings
from django.db import models

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House


class ReportQuerySet(TenantQuerySet):
    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            return qs.filter(house__staff=viewer)
        return qs.none()


class Report(models.Model):
    """A generated report file: one month, for one house or the whole organization.

    ``fingerprint`` is a digest of the figures the report shows, so a second request for the same month and scope
    returns this report while the numbers are unchanged, and a new one once they change.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "Monthly report"

    class Audience(models.TextChoices):
        INTERNAL = "internal", "Internal (names residents)"
        FUNDER = "funder", "Funder (no names, small counts hidden)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MONTHLY)
    month = models.DateField(help_text="First day of the month reported on")
    house = models.ForeignKey(House, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.INTERNAL)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0, help_text="Houses rendered so far")
    progress_total = models.PositiveIntegerField(default=0, help_text="Houses to render")
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "kind", "month", "house"])]

    def __str__(self):
        scope = self.house.name if self.house_id else self.organization.name
        return f"{self.get_kind_display()} {self.month:%B %Y} · {scope}"

    @property
    def filename(self) -> str:
        scope = self.house.name if self.house_id else self.organization.name
        slug = "".join(ch if ch.isalnum() else "-" for ch in scope.lower()).strip("-")
        return f"hearth-{self.kind}-{self.month:%Y-%m}-{slug}.pdf"
