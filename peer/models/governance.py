"""A peer-run house's charter (its own settings) and the offices its members hold for a term."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from houses.models import House
from peer.models.scope import MemberScopedQuerySet
from residents.models import Resident

# The model's rule: an officer serves at most six months at a time, so the work and the trust go round.
LONGEST_TERM_MONTHS = 6


class Office(models.TextChoices):
    PRESIDENT = "president", _("President")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")
    COMPTROLLER = "comptroller", _("Comptroller")
    COORDINATOR = "coordinator", _("Coordinator")
    HOUSE_SERVICES_REP = "house_services_rep", _("House services representative")


class HouseCharterQuerySet(MemberScopedQuerySet):
    pass


class HouseCharter(models.Model):
    """What a peer-run house decided for itself: how long an officer's term is, the share of members present an
    admission or a dismissal needs, and how far behind on shares a member may fall before a behaviour contract."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.OneToOneField(House, on_delete=models.PROTECT, related_name="charter")
    term_months = models.PositiveSmallIntegerField(
        default=LONGEST_TERM_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_TERM_MONTHS)],
        help_text=_("How long an officer serves, in months (at most six)."),
    )
    admission_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(51), MaxValueValidator(100)],
        help_text=_("Share of the members present who must vote for an applicant to admit them."),
    )
    dismissal_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(51), MaxValueValidator(100)],
        help_text=_("Share of the members present who must vote for a dismissal."),
    )
    behind_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(0)],
        help_text=_("A member owing more than this on shares is asked for a behaviour contract."),
    )
    share_due_weekday = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(6)], help_text=_("Day the weekly share is due (0 = Monday)")
    )
    chapter = models.ForeignKey(
        "peer.Chapter", null=True, blank=True, on_delete=models.PROTECT, related_name="charters"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseCharterQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(term_months__gte=1, term_months__lte=LONGEST_TERM_MONTHS),
                name="officer_term_at_most_six_months",
            ),
            models.CheckConstraint(
                condition=Q(admission_percent__gte=51, admission_percent__lte=100)
                & Q(dismissal_percent__gte=51, dismissal_percent__lte=100),
                name="vote_thresholds_are_majorities",
            ),
        ]

    def __str__(self):
        return f"{self.house.name} charter"


class OfficerTermQuerySet(MemberScopedQuerySet):
    def on(self, day):
        """Terms running on ``day``: started by then and not yet ended."""
        return self.filter(starts_on__lte=day, ends_on__gt=day)


class OfficerTerm(models.Model):
    """A member holding an office of their house from ``starts_on`` until the day before ``ends_on``. A term ends
    on its own after the charter's months, or earlier when the member leaves the house or someone else is elected."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="officer_terms")
    office = models.CharField(max_length=20, choices=Office.choices)
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="officer_terms")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text=_("First day out of office"))
    elected_at = models.ForeignKey(
        "peer.BusinessMeeting", null=True, blank=True, on_delete=models.PROTECT, related_name="elections"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OfficerTermQuerySet.as_manager()

    class Meta:
        ordering = ["house", "office", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="officer_term_ends_after_it_starts"),
            models.UniqueConstraint(fields=["house", "office", "starts_on"], name="one_officer_term_start_per_office"),
        ]
        indexes = [models.Index(fields=["house", "office", "ends_on"])]

    def __str__(self):
        return f"{self.get_office_display()} of {self.house.name}: {self.resident} from {self.starts_on}"
