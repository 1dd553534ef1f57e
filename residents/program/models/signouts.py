"""The sign-out log (who is out, where, until when) and overnight passes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident
from residents.core.models.stays import Stay


class SignOutQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(stay__resident__membership=viewer)

    def open(self):
        return self.filter(signed_in_at__isnull=True)


class SignOut(models.Model):
    """A resident leaving the house (``signed_out_at``) and coming back (``signed_in_at``, empty while out)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="sign_outs", help_text=_("Signed out from"))
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="sign_outs")
    destination = models.CharField(max_length=200)
    signed_out_at = models.DateTimeField(default=timezone.now)
    expected_return_at = models.DateTimeField()
    signed_in_at = models.DateTimeField(null=True, blank=True)
    signed_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignOutQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_out_at", "-pk"]
        constraints = [
            # The database's last word on "one open sign-out at a time", whatever two phones do at once.
            models.UniqueConstraint(
                fields=["stay"], condition=Q(signed_in_at__isnull=True), name="one_open_sign_out_per_stay"
            ),
            models.CheckConstraint(
                condition=Q(expected_return_at__gt=F("signed_out_at")),
                name="sign_out_expected_back_after_leaving",
            ),
            models.CheckConstraint(
                condition=Q(signed_in_at__isnull=True) | Q(signed_in_at__gte=F("signed_out_at")),
                name="sign_in_after_sign_out",
            ),
        ]
        indexes = [models.Index(fields=["stay", "signed_out_at"]), models.Index(fields=["house", "signed_out_at"])]

    def __str__(self):
        return f"{self.stay.resident} to {self.destination} at {self.signed_out_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.signed_in_at is None


class OvernightPassQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def covering(self, first_night, last_night):
        """Passes with a night (leave_on <= night < return_on) from ``first_night`` to ``last_night``."""
        return self.filter(leave_on__lte=last_night, return_on__gt=first_night)


class OvernightPass(models.Model):
    """A resident's request to spend the nights from ``leave_on`` to the night before ``return_on`` away."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="overnight_passes")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="overnight_passes")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="overnight_passes")
    leave_on = models.DateField(help_text=_("First night away"))
    return_on = models.DateField(help_text=_("Day back; its night is spent in the house"))
    destination = models.CharField(max_length=200)
    contact_phone = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    allowance_overridden = models.BooleanField(
        default=False, help_text=_("Approved beyond the phase's passes a month, with the reason given")
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OvernightPassQuerySet.as_manager()

    class Meta:
        ordering = ["-leave_on", "-pk"]
        verbose_name_plural = "overnight passes"
        constraints = [
            models.CheckConstraint(condition=Q(return_on__gt=F("leave_on")), name="pass_returns_after_leaving"),
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(decision_reason=""), name="denied_pass_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(allowance_overridden=False) | ~Q(decision_reason=""),
                name="pass_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["stay", "leave_on"]), models.Index(fields=["house", "status"])]

    def __str__(self):
        return f"{self.resident}: {self.leave_on} to {self.return_on} ({self.get_status_display().lower()})"

    @property
    def nights(self) -> int:
        return (self.return_on - self.leave_on).days
