from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House


class ReminderSent(models.Model):
    """One reminder claimed for one item at one threshold. The row is inserted before the e-mail goes out, and the
    unique key makes a second (or concurrent) run skip the item instead of sending it twice."""

    class ItemType(models.TextChoices):
        DOCUMENT = "document", _("Document")
        NALOXONE_KIT = "naloxone_kit", _("Naloxone kit")
        EXTINGUISHER_SERVICE = "extinguisher_service", _("Extinguisher service")
        INSPECTION_DUE = "inspection_due", _("Inspection due")
        DRILL_DUE = "drill_due", _("Drill due")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective action")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(
        House, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Empty: organization-wide"
    )
    item_type = models.CharField(max_length=24, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField(help_text="The document, equipment, house or corrective action id")
    threshold = models.CharField(max_length=40, help_text="'30', '7', 'expired' or 'overdue', with the due date")
    due_on = models.DateField()
    summary = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "item_id", "threshold"], name="one_reminder_per_item_and_threshold"
            )
        ]

    def __str__(self):
        return f"{self.summary} [{self.threshold}]"
