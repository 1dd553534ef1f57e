"""Chores: what a house needs done, on which days, and who does each one.

A chore's schedule is a weekday bitmask (bit 0 = Monday ... bit 6 = Sunday, as ``date.weekday()``). Each occurrence
of a chore on one of its days is one ``ChoreAssignment``; the rotation service hands them out fairly.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House
from residents.core.models.profiles import Resident
from residents.core.models.stays import Stay

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
EVERY_DAY = (1 << len(WEEKDAYS)) - 1


def weekdays_to_mask(names) -> int:
    return sum(1 << WEEKDAYS.index(name) for name in set(names))


def mask_to_weekdays(mask: int) -> list[str]:
    return [name for index, name in enumerate(WEEKDAYS) if mask & (1 << index)]


def schedule_error(frequency: str, weekdays: int) -> str | None:
    """Why a schedule is not valid, or None. Daily chores run every day; weekly ones on at least one chosen day."""
    if frequency == Chore.Frequency.DAILY and weekdays != EVERY_DAY:
        return "A daily chore runs every day; leave weekdays empty or make the chore weekly."
    if frequency == Chore.Frequency.WEEKLY and not 0 < weekdays <= EVERY_DAY:
        return "A weekly chore needs at least one weekday."
    return None


class ChoreQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Chore(models.Model):
    """A task that recurs in one house: every day, or weekly on chosen weekdays."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="chores")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="chores")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text=_("What doing it well looks like"))
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    weekdays = models.PositiveSmallIntegerField(
        default=EVERY_DAY, help_text=_("Bitmask of the days it runs: bit 0 is Monday, bit 6 is Sunday")
    )
    is_active = models.BooleanField(default=True, help_text=_("Inactive chores are not rotated"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChoreQuerySet.as_manager()

    class Meta:
        ordering = ["house__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["house", "name"], name="chore_name_unique_in_house"),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=EVERY_DAY),
                name="chore_runs_on_at_least_one_weekday",
                violation_error_message="A chore needs at least one weekday.",
            ),
            models.CheckConstraint(
                condition=~Q(frequency="daily") | Q(weekdays=EVERY_DAY),
                name="daily_chore_runs_every_day",
                violation_error_message="A daily chore runs every day.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.house.name})"

    def clean(self):
        error = schedule_error(self.frequency, self.weekdays)
        if error:
            raise ValidationError({"weekdays": error})

    @property
    def weekday_names(self) -> list[str]:
        return mask_to_weekdays(self.weekdays)

    def runs_on(self, day: date) -> bool:
        return bool(self.weekdays & (1 << day.weekday()))


class ChoreAssignmentQuerySet(TenantQuerySet):
    def for_resident(self, qs, viewer):
        return qs.filter(resident__membership=viewer)

    def live(self):
        """Assignments that count toward a resident's share: everything but cancelled ones."""
        return self.exclude(status=ChoreAssignment.Status.CANCELLED)


class ChoreAssignment(models.Model):
    """One occurrence of a chore on its due date, given to one resident, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")
        EXCUSED = "excused", _("Excused")
        CANCELLED = "cancelled", _("Cancelled")

    MARKS = frozenset({Status.DONE, Status.MISSED, Status.EXCUSED})

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="chore_assignments")
    # Denormalized from the chore so lists filter and scope by house without a join.
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="chore_assignments")
    chore = models.ForeignKey(Chore, on_delete=models.PROTECT, related_name="assignments")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="chore_assignments")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="chore_assignments")
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChoreAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "chore__name", "pk"]
        constraints = [
            # The database's last word on idempotent generation: one assignment per chore per day.
            models.UniqueConstraint(fields=["chore", "due_date"], name="one_assignment_per_chore_per_day"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled"], marked_at__isnull=True, marked_by__isnull=True)
                | Q(status__in=["done", "missed", "excused"], marked_at__isnull=False, marked_by__isnull=False),
                name="marked_chore_says_who_and_when",
                violation_error_message="A marked chore records who marked it and when.",
            ),
        ]
        indexes = [
            models.Index(fields=["house", "due_date"]),
            models.Index(fields=["resident", "due_date"]),
        ]

    def __str__(self):
        return f"{self.chore.name} on {self.due_date} for {self.resident}"


class ChoreRotationMember(models.Model):
    """A resident's place in a house's chore rotation, for one stay.

    ``starting_count`` is the credit given on joining, so a newcomer starts level with the lightest-loaded
    resident already in the rotation instead of at zero (which would hand them every chore for weeks).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="chore_rotation")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="chore_rotations")
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="chore_rotations")
    joined_on = models.DateField(help_text=_("First day the resident was in the rotation"))
    starting_count = models.PositiveIntegerField(default=0, help_text=_("Assignments credited on joining"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["house__name", "joined_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["house", "stay"], name="one_rotation_place_per_stay_and_house")]

    def __str__(self):
        return f"{self.resident} in the {self.house.name} rotation from {self.joined_on}"
