from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident


class ApplicationQuerySet(TenantQuerySet):
    house_path = None

    def visible_to(self, viewer):
        qs = self.filter(organization_id=viewer.organization_id)
        if viewer.is_operator:
            return qs
        if viewer.is_manager:
            # Managers see who wants their houses, and the organization's intake pool with no preference.
            return qs.filter(Q(preferred_house__staff=viewer) | Q(preferred_house__isnull=True)).distinct()
        return qs.none()

    def waitlist_for(self, house: House):
        """The house's waitlist in order of application: waitlisted (and accepted, not yet admitted) applicants who
        asked for this house, or for no house in particular and a designation that fits it."""
        return (
            self.filter(organization_id=house.organization_id, status__in=Application.WAITING)
            .filter(fits_house(house, house.gender))
            .order_by("applied_on", "pk")
        )


def fits_house(house, gender) -> Q:
    """Applications that fit a house: they asked for it, or for no house in particular and a designation that fits.
    ``house`` and ``gender`` are a house and its designation, or ``OuterRef``s to them (to count per house)."""
    gender_fits = Q(preferred_gender="") | Q(preferred_gender=gender)
    return Q(preferred_house=house) | (Q(preferred_house__isnull=True) & gender_fits)


class Application(models.Model):
    """Someone asking for a bed. Moves new → screening → waitlisted → accepted / declined / withdrawn;
    admitting an accepted applicant creates the Resident and the Stay in one step."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        SCREENING = "screening", _("Screening")
        INTERVIEW = "interview", _("Interview")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADMITTED = "admitted", _("Admitted")

    # Which status may follow which; admitted is reached only by admitting.
    TRANSITIONS = {
        Status.NEW: {
            Status.SCREENING,
            Status.INTERVIEW,
            Status.WAITLISTED,
            Status.ACCEPTED,
            Status.DECLINED,
            Status.WITHDRAWN,
        },
        Status.SCREENING: {Status.INTERVIEW, Status.WAITLISTED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.INTERVIEW: {Status.WAITLISTED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.WAITLISTED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.WAITLISTED, Status.DECLINED, Status.WITHDRAWN},
        Status.DECLINED: set(),
        Status.WITHDRAWN: set(),
        Status.ADMITTED: set(),
    }
    WAITING = (Status.WAITLISTED, Status.ACCEPTED)
    DECIDED = (Status.ACCEPTED, Status.DECLINED, Status.ADMITTED)

    class ReferredBy(models.TextChoices):
        SELF = "self", _("Self")
        FAMILY = "family", _("Family")
        PARTNER = "partner", _("A referral partner")
        OTHER = "other", _("Other")

    class ReceivedVia(models.TextChoices):
        STAFF = "staff", _("Recorded by staff")
        WEBSITE = "website", _("Public application form")
        PARTNER = "partner", _("Referral partner")
        IMPORT = "import", _("Spreadsheet import")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="The language the application was sent in"
    )
    preferred_house = models.ForeignKey(
        House, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    preferred_gender = models.CharField(
        "preferred gender designation", max_length=8, choices=House.Gender.choices, blank=True
    )
    referral_source = models.CharField(max_length=120, blank=True)
    referred_by = models.CharField(max_length=8, choices=ReferredBy.choices, default=ReferredBy.SELF)
    received_via = models.CharField(max_length=8, choices=ReceivedVia.choices, default=ReceivedVia.STAFF)
    preferred_move_in = models.DateField(null=True, blank=True)
    on_moud = models.BooleanField(
        "takes medication for opioid use disorder", null=True, blank=True, help_text=_("Empty when not asked")
    )
    consent_to_contact = models.BooleanField(default=False)
    payer = models.CharField(max_length=8, choices=Resident.Payer.choices, default=Resident.Payer.SELF)
    payer_name = models.CharField(max_length=120, blank=True)
    sobriety_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    applied_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Response times: when it arrived, when someone first replied, when it was accepted, declined or admitted.
    received_at = models.DateTimeField(default=timezone.now)
    first_contacted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    # Erased at the applicant's request: the personal data is blanked, the row stays for the month's figures.
    erased_at = models.DateTimeField(null=True, blank=True)
    resident = models.OneToOneField(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["applied_on", "pk"]
        indexes = [
            models.Index(fields=["organization", "status", "applied_on"]),
            models.Index(fields=["organization", "first_contacted_at", "received_at"]),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.get_status_display()})"


class ApplicationEventQuerySet(TenantQuerySet):
    organization_path = "application__organization"
    house_path = None

    def visible_to(self, viewer):
        return self.filter(application__in=Application.objects.visible_to(viewer))


class ApplicationEvent(models.Model):
    """One step of an application: from which status to which, when and by whom."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Application.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    objects = ApplicationEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status or '—'} → {self.to_status}"
