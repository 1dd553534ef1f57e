"""Autopay: a resident's saved payment method and their consent to have rent charged to it on each due date."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from residents.models import Resident

from .scope import ResidentScopedQuerySet


class AutopayQuerySet(ResidentScopedQuerySet):
    def on(self):
        return self.filter(status=Autopay.Status.ON)


class Autopay(models.Model):
    """Set up through Checkout in setup mode (the resident saves a card or bank account with Stripe), turned on with
    the resident's recorded consent, and off again by them at any time. Each charge is an ``OnlinePayment`` with
    ``source=autopay`` for one due date."""

    class Status(models.TextChoices):
        SETTING_UP = "setting_up", _("Being set up")
        ON = "on", _("On")
        OFF = "off", _("Off")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    resident = models.OneToOneField(Resident, on_delete=models.PROTECT, related_name="autopay")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SETTING_UP)
    setup_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_method_id = models.CharField(max_length=255, blank=True)
    payment_method_label = models.CharField(max_length=100, blank=True, help_text="e.g. Visa ending 4242")
    consent_text = models.TextField(blank=True, help_text="What the resident agreed to, word for word")
    consented_at = models.DateTimeField(null=True, blank=True)
    turned_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AutopayQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Autopay of {self.resident} ({self.get_status_display()})"
