from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from houses.models import House
from residents.models import Resident, Stay

from .ledger import LedgerEntry
from .scope import ResidentScopedQuerySet
from .terms import money_field


class DepositSettlementQuerySet(ResidentScopedQuerySet):
    pass


class DepositSettlement(models.Model):
    """What became of a stay's deposit at move-out: the deposit held, what was deducted and why, what was refunded.

    Posting it writes ledger entries: a credit releasing the deposit held against what the resident owes, one charge
    per deduction, and a refund of what is left of the deposit once everything owed is covered.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    stay = models.OneToOneField(Stay, on_delete=models.PROTECT, related_name="deposit_settlement")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="deposit_settlements")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    settled_on = models.DateField()
    deposit_held = money_field(help_text="The deposit charged for the stay, net of reversals")
    deductions_total = money_field()
    refund_amount = money_field(help_text="Money handed back to the resident")
    release_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    refund_entry = models.OneToOneField(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = DepositSettlementQuerySet.as_manager()

    class Meta:
        ordering = ["-settled_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_held__gt=0, deductions_total__gte=0, refund_amount__gte=0),
                name="settlement_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deductions_total__lte=models.F("deposit_held")),
                name="settlement_deductions_within_deposit",
            ),
        ]

    def __str__(self):
        return f"Deposit settlement for {self.stay}"


class DepositDeduction(models.Model):
    settlement = models.ForeignKey(DepositSettlement, on_delete=models.PROTECT, related_name="deductions")
    reason = models.CharField(max_length=200)
    amount = money_field()
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_amount_is_positive")]

    def __str__(self):
        return f"{self.reason}: {self.amount}"
