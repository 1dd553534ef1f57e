"""Online payments through Stripe Checkout: the resident's Stripe customer, each payment attempt with its state,
and every webhook event Stripe sent, stored once.

The ledger is credited only by a verified webhook. An attempt becomes a ``Payment`` (the billing row staff and
statements see) when money is on its way (a bank debit: a pending payment, counted as ``pending`` by the balance
selector) or has arrived (a completed payment with its ledger credit and receipt number).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.models import Resident, Stay

from .payments import Payment
from .scope import ResidentScopedQuerySet
from .terms import money_field


class StripeCustomerQuerySet(ResidentScopedQuerySet):
    pass


class StripeCustomer(models.Model):
    """A resident's Customer in Stripe, created once and reused for every checkout (saved bank accounts, receipts)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="stripe_customer")
    customer_id = models.CharField(max_length=255, unique=True)
    account_id = models.CharField(
        max_length=255, blank=True, help_text="The connected account the customer lives on; blank: the platform's"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = StripeCustomerQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.customer_id} ({self.resident})"


class OnlinePaymentQuerySet(ResidentScopedQuerySet):
    pass


class OnlinePayment(models.Model):
    """One online payment attempt: a Checkout Session for an amount, and what became of it.

    States: ``created`` (checkout opened) → ``pending`` (a bank debit submitted, not settled) → ``succeeded`` (money
    received: the ledger is credited, once) or ``failed`` (declined, the debit bounced) or ``expired`` (the checkout
    was left unpaid). After success: ``partially_refunded`` / ``refunded`` (each refund posts its own entry),
    ``disputed`` → ``dispute_won`` (nothing changes) or ``dispute_lost`` (an entry takes the money back).
    Every transition locks the row and re-checks the state, so a repeated or late event changes nothing.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Started")
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Not completed")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
        REFUNDED = "refunded", _("Refunded")
        DISPUTED = "disputed", _("Disputed")
        DISPUTE_LOST = "dispute_lost", _("Dispute lost")
        DISPUTE_WON = "dispute_won", _("Dispute won")

    # Money was received: the ledger holds the payment's credit.
    SETTLED = frozenset(
        {
            Status.SUCCEEDED,
            Status.PARTIALLY_REFUNDED,
            Status.REFUNDED,
            Status.DISPUTED,
            Status.DISPUTE_LOST,
            Status.DISPUTE_WON,
        }
    )
    # Not settled, and no later event about this checkout is expected to change that (unless money arrives after all).
    UNSETTLED = frozenset({Status.CREATED, Status.PENDING, Status.FAILED, Status.EXPIRED})

    class Source(models.TextChoices):
        CHECKOUT = "checkout", _("Paid online")
        AUTOPAY = "autopay", _("Autopay")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="online_payments")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    amount = money_field(help_text="What the resident chose to pay")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CHECKOUT)
    account_id = models.CharField(
        max_length=255, blank=True, help_text="The connected account it was charged on; blank: the platform's"
    )
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When Stripe closes the checkout if it is not paid by then"
    )
    due_on = models.DateField(null=True, blank=True, help_text="Autopay: the due date of the rent it pays")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Autopay: charges tried so far")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Autopay: when to try again")
    payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    payment_method_type = models.CharField(
        max_length=40, blank=True, help_text="As Stripe names it: card, us_bank_account"
    )
    amount_refunded = money_field(default=Decimal("0.00"), help_text="Refunded so far; each refund posted its entry")
    dispute_id = models.CharField(max_length=255, blank=True)
    dispute_reason = models.CharField(max_length=60, blank=True, help_text="As Stripe names it: fraudulent, ...")
    dispute_evidence_due_by = models.DateTimeField(null=True, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="online_payment"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OnlinePaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["resident", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "due_on"],
                condition=Q(source="autopay"),
                name="one_autopay_charge_per_resident_and_due_date",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="online_payment_amount_is_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=models.F("amount")),
                name="online_payment_refunds_within_amount",
            ),
        ]

    def __str__(self):
        return f"Online payment {self.pk}: {self.amount} {self.currency} ({self.get_status_display()})"

    @property
    def is_bank_debit(self) -> bool:
        return self.payment_method_type == "us_bank_account"


class StripeEventQuerySet(TenantQuerySet):
    house_path = None  # support reads events in the admin; no manager or resident sees them


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored under its own id before anything else is done, so a second delivery
    (or two at once) finds the row and does nothing. Support sees what was done with it, and why not."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        HANDLED = "handled", _("Handled")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100, db_index=True)
    livemode = models.BooleanField(default=False)
    account = models.CharField(
        max_length=255, blank=True, db_index=True, help_text="The connected account the event is about (Connect)"
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times Hearth has tried to process it")
    api_version = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(null=True, blank=True, help_text="When the event happened at Stripe")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True, help_text="Why it was ignored or failed")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    online_payment = models.ForeignKey(
        OnlinePayment, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = StripeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"{self.id} {self.type} ({self.get_status_display()})"


class OnlineRefundQuerySet(ResidentScopedQuerySet):
    pass


class OnlineRefund(models.Model):
    """A refund Hearth asked Stripe for: staff refunding a payment, or the excess of a payment that took the
    resident past what they owed. The ledger follows from Stripe's ``charge.refunded`` event, once; this row records
    the request and what became of it (``charge.refund.updated``)."""

    class Reason(models.TextChoices):
        OVERPAID = "overpaid", _("Paid more than owed")
        STAFF = "staff", _("Refunded by staff")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    online_payment = models.ForeignKey(OnlinePayment, on_delete=models.PROTECT, related_name="refunds")
    amount = money_field()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OnlineRefundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="online_refund_amount_is_positive"),
            # The automatic refund of an overpayment is asked for once per payment.
            models.UniqueConstraint(
                fields=["online_payment"], condition=Q(reason="overpaid"), name="one_overpayment_refund_per_payment"
            ),
        ]

    def __str__(self):
        return f"Refund {self.pk} of {self.amount} ({self.get_status_display()})"


class StripeAccountQuerySet(TenantQuerySet):
    house_path = None  # operators only


class StripeAccount(models.Model):
    """The organization's own Stripe account (Stripe Connect, direct charges): rent is paid into it, refunds and
    disputes are its own. Created once; its state is kept current by ``account.updated`` events."""

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="stripe_account")
    account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    livemode = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = StripeAccountQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.account_id} ({self.organization})"


class PaymentAlertQuerySet(ResidentScopedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class PaymentAlert(models.Model):
    """Something about money staff must see and act on: a dispute (with Stripe's evidence deadline), a bank debit
    that failed, a refund that failed. Shown on the manager's and operator's dashboards until resolved; the operator
    is e-mailed once (``notified_at``)."""

    class Kind(models.TextChoices):
        DISPUTE = "dispute", _("Disputed payment")
        BANK_DEBIT_FAILED = "bank_debit_failed", _("Bank debit failed")
        REFUND_FAILED = "refund_failed", _("Refund failed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+")
    online_payment = models.ForeignKey(OnlinePayment, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=255, help_text="Stripe's id of the dispute, payment intent or refund")
    amount = money_field()
    currency = models.CharField(max_length=3)
    detail = models.CharField(max_length=300, blank=True)
    evidence_due_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)

    objects = PaymentAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "reference"], name="one_payment_alert_per_kind_and_reference"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount} {self.currency}"
