"""Meetings: the weekly house meeting, and the outside recovery meetings residents go to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident
from residents.core.models.stays import Stay


class HouseMeetingQuerySet(TenantQuerySet):
    pass


class HouseMeeting(models.Model):
    """A house meeting as held: when, who led it (a member of the organization or a name), who came, the minutes."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="house_meetings")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField()
    facilitator = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A member of the organization who led the meeting"),
    )
    facilitator_name = models.CharField(
        max_length=120, blank=True, help_text=_("Who led it, when they have no login (a senior resident, a guest)")
    )
    attendees = models.ManyToManyField(Resident, blank=True, related_name="house_meetings")
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["house", "held_at"], name="one_house_meeting_at_a_time"),
            models.CheckConstraint(
                condition=Q(facilitator__isnull=False, facilitator_name="")
                | (Q(facilitator__isnull=True) & ~Q(facilitator_name="")),
                name="house_meeting_has_one_facilitator",
                violation_error_message="Name the facilitator: a member or a name, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.house.name} house meeting, {self.held_at:%Y-%m-%d %H:%M}"

    @property
    def facilitator_display(self) -> str:
        if self.facilitator_id:
            return str(self.facilitator.user)
        return self.facilitator_name


class RecoveryMeetingAttendanceQuerySet(TenantQuerySet):
    house_path = "stay__house"

    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def verified(self):
        return self.filter(verified_at__isnull=False)


class RecoveryMeetingAttendance(models.Model):
    """One outside recovery meeting a resident went to. Residents may log their own; staff verify them."""

    class MeetingType(models.TextChoices):
        AA = "aa", _("AA")
        NA = "na", _("NA")
        CA = "ca", _("CA")
        SMART = "smart", _("SMART Recovery")
        CELEBRATE_RECOVERY = "celebrate_recovery", _("Celebrate Recovery")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="recovery_meetings")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="recovery_meetings")
    stay = models.ForeignKey(
        Stay, on_delete=models.PROTECT, related_name="recovery_meetings", help_text=_("The stay it counts toward")
    )
    attended_on = models.DateField()
    meeting_type = models.CharField(max_length=20, choices=MeetingType.choices)
    name = models.CharField(max_length=200, blank=True, help_text=_("Meeting name or location"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecoveryMeetingAttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["-attended_on", "-pk"]
        verbose_name = "recovery meeting attendance"
        verbose_name_plural = "recovery meeting attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "attended_on", "meeting_type", "name"], name="recovery_meeting_logged_once"
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True, verified_at__isnull=True)
                | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="verified_meeting_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(meeting_type="other") | ~Q(name=""),
                name="other_meeting_is_named",
                violation_error_message="Say which meeting it was.",
            ),
        ]
        indexes = [models.Index(fields=["resident", "attended_on"])]

    def __str__(self):
        return f"{self.resident} at {self.get_meeting_type_display()} on {self.attended_on}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
