"""A peer-run house's money: what it expects to spend, the bills it gets, the weekly share each member pays, its bank
register (deposits and checks, each check signed by two officers), the monthly audit and behaviour contracts."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from houses.models import House
from peer.models.scope import MemberScopedQuerySet
from residents.models import Resident


def money(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class ExpenseKind(models.TextChoices):
    RENT = "rent", _("Rent to the landlord")
    UTILITIES = "utilities", _("Utilities")
    SUPPLIES = "supplies", _("Supplies")
    OTHER = "other", _("Other")


class ExpenseQuerySet(MemberScopedQuerySet):
    pass


class ExpectedExpense(models.Model):
    """A standing expense of the house (the landlord's rent, a utility): what the weekly share is computed from."""

    class Period(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="expected_expenses")
    kind = models.CharField(max_length=10, choices=ExpenseKind.choices)
    payee = models.CharField(max_length=120)
    amount = money(validators=[MinValueValidator(0)])
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.MONTHLY)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["house", "kind", "payee"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expected_expense_is_positive")]

    def __str__(self):
        return f"{self.payee}: {self.amount} {self.period}"


class HouseBill(models.Model):
    """A bill the house received; a check from the register pays it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="bills")
    kind = models.CharField(max_length=10, choices=ExpenseKind.choices)
    payee = models.CharField(max_length=120)
    amount = money()
    received_on = models.DateField()
    due_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="house_bill_is_positive")]

    def __str__(self):
        return f"{self.payee} {self.amount} due {self.due_on}"


class ShareRate(models.Model):
    """The weekly share from ``starts_on``: the house's expected weekly expenses divided by its beds, as computed
    then (both kept, so the figure can be checked later)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="share_rates")
    starts_on = models.DateField()
    amount = money()
    weekly_expenses = money()
    beds = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["house", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["house", "starts_on"], name="one_share_rate_per_house_and_start"),
            models.CheckConstraint(condition=Q(amount__gt=0, beds__gt=0), name="share_rate_is_positive"),
        ]

    def __str__(self):
        return f"{self.house.name}: {self.amount} a week from {self.starts_on}"


class BankEntry(models.Model):
    """One line of the house's bank register. Money in: the opening balance and deposits; money out: checks (two
    signing officers each) and bank fees. Append-only: a mistake is fixed by another entry."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        DEPOSIT = "deposit", _("Deposit")
        CHECK = "check", pgettext_lazy("payment method", "Check")
        FEE = "fee", _("Bank fee")

    MONEY_IN = (Kind.OPENING, Kind.DEPOSIT)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="bank_entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    entry_on = models.DateField()
    amount = money(help_text=_("Always positive; the kind says in or out"))
    number = models.CharField(max_length=20, blank=True, help_text=_("Check number"))
    payee = models.CharField(max_length=120, blank=True)
    memo = models.CharField(max_length=200, blank=True)
    bill = models.ForeignKey(HouseBill, null=True, blank=True, on_delete=models.PROTECT, related_name="checks")
    signed_by = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cosigned_by = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cleared_in = models.ForeignKey(
        "peer.MonthlyAudit", null=True, blank=True, on_delete=models.PROTECT, related_name="cleared_entries"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["house", "entry_on", "pk"]
        verbose_name_plural = "bank entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_entry_is_positive"),
            models.CheckConstraint(
                condition=~Q(kind="check")
                | (~Q(number="") & ~Q(payee="") & Q(signed_by__isnull=False, cosigned_by__isnull=False)),
                name="check_has_number_payee_and_two_signers",
            ),
            models.CheckConstraint(condition=~Q(signed_by=F("cosigned_by")), name="check_signers_are_two_people"),
            models.UniqueConstraint(
                fields=["house", "number"], condition=Q(kind="check"), name="one_check_per_number_in_a_house"
            ),
        ]
        indexes = [models.Index(fields=["house", "entry_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} on {self.entry_on}"

    @property
    def signed_amount(self):
        return self.amount if self.kind in self.MONEY_IN else -self.amount


class MonthlyAudit(models.Model):
    """The month's audit: the bank statement's closing balance against the register. Entries ticked as on the
    statement clear here; those not yet at the bank are the listed differences. The month is reconciled when the
    statement equals the register less what has not cleared, and signed off when every member named has signed."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="audits")
    month = models.DateField(help_text=_("First day of the month audited"))
    statement_balance = money(help_text=_("Closing balance on the bank statement"))
    register_balance = money(help_text=_("Register balance at the month's end, when audited"))
    uncleared_in = money(help_text=_("Deposits in the register not yet on a statement"))
    uncleared_out = money(help_text=_("Checks and fees in the register not yet on a statement"))
    difference = money(help_text=_("Statement less what the register says the bank should hold"))
    notes = models.TextField(blank=True)
    auditors = models.ManyToManyField(Resident, related_name="audits_named_to")
    prepared_by = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["house", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["house", "month"], name="one_audit_per_house_and_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="audit_month_starts_on_the_first"),
        ]

    def __str__(self):
        return f"{self.house.name} audit {self.month:%Y-%m}"

    @property
    def is_reconciled(self) -> bool:
        return self.difference == 0


class AuditSignatureQuerySet(MemberScopedQuerySet):
    house_path = "audit__house"
    organization_path = "audit__organization"


class AuditSignature(models.Model):
    audit = models.ForeignKey(MonthlyAudit, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = AuditSignatureQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "member"], name="one_signature_per_auditor")]

    def __str__(self):
        return f"{self.member} signed {self.audit}"


class BehaviourContract(models.Model):
    """A member behind on shares agrees, at a meeting, how they will catch up."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="behaviour_contracts")
    member = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="behaviour_contracts")
    meeting = models.ForeignKey("peer.BusinessMeeting", on_delete=models.PROTECT, related_name="behaviour_contracts")
    amount_behind = money()
    terms = models.TextField(help_text=_("What the member agreed to pay, and by when"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.member} contract at {self.meeting}"
