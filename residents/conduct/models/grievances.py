"""Grievances: a resident's complaint about their house or its staff, answered by the operator.

A grievance goes to the operator and never to the house's managers (it may be about them). Every stage is dated:
filed, responded (with who responded and what they said), closed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident


class GrievanceQuerySet(TenantQuerySet):
    house_path = None  # managers see no grievance at all, not even of their own houses

    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)


class Grievance(models.Model):
    class About(models.TextChoices):
        HOUSE = "house", _("The house")
        STAFF = "staff", _("A staff member")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESPONDED = "responded", _("Responded")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grievances")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="grievances")
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, related_name="grievances", help_text=_("Where they lived")
    )
    subject = models.CharField(max_length=200)
    details = models.TextField()
    about = models.CharField(max_length=8, choices=About.choices)
    staff_member = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grievances_about",
        help_text=_("The staff member it is about, if the resident names one"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    filed_at = models.DateTimeField(default=timezone.now)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = GrievanceQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status", "filed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(response="") & Q(responded_at__isnull=False)),
                name="answered_grievance_has_response",
                violation_error_message="A responded or closed grievance needs a response.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_grievance_has_close_date",
            ),
            models.CheckConstraint(
                condition=Q(staff_member__isnull=True) | Q(about="staff"),
                name="only_a_staff_grievance_names_staff",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"
