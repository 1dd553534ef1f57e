"""Filling beds: what a house publishes about itself, the partners who refer people, and the notices sent when a
bed opens. Nothing here describes a person except an application's link to the partner who sent it."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet
from billing.models.terms import money_field
from houses.models import Bed, House
from residents.models import Application, Stay


def new_token() -> str:
    return secrets.token_urlsafe(24)


class HouseListingQuerySet(TenantQuerySet):
    def published(self):
        """Listings anyone may see: published, of a house still open."""
        return self.filter(published=True, house__status=House.Status.ACTIVE, house__closed_on__isnull=True)


class HouseListing(models.Model):
    """What a house shows the public on its vacancy page and in the open feed, when the operator publishes it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.OneToOneField(House, on_delete=models.PROTECT, related_name="listing")
    published = models.BooleanField(default=False, help_text=_("Shown on the public vacancy pages and feeds"))
    slug = models.SlugField(
        max_length=60, help_text=_("The house's address on the public pages: /v/<organization>/<slug>/")
    )
    summary = models.TextField(blank=True, help_text=_("A few sentences about the house and who it suits"))
    min_age = models.PositiveSmallIntegerField(
        default=18, validators=[MinValueValidator(16), MaxValueValidator(99)], help_text=_("Youngest age accepted")
    )
    max_age = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(16), MaxValueValidator(120)],
        help_text=_("Empty: no limit"),
    )
    accepts_moud = models.BooleanField(
        _("accepts residents on medication for opioid use disorder"),
        default=True,
        help_text=_("Buprenorphine, methadone or naltrexone, as prescribed"),
    )
    included = models.TextField(
        _("what the rent includes"), blank=True, help_text=_("One item per line: utilities, Wi-Fi, laundry, linens, …")
    )
    refund_policy = models.TextField(
        blank=True, help_text=_("When the deposit and prepaid rent are refunded, in the words residents sign")
    )
    neighbourhood = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Shown instead of the street address, e.g. “East Side, near the bus line”"),
    )
    show_street_address = models.BooleanField(
        default=False, help_text=_("Publish the street address (otherwise only the city and neighbourhood show)")
    )
    contact_phone = models.CharField(max_length=40, blank=True, help_text=_("For questions about a bed"))
    contact_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = HouseListingQuerySet.as_manager()

    class Meta:
        ordering = ["house__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="listing_slug_unique_in_organization"),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="listing_age_range_in_order",
                violation_error_message=_("The oldest age accepted cannot be below the youngest."),
            ),
        ]

    def __str__(self):
        return f"Listing of {self.house}"


class ListingFeeQuerySet(TenantQuerySet):
    organization_path = "listing__organization"
    house_path = "listing__house"


class ListingFee(models.Model):
    """A fee beyond rent and deposit (application, program, key, drug testing, …): published in full, as
    certification asks."""

    class Frequency(models.TextChoices):
        ONCE = "once", _("One time")
        WEEKLY = "weekly", _("Each week")
        MONTHLY = "monthly", _("Each month")
        PER_USE = "per_use", _("Each time")

    listing = models.ForeignKey(HouseListing, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(max_length=80)
    amount = money_field()
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    refundable = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    objects = ListingFeeQuerySet.as_manager()

    class Meta:
        ordering = ["listing", "name"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "name"], name="listing_fee_name_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="listing_fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.name} ({self.listing.house})"


class ListingPhotoQuerySet(TenantQuerySet):
    organization_path = "listing__organization"
    house_path = "listing__house"


class ListingPhoto(models.Model):
    listing = models.ForeignKey(HouseListing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="listings/%Y/%m/")
    alt_text = models.CharField(
        _("description"), max_length=200, help_text=_("What the photo shows, for screen readers")
    )
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ListingPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["listing", "position", "pk"]

    def __str__(self):
        return self.alt_text


class ReferralPartnerQuerySet(TenantQuerySet):
    house_path = None  # the organization's partners are the operator's to keep; managers read them (selectors)


