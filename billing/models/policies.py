from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.models import Stay

from .scope import ResidentScopedQuerySet
from .terms import MAX_AMOUNT, RentPeriod, Weekday, due_day_constraint, money_field, terms_errors


class LateFeeKind(models.TextChoices):
    NONE = "none", _("No late fee")
    FLAT = "flat", _("Flat amount")
    PERCENT = "percent", _("Percent of the overdue rent")


DEFAULT_OWING_ALERT = Decimal("100.00")  # also applies to a house with no policy yet


class HouseBillingPolicyQuerySet(TenantQuerySet):
    pass


class HouseBillingPolicy(models.Model):
    """A house's default rent terms, deposit and late-fee rule. A new stay's rent schedule is copied from it."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.OneToOneField(House, on_delete=models.PROTECT, related_name="billing_policy")
    rent_amount = money_field(help_text="Default rent per period")
    rent_period = models.CharField(max_length=8, choices=RentPeriod.choices, default=RentPeriod.MONTHLY)
    rent_due_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, null=True, blank=True, help_text="Weekly and biweekly rent: 0 = Monday"
    )
    rent_due_day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Monthly rent: day of the month (29-31 fall on the month's last day)"
    )
    deposit_amount = money_field(default=Decimal("0.00"), help_text="Charged at admission; 0 for none")
    late_fee_kind = models.CharField(max_length=8, choices=LateFeeKind.choices, default=LateFeeKind.NONE)
    late_fee_amount = money_field(default=Decimal("0.00"), help_text="Flat late fee")
    late_fee_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0.00"), help_text="Percent of the overdue rent"
    )
    rent_reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days before rent is due to remind residents by e-mail (0: no advance reminder)"
    )
    late_fee_grace_days = models.PositiveSmallIntegerField(
        default=5, help_text="Days after the due date before rent is late"
    )
    owing_alert_above = money_field(
        default=DEFAULT_OWING_ALERT,
        help_text="The dashboard lists residents whose past-due charges here add up to more than this",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseBillingPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["house__name"]
        verbose_name_plural = "house billing policies"
        constraints = [
            due_day_constraint("policy", "rent_period", "rent_due_weekday", "rent_due_day"),
            models.CheckConstraint(condition=Q(rent_amount__gt=0), name="policy_rent_is_positive"),
            models.CheckConstraint(condition=Q(deposit_amount__gte=0), name="policy_deposit_not_negative"),
            models.CheckConstraint(condition=Q(owing_alert_above__gte=0), name="policy_owing_alert_not_negative"),
            models.CheckConstraint(
                condition=Q(late_fee_kind="none")
                | Q(late_fee_kind="flat", late_fee_amount__gt=0)
                | Q(late_fee_kind="percent", late_fee_percent__gt=0, late_fee_percent__lte=100),
                name="policy_late_fee_is_complete",
            ),
        ]

    def __str__(self):
        return f"Billing policy of {self.house}"

    def clean(self):
        errors = terms_errors(
            amount=self.rent_amount,
            period=self.rent_period,
            due_weekday=self.rent_due_weekday,
            due_day=self.rent_due_day,
            names={
                "amount": "rent_amount",
                "period": "rent_period",
                "due_weekday": "rent_due_weekday",
                "due_day": "rent_due_day",
            },
        )
        if self.deposit_amount is not None and not Decimal("0") <= self.deposit_amount <= MAX_AMOUNT:
            errors["deposit_amount"] = gettext("The deposit must be from 0 to %(most)s.") % {"most": f"{MAX_AMOUNT:,}"}
        if self.late_fee_kind == LateFeeKind.FLAT and not (self.late_fee_amount and self.late_fee_amount > 0):
            errors["late_fee_amount"] = gettext("A flat late fee needs an amount above zero.")
        if self.late_fee_kind == LateFeeKind.FLAT and self.late_fee_amount and self.late_fee_amount > MAX_AMOUNT:
            errors["late_fee_amount"] = gettext("The late fee cannot be more than %(most)s.") % {
                "most": f"{MAX_AMOUNT:,}"
            }
        if self.late_fee_kind == LateFeeKind.PERCENT and not (
            self.late_fee_percent and 0 < self.late_fee_percent <= 100
        ):
            errors["late_fee_percent"] = gettext("A percent late fee needs a percent above 0 and at most 100.")
        if self.owing_alert_above is not None and not Decimal("0") <= self.owing_alert_above <= MAX_AMOUNT:
            errors["owing_alert_above"] = gettext("The alert amount must be from 0 to %(most)s.") % {
                "most": f"{MAX_AMOUNT:,}"
            }
        if self.late_fee_grace_days is not None and self.late_fee_grace_days > 60:
            errors["late_fee_grace_days"] = gettext("Grace days cannot be more than 60.")
        if self.rent_reminder_days is not None and self.rent_reminder_days > 14:
            errors["rent_reminder_days"] = gettext(
                "Remind residents at most 14 days before rent is due (0 for no reminder)."
            )
        if errors:
            raise ValidationError(errors)


class RentScheduleQuerySet(ResidentScopedQuerySet):
    resident_path = "stay__resident"


class RentSchedule(models.Model):
    """The rent terms of one stay from ``starts_on`` until the next schedule of that stay starts (or move-out).

    A stay's first schedule is copied from its house's policy at admission; a manager overrides the terms by adding a
    schedule that starts on a night not yet billed. Nights already billed keep the terms they were billed under.
    """

    class Source(models.TextChoices):
        HOUSE_DEFAULT = "house_default", _("House default")
        OVERRIDE = "override", _("Set for this stay")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="rent_schedules")
    amount = money_field(help_text="Rent per period")
    period = models.CharField(max_length=8, choices=RentPeriod.choices)
    due_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField(help_text="First night billed under these terms")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.OVERRIDE)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RentScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["stay", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "starts_on"], name="one_rent_schedule_per_stay_and_start"),
            due_day_constraint("schedule", "period", "due_weekday", "due_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="schedule_rent_is_positive"),
        ]

    def __str__(self):
        return f"{self.amount} {self.get_period_display().lower()} from {self.starts_on}"

    @property
    def due_label(self) -> str:
        if self.period == RentPeriod.MONTHLY:
            return f"day {self.due_day} of each month"
        weekday = Weekday(self.due_weekday).label
        return f"every {weekday}" if self.period == RentPeriod.WEEKLY else f"every other {weekday}"


class RentPostingMark(models.Model):
    """The daily rent job's bookmark for a stay: after finding the stay's rent up to date, it keeps a digest of the
    terms it read (the stay's dates and house, every schedule) and the first day a new charge falls due under them.
    While the digest still matches and that day has not come, a run knows without reading the stay's entries that
    nothing is missing: a schedule added or changed, or a move-out, changes the digest and the stay is read again."""

    stay = models.OneToOneField(Stay, primary_key=True, on_delete=models.CASCADE, related_name="+")
    terms_digest = models.CharField(max_length=64)
    checked_on = models.DateField(help_text="The day the job found the stay up to date")
    next_due_on = models.DateField(null=True, help_text="First day a new charge falls due; empty: none ever will")

    def __str__(self):
        return f"stay {self.stay_id} up to date on {self.checked_on}"
