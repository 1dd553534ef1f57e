from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.selectors.nights import homes_of


class DocumentKind(models.TextChoices):
    BUSINESS_LICENSE = "business_license", _("Business licence or entity papers")
    LIABILITY_INSURANCE = "liability_insurance", _("Liability insurance")
    OWNER_PERMISSION = "owner_permission", _("Property owner's permission")
    OCCUPANCY_CERTIFICATE = "occupancy_certificate", _("Occupancy certificate or inspection report")
    MISSION_VISION = "mission_vision", _("Mission and vision")
    RESIDENT_HANDBOOK = "resident_handbook", _("Resident handbook (rights and requirements)")
    GRIEVANCE_POLICY = "grievance_policy", _("Grievance policy")
    DRUG_TESTING_POLICY = "drug_testing_policy", _("Drug-testing policy")
    REFUND_POLICY = "refund_policy", _("Refund policy")
    EMERGENCY_PROCEDURES = "emergency_procedures", _("Emergency procedures")
    CODE_OF_ETHICS = "code_of_ethics", _("Code of ethics")
    FEE_SCHEDULE = "fee_schedule", _("Fee schedule")
    OTHER = "other", _("Other")


# Policies every resident may read and download: the ones they are held to or may invoke.
PUBLISHED_KINDS = frozenset(
    {
        DocumentKind.RESIDENT_HANDBOOK,
        DocumentKind.GRIEVANCE_POLICY,
        DocumentKind.REFUND_POLICY,
        DocumentKind.FEE_SCHEDULE,
    }
)

# Content types accepted for an upload, as detected from the bytes, with the extension the stored file gets.
ALLOWED_CONTENT_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


class DocumentQuerySet(TenantQuerySet):
    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            # Organization-wide papers (licence, code of ethics) are evidence for every house, so managers read them.
            return qs.filter(Q(house__isnull=True) | Q(house__in=House.objects.filter(staff=viewer)))
        return self.for_resident(qs, viewer)

    def for_resident(self, qs, viewer):
        homes = homes_of(viewer)
        return qs.current().filter(kind__in=PUBLISHED_KINDS).filter(Q(house__isnull=True) | Q(house__in=homes))

    def current(self):
        return self.filter(is_current=True)

    def for_house(self, house):
        """Documents that count for ``house``: its own and the organization-wide ones."""
        return self.filter(organization_id=house.organization_id).filter(Q(house=house) | Q(house__isnull=True))


class Document(models.Model):
    """A piece of certification evidence: a licence, a policy, a certificate, as an uploaded PDF or image.

    A document belongs to one house, or to the whole organization when ``house`` is empty. Uploading a new version
    of the same kind for the same scope supersedes the current one, which stays in the history. Files are stored
    under random names and are only ever served through the authenticated download endpoint.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="documents")
    house = models.ForeignKey(
        House,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Empty for an organization-wide document",
    )
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=255)
    content_type = models.CharField(max_length=64, help_text="Detected from the file's content")
    size = models.PositiveIntegerField(help_text="Bytes")
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True, help_text="Off once a newer version supersedes it")
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["organization", "kind", "is_current"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(issued_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="document_expires_after_issue",
                violation_error_message="The expiry date cannot be before the issue date.",
            ),
            # One current version per kind and scope; "other" papers stand alone and never supersede each other.
            models.UniqueConstraint(
                fields=["house", "kind"],
                condition=Q(is_current=True, house__isnull=False) & ~Q(kind="other"),
                name="one_current_document_per_house_and_kind",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(is_current=True, house__isnull=True) & ~Q(kind="other"),
                name="one_current_organization_document_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(is_current=True, superseded_by__isnull=True) | Q(is_current=False),
                name="current_document_is_not_superseded",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def is_published(self) -> bool:
        return self.kind in PUBLISHED_KINDS

    @property
    def scope_label(self) -> str:
        return self.house.name if self.house_id else "Whole organization"
