"""E-mails Hearth sends residents about their money, each recorded once, and a resident's opt-out of reminders."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from residents.models import Resident

from .ledger import LedgerEntry
from .online import OnlinePayment
from .scope import ResidentScopedQuerySet


class ResidentNoticeQuerySet(ResidentScopedQuerySet):
    pass


class ResidentNotice(models.Model):
    """One e-mail sent to a resident: a rent reminder (before the due date, on it, once late) for a charge, or a
    receipt or autopay notice for an online payment. The unique constraints make each one go out once, however many
    times the job runs."""

    class Kind(models.TextChoices):
        RENT_UPCOMING = "rent_upcoming", _("Rent due soon")
        RENT_DUE = "rent_due", _("Rent due today")
        RENT_LATE = "rent_late", _("Rent is late")
        RECEIPT = "receipt", _("Receipt")
        AUTOPAY_FAILED = "autopay_failed", _("Autopay charge failed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    charge = models.ForeignKey(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    online_payment = models.ForeignKey(
        OnlinePayment, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    attempt = models.PositiveSmallIntegerField(default=0, help_text="Autopay: which try failed")
    email = models.EmailField(help_text="Where it was sent")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ResidentNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "charge"], condition=Q(charge__isnull=False), name="one_notice_per_kind_and_charge"
            ),
            models.UniqueConstraint(
                fields=["kind", "online_payment", "attempt"],
                condition=Q(online_payment__isnull=False),
                name="one_notice_per_kind_and_online_payment_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.email}"


class ReminderOptOut(models.Model):
    """The resident asked not to get rent reminders (receipts still come: they are records of money paid)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="reminder_opt_out")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ResidentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.resident} gets no rent reminders"
