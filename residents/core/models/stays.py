from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import Bed, House
from residents.core.models.profiles import Resident


class StayQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def open(self):
        return self.filter(move_out__isnull=True)


class Stay(models.Model):
    """One residence in one organization, from admission to discharge. A later return is a new stay."""

    class DischargeReason(models.TextChoices):
        COMPLETED = "completed", _("Completed program")
        VOLUNTARY = "voluntary", _("Voluntary")
        RELAPSE = "relapse", _("Relapse")
        RULE_VIOLATION = "rule_violation", _("Rule violation")
        NON_PAYMENT = "non_payment", _("Non-payment")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="stays")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="stays")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="stays", help_text=_("Current house"))
    # Where the stay began: admissions count here. ``house`` follows transfers; where a night was slept is the bed's
    # house (residents.core.selectors.nights).
    admitted_to = models.ForeignKey(
        House, on_delete=models.PROTECT, related_name="admissions", help_text=_("House the stay was admitted into")
    )
    move_in = models.DateField()
    move_out = models.DateField(null=True, blank=True, help_text=_("First night no longer in the house"))
    expected_move_out = models.DateField(
        null=True,
        blank=True,
        help_text=_("Planned move-out (first night away), while the stay is open: the bed shows as opening soon"),
    )
    discharge_reason = models.CharField(max_length=16, choices=DischargeReason.choices, blank=True)
    discharge_note = models.TextField(blank=True)
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StayQuerySet.as_manager()

    class Meta:
        ordering = ["-move_in", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(move_out__isnull=True), name="one_open_stay_per_resident"
            ),
            models.CheckConstraint(
                condition=Q(move_out__isnull=True) | Q(move_out__gte=F("move_in")),
                name="stay_moves_out_after_moving_in",
                violation_error_message="Move-out cannot be before move-in.",
            ),
            models.CheckConstraint(
                condition=Q(move_out__isnull=True) | ~Q(discharge_reason=""),
                name="discharged_stay_has_reason",
                violation_error_message="A discharge needs a reason.",
            ),
        ]

    def __str__(self):
        return f"{self.resident} at {self.house} from {self.move_in}"

    def save(self, *args, **kwargs):
        # A new stay is admitted into the house it starts in.
        if self.admitted_to_id is None and self.house_id is not None:
            self.admitted_to_id = self.house_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.move_out is None

    @property
    def current_assignment(self):
        """The bed assignment in force (reads the prefetched assignments when they are there)."""
        current = [assignment for assignment in self.bed_assignments.all() if assignment.end is None]
        return current[-1] if current else None


class BedAssignmentQuerySet(TenantQuerySet):
    organization_path = "stay__organization"
    house_path = "bed__house"

    def for_resident(self, qs, viewer):
        return qs.filter(stay__resident__membership=viewer)

    def current(self):
        return self.filter(end__isnull=True)


class BedAssignment(models.Model):
    """Which bed a stay used, from start (first night) to end (first night elsewhere); end is empty while current."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="bed_assignments")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="assignments")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = BedAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            # The database's last word against double-booking, whatever the code above it does.
            models.UniqueConstraint(fields=["bed"], condition=Q(end__isnull=True), name="one_current_occupant_per_bed"),
            models.UniqueConstraint(fields=["stay"], condition=Q(end__isnull=True), name="one_current_bed_per_stay"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="bed_assignment_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.bed} from {self.start}"
