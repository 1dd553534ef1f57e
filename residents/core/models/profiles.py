from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet


class ResidentQuerySet(TenantQuerySet):
    house_path = None  # managers see residents through their stays, below

    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            # Anyone who has lived in one of the manager's houses, and the intake pool not yet admitted anywhere.
            from residents.core.selectors.nights import residents_housed_by  # the selectors import these models

            return qs.filter(Q(pk__in=residents_housed_by(viewer)) | Q(stays__isnull=True)).distinct()
        return qs.filter(membership=viewer)


class Resident(models.Model):
    class Payer(models.TextChoices):
        SELF = "self", _("Self")
        FAMILY = "family", _("Family")
        AGENCY = "agency", _("Agency")
        VOUCHER = "voucher", _("Voucher")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="residents")
    legal_first_name = models.CharField(max_length=80)
    legal_last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    preferred_language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language this resident reads: their e-mails, receipts, statements and the rules they sign"),
    )
    emergency_contact_name = models.CharField(max_length=120, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    sobriety_date = models.DateField(null=True, blank=True)
    referral_source = models.CharField(max_length=120, blank=True)
    payer = models.CharField(max_length=8, choices=Payer.choices, default=Payer.SELF)
    payer_name = models.CharField(max_length=120, blank=True, help_text=_("Family member, agency or voucher program"))
    membership = models.OneToOneField(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
        help_text=_("Portal login, if the resident has one"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "pk"]
        indexes = [models.Index(fields=["organization", "legal_last_name", "legal_first_name"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}".strip()

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}".strip()
