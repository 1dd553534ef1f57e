from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.models import Resident, Stay

from .ledger import LedgerEntry
from .terms import money_field


class PaymentQuerySet(TenantQuerySet):
    """Staff of the house where the money was received see it (and print its receipt); a resident sees their own."""

    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)


class Payment(models.Model):
    """Money received for a resident. Each payment is its own row with a small state machine.

    A manual payment (cash, check, money order, a third party paying) is completed when recorded: its ledger credit
    and its receipt number are written in the same transaction. An online flow adds its own methods and moves a
    payment from ``pending`` to ``completed`` (posting the credit then) or ``failed``; a reversed payment's ledger
    credit has been cancelled by a reversal entry.
    """

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CHECK = "check", pgettext_lazy("payment method", "Check")
        MONEY_ORDER = "money_order", _("Money order")
        AGENCY = "agency", _("Agency")
        FAMILY = "family", _("Family")
        VOUCHER = "voucher", _("Voucher")
        CARD = "card", _("Card (online)")
        BANK_DEBIT = "bank_debit", _("Bank debit (online)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        REVERSED = "reversed", _("Reversed")

    # Methods staff record by hand; an online flow adds its own methods, which are not in this set.
    MANUAL_METHODS = frozenset(
        {Method.CASH, Method.CHECK, Method.MONEY_ORDER, Method.AGENCY, Method.FAMILY, Method.VOUCHER}
    )
    REFERENCE_REQUIRED = frozenset({Method.CHECK, Method.MONEY_ORDER})
    THIRD_PARTY = frozenset({Method.AGENCY, Method.FAMILY, Method.VOUCHER})
    # Paid by the resident through Stripe Checkout; recorded only by a verified webhook (see ``OnlinePayment``).
    ONLINE_METHODS = frozenset({Method.CARD, Method.BANK_DEBIT})

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="payments")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="payments")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=16, choices=Method.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    amount = money_field(help_text="Always positive: the money received")
    received_on = models.DateField()
    reference = models.CharField(max_length=80, blank=True, help_text="Check or money-order number, voucher id")
    payer_name = models.CharField(max_length=120, blank=True, help_text="Who paid, when not the resident")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt_number = models.PositiveIntegerField(null=True, blank=True)
    entry = models.OneToOneField(LedgerEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="payment")
    memo = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "receipt_number"], name="one_receipt_number_per_org"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_is_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "failed"]) | Q(entry__isnull=False),
                name="settled_payment_has_ledger_entry",
            ),
        ]

    def __str__(self):
        number = f"#{self.receipt_number} " if self.receipt_number else ""
        return f"{number}{self.get_method_display()} {self.amount} from {self.resident}"


class ReceiptCounter(models.Model):
    """The last receipt number used by an organization. Locked while numbering, so numbers never gap or repeat."""

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.organization}: {self.last_number}"
