"""The ledger: every charge and credit of a resident, append-only.

Sign convention (stored, signed amounts): ``amount > 0`` increases what the resident owes (charges, and refunds:
money handed back out to the resident), ``amount < 0`` decreases it (payments, credits and adjustments), and a
reversal carries exactly the opposite of the entry it cancels. A resident's balance is the plain sum of their
entries: positive means they owe, negative means they are in credit. Nothing stores a balance.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from houses.models import House
from residents.models import Resident, Stay

from .policies import RentSchedule
from .scope import ResidentScopedQuerySet
from .terms import money_field


class AppendOnlyError(PermissionError):
    """The ledger is append-only: a mistake is corrected by a reversal and a new entry, never by an edit."""


class EntryKind(models.TextChoices):
    RENT = "rent", _("Rent")
    DEPOSIT = "deposit", _("Deposit")
    PROGRAM_FEE = "program_fee", _("Program fee")
    LATE_FEE = "late_fee", _("Late fee")
    FINE = "fine", _("Fine")
    OTHER = "other", _("Other charge")
    PAYMENT = "payment", _("Payment")
    CREDIT = "credit", _("Credit / adjustment")
    REFUND = "refund", _("Refund")
    REVERSAL = "reversal", _("Reversal")


CHARGE_KINDS = frozenset(
    {EntryKind.RENT, EntryKind.DEPOSIT, EntryKind.PROGRAM_FEE, EntryKind.LATE_FEE, EntryKind.FINE, EntryKind.OTHER}
)
CHARGE_KIND_CHOICES = [(kind.value, kind.label) for kind in EntryKind if kind in CHARGE_KINDS]
DEBIT_KINDS = CHARGE_KINDS | {EntryKind.REFUND}  # stored positive
CREDIT_KINDS = frozenset({EntryKind.PAYMENT, EntryKind.CREDIT})  # stored negative


class LedgerEntryQuerySet(ResidentScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Ledger entries cannot be changed; reverse the entry and post a new one.")

    def delete(self):
        raise AppendOnlyError("Ledger entries cannot be deleted; reverse the entry instead.")

    def live(self):
        """Entries that count toward aging: neither a reversal nor an entry that was reversed."""
        return self.exclude(kind=EntryKind.REVERSAL).filter(reversed_by__isnull=True)


class LedgerEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="ledger_entries")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="ledger_entries")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    amount = money_field(help_text="Signed: above zero adds to what the resident owes, below zero takes from it")
    effective_on = models.DateField(help_text="The day the charge fell due or the money moved")
    occurred_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set when that day was in a closed month: the real day; effective_on is then the first open day",
    )
    memo = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when a scheduled job posted it",
    )
    created_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(
        max_length=120, unique=True, null=True, blank=True, help_text="Set by jobs so a second run posts nothing"
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    for_charge = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        help_text="The charge this entry concerns: a late fee's rent, a move-out adjustment's rent, a deposit release",
    )
    rent_schedule = models.ForeignKey(
        RentSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    period_start = models.DateField(null=True, blank=True, help_text="Rent: the whole period")
    period_end = models.DateField(null=True, blank=True, help_text="Rent: first day of the next period")
    billed_from = models.DateField(null=True, blank=True, help_text="Rent: first night charged")
    billed_to = models.DateField(null=True, blank=True, help_text="Rent: first night not charged")

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["resident", "effective_on"]),
            models.Index(fields=["house", "effective_on"]),
            models.Index(fields=["organization", "kind", "effective_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=sorted(DEBIT_KINDS), amount__gt=0)
                | Q(kind__in=sorted(CREDIT_KINDS), amount__lt=0)
                | (Q(kind=EntryKind.REVERSAL) & ~Q(amount=0)),
                name="ledger_amount_sign_follows_kind",
                violation_error_message="A charge or refund is positive, a payment or credit negative.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_only_a_reversal_reverses",
            ),
        ]

    def __str__(self):
        return f"{self.effective_on} {self.get_kind_display()} {self.amount} ({self.resident})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries cannot be changed; reverse the entry and post a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries cannot be deleted; reverse the entry instead.")

    @property
    def is_debit(self) -> bool:
        return self.amount > 0