class ReferralPartner(models.Model):
    """An organization that refers people: a treatment centre, a court, a hospital. Sees the vacancies of the houses
    shared with it and the status of its own referrals, through a private link or its members' logins."""

    class Kind(models.TextChoices):
        TREATMENT = "treatment", _("Treatment centre")
        DETOX = "detox", _("Detox")
        COURT = "court", _("Court")
        PROBATION = "probation", _("Probation")
        HOSPITAL = "hospital", _("Hospital")
        CHURCH = "church", _("Church")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="referral_partners")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    contact_name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True, help_text=_("Where the daily vacancy digest goes"))
    phone = models.CharField(max_length=40, blank=True)
    houses = models.ManyToManyField(House, related_name="referral_partners", blank=True)
    link_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    link_enabled = models.BooleanField(default=True, help_text=_("The private link works"))
    digest_opt_in = models.BooleanField(
        _("daily vacancy digest"), default=False, help_text=_("One e-mail a day when beds open in the shared houses")
    )
    members = models.ManyToManyField(
        Membership, related_name="referral_partners", blank=True, help_text=_("Logins with the role referrer")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="partner_name_unique_in_organization")
        ]

    def __str__(self):
        return self.name


class ReferralQuerySet(TenantQuerySet):
    organization_path = "partner__organization"
    house_path = None


class Referral(models.Model):
    """An application a partner sent: the partner follows its status (never anything else of the applicant's file)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="referral")
    partner = models.ForeignKey(ReferralPartner, on_delete=models.PROTECT, related_name="referrals")
    referrer_name = models.CharField(max_length=120, blank=True, help_text=_("Who at the partner sent it"))
    referrer_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Referral from {self.partner}"


class PublicSubmission(models.Model):
    """An application sent through the public form: the applicant's private link to see, withdraw and erase it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="public_submission")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, help_text=_("When the acknowledgement was e-mailed"))
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Public submission {self.pk}"


class BedOpeningQuerySet(TenantQuerySet):
    house_path = "house"


class BedOpening(models.Model):
    """A bed becoming free on a night: found once (a discharge recorded, a planned move-out coming near), then the
    waitlist is offered it in order and partners hear of it in their digest. Unique per bed and night, so nothing
    is sent twice for the same opening."""

    class Cause(models.TextChoices):
        DISCHARGE = "discharge", _("Discharge recorded")
        PLANNED = "planned", _("Planned move-out")
        TRANSFER = "transfer", _("Moved to another bed")
        NEW_BED = "new_bed", _("Bed back in service")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="bed_openings")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="openings")
    opens_on = models.DateField(help_text=_("First night the bed is free"))
    cause = models.CharField(max_length=10, choices=Cause.choices)
    stay = models.ForeignKey(Stay, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    found_at = models.DateTimeField(default=timezone.now)
    filled_at = models.DateTimeField(null=True, blank=True, help_text=_("When someone was admitted to it"))
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text=_("When the move-out was called off"))

    objects = BedOpeningQuerySet.as_manager()

    class Meta:
        ordering = ["opens_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["bed", "opens_on"], name="one_opening_per_bed_and_night")]

    def __str__(self):
        return f"{self.bed} free from {self.opens_on}"


class WaitlistOfferQuerySet(TenantQuerySet):
    organization_path = "opening__organization"
    house_path = "opening__house"


class WaitlistOffer(models.Model):
    """A bed opening offered to one waiting applicant by e-mail, with a link to confirm interest within 48 hours."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Not interested")
        EXPIRED = "expired", _("No answer in time")

    opening = models.ForeignKey(BedOpening, on_delete=models.CASCADE, related_name="offers")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="waitlist_offers")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = WaitlistOfferQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "application"], name="one_offer_per_opening_and_applicant")
        ]

    def __str__(self):
        return f"{self.opening} offered to application {self.application_id}"


class PartnerDigest(models.Model):
    """The one vacancy digest a partner got on a day, and the openings it told of (never told twice)."""

    partner = models.ForeignKey(ReferralPartner, on_delete=models.CASCADE, related_name="digests")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    openings = models.ManyToManyField(BedOpening, related_name="digests")

    class Meta:
        ordering = ["-sent_on"]
        constraints = [models.UniqueConstraint(fields=["partner", "sent_on"], name="one_digest_per_partner_and_day")]

    def __str__(self):
        return f"Digest to {self.partner} on {self.sent_on}"
