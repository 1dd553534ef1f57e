"""Incidents (what happened, which rule, the consequence) and staff notes about a resident.

Both are staff records and sensitive: residents never see them, and staff reads and changes are audited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident


class IncidentQuerySet(TenantQuerySet):
    # Residents see no incidents, not even those they are involved in.

    def in_view(self):
        """Incidents not archived under the retention policy: the day-to-day pages' and lists' (residents.retention)."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class Incident(models.Model):
    class Category(models.TextChoices):
        SUBSTANCE_USE = "substance_use", _("Substance use")
        CURFEW = "curfew", _("Curfew")
        GUEST_POLICY = "guest_policy", _("Guest policy")
        VIOLENCE = "violence", _("Violence or threat")
        PROPERTY_DAMAGE = "property_damage", _("Property damage")
        THEFT = "theft", _("Theft")
        CONDUCT = "conduct", _("Conduct")
        MEDICAL = "medical", _("Medical")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    class Action(models.TextChoices):
        WARNING = "warning", _("Warning")
        FINE = "fine", _("Fine")
        RESTRICTION = "restriction", _("Restriction")
        BEHAVIOUR_CONTRACT = "behaviour_contract", _("Behaviour contract")
        DISCHARGE = "discharge", _("Discharge")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="incidents")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="incidents")
    residents = models.ManyToManyField(
        Resident, related_name="incidents", blank=True, help_text=_("Residents involved (living in the house that day)")
    )
    occurred_at = models.DateTimeField()
    category = models.CharField(max_length=16, choices=Category.choices)
    rule_reference = models.CharField(max_length=120, blank=True, help_text=_("The house rule broken, if any"))
    severity = models.CharField(max_length=8, choices=Severity.choices)
    what_happened = models.TextField()
    action = models.CharField(
        max_length=20, choices=Action.choices, blank=True, help_text=_("The consequence; empty while undecided")
    )
    fine_amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Per resident involved; only with a fine")
    )
    follow_up_on = models.DateField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Archived under the retention policy: kept, out of day-to-day view")
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["house", "occurred_at"]), models.Index(fields=["organization", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="fine", fine_amount__gt=0) | (~Q(action="fine") & Q(fine_amount__isnull=True)),
                name="fine_amount_only_and_always_with_a_fine",
                violation_error_message="A fine needs a positive amount; other actions take none.",
            ),
        ]

    def __str__(self):
        return f"{self.house} · {self.get_category_display()} · {self.occurred_at:%Y-%m-%d}"


class ResidentNoteQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise PermissionError("Resident notes are append-only.")

    def in_view(self):
        """Notes not archived under the retention policy: the day-to-day pages' and lists' (residents.retention)."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def set_archived_at(self, moment) -> int:
        """Archives (a moment) or restores (None) these notes: the one change a note ever takes, and only
        ``residents.retention.services`` makes it. A note's words, author and date stay as written; every other
        update is refused above."""
        return super().update(archived_at=moment)

    def delete(self):
        raise PermissionError("Resident notes are append-only.")


class ResidentNote(models.Model):
    """A staff note about a resident. Append-only: a correction is a new note.

    ``house`` is where the resident lived when the note was written; it decides which managers see it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="notes")
    house = models.ForeignKey(House, null=True, blank=True, on_delete=models.PROTECT, related_name="resident_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Archived under the retention policy: kept, out of day-to-day view")
    )

    objects = ResidentNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["resident", "created_at"])]

    def __str__(self):
        return f"Note on {self.resident} by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Resident notes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Resident notes are append-only.")
