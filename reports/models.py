from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

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
    returns this report while the numbers are unchanged, and a new one once they change. It is the SHA-256 printed on
    the cover: a PDF cannot carry the hash of its own file, so the cover names its figures instead, and ``sha256``
    (the hash of the stored file, shown in the API and on the reports page) proves the download is the one stored.
    A report of a closed month is made once and never again while the month stays closed; reopening the month
    marks it ``superseded_at``.
    """

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly report")

    class Audience(models.TextChoices):
        INTERNAL = "internal", _("Internal (names residents)")
        FUNDER = "funder", _("Funder (no names, small counts hidden)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

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
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the stored PDF file, hex")
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text="When its month was reopened: the figures may since have changed"
    )
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The current run's claim (its token: a superseded run's result is discarded), its last sign of life, and how
    # many runs were started; the reaper reads them to tell a dead run from a slow one.
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "kind", "month", "house"])]

    def __str__(self):
        scope = self.house.name if self.house_id else self.organization.name
        return f"{self.get_kind_display()} {date_format(self.month, 'F Y')} · {scope}"

    @property
    def filename(self) -> str:
        scope = self.house.name if self.house_id else self.organization.name
        slug = "".join(ch if ch.isalnum() else "-" for ch in scope.lower()).strip("-")
        # The funder copy is a different document: its name says so, so the two never overwrite each other.
        audience = "-funder" if self.audience == self.Audience.FUNDER else ""
        return f"hearth-{self.kind}-{self.month:%Y-%m}-{slug}{audience}.pdf"


class MonthCloseQuerySet(TenantQuerySet):
    def visible_to(self, viewer):
        if not viewer.is_staff_member:
            return self.none()
        return self.filter(organization_id=viewer.organization_id)

    def in_force(self):
        return self.filter(reopened_at__isnull=True)


class MonthClose(models.Model):
    """An organization closed a month: nothing can be dated into it (or before it) any more, and its organization
    report is stored for good. Months close in order; reopening the latest one keeps this row as history
    (``reopened_at``), and closing it again writes a new row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="month_closes")
    month = models.DateField(help_text="First day of the closed month")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="closes",
        help_text="The month's organization report, made once at the close",
    )  # fmt: skip
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.CharField(max_length=300, blank=True)

    objects = MonthCloseQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"],
                condition=models.Q(reopened_at__isnull=True),
                name="one_close_in_force_per_month",
            ),
        ]

    def __str__(self):
        return f"{self.organization} closed {self.month:%B %Y}"


class MonthCloseReminder(models.Model):
    """The month-end job reminded an organization's operators to close a month; one row per month, inserted
    before the e-mail goes, so the reminder is sent once however often the job runs."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month to close")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="one_close_reminder_per_month"),
        ]

    def __str__(self):
        return f"{self.organization}: close {self.month:%B %Y}"
