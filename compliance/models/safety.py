from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.tenancy import TenantQuerySet
from houses.models import House, Room

# An extinguisher is serviced once a year (annual maintenance by a certified technician).
EXTINGUISHER_SERVICE_DAYS = 365


class SafetyPolicy(models.Model):
    """How often a house is inspected and drilled, and the facts that shape its checklist.

    A house without a row uses the defaults: monthly inspections, quarterly drills, no gas appliances.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="safety_policies")
    house = models.OneToOneField(House, on_delete=models.PROTECT, related_name="safety_policy")
    inspection_interval_days = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(1)])
    drill_interval_days = models.PositiveSmallIntegerField(default=90, validators=[MinValueValidator(1)])
    has_gas_appliances = models.BooleanField(
        default=False, help_text="Gas heating, hot water or cooking: the checklist adds carbon monoxide detectors"
    )
    drills_at_level_one = models.BooleanField(
        default=False, help_text="Hold evacuation drills even though the house is Level I (peer-run)"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "safety policies"
        ordering = ["house__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection_interval_days__gte=1) & Q(drill_interval_days__gte=1),
                name="safety_intervals_are_positive",
            )
        ]

    def __str__(self):
        return f"Safety policy of {self.house}"

    @classmethod
    def default_for(cls, house: House) -> "SafetyPolicy":
        """The policy a house follows when none was saved (not written to the database)."""
        return cls(organization_id=house.organization_id, house=house)

    def needs_drills(self, level: int | None) -> bool:
        """Drills are required from Level II up; a Level I (or unlevelled) house holds them only if configured."""
        return bool(level and level >= House.Level.II) or self.drills_at_level_one


class SafetyEquipmentQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)


class SafetyEquipment(models.Model):
    """An extinguisher or a naloxone kit kept in a house; inspections check each active one."""

    class Kind(models.TextChoices):
        FIRE_EXTINGUISHER = "fire_extinguisher", _("Fire extinguisher")
        NALOXONE_KIT = "naloxone_kit", _("Naloxone kit")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="safety_equipment")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="safety_equipment")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    location = models.CharField(max_length=120)
    quantity = models.PositiveSmallIntegerField(default=1, help_text="Doses in a naloxone kit")
    expires_on = models.DateField(null=True, blank=True, help_text="Naloxone expiry date")
    last_serviced_on = models.DateField(null=True, blank=True, help_text="Extinguisher's last annual service")
    is_active = models.BooleanField(default=True, help_text="Off when the item is removed from the house")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SafetyEquipmentQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "safety equipment"
        ordering = ["house__name", "kind", "location", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="naloxone_kit") | Q(expires_on__isnull=False),
                name="naloxone_kit_has_expiry",
                violation_error_message="A naloxone kit needs its expiry date.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="fire_extinguisher") | Q(last_serviced_on__isnull=False),
                name="extinguisher_has_service_date",
                violation_error_message="An extinguisher needs its last service date.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.location} ({self.house})"

    @property
    def due_on(self) -> date | None:
        """When the item stops being good: the kit's expiry, or a year after the extinguisher's service."""
        if self.kind == self.Kind.NALOXONE_KIT:
            return self.expires_on
        if self.last_serviced_on:
            return self.last_serviced_on + timedelta(days=EXTINGUISHER_SERVICE_DAYS)
        return None


class InspectionQuerySet(TenantQuerySet):
    def completed(self):
        return self.filter(status=Inspection.Status.COMPLETED)

    def in_progress(self):
        return self.filter(status=Inspection.Status.IN_PROGRESS)


class Inspection(models.Model):
    """One walk through a house with its safety checklist. Lines are generated when it starts; it can be
    completed only when every line passed or failed."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inspections")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    notes = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["house", "status", "inspected_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["house"], condition=Q(status="in_progress"), name="one_inspection_in_progress_per_house"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(completed_at__isnull=False),
                name="completed_inspection_has_completion_time",
            ),
        ]

    def __str__(self):
        return f"Inspection of {self.house} on {self.inspected_on}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class InspectionLineQuerySet(TenantQuerySet):
    organization_path = "inspection__organization"
    house_path = "inspection__house"


class InspectionLine(models.Model):
    """One thing to check on the walk: a detector in a bedroom, an extinguisher, the exits."""

    class Item(models.TextChoices):
        SMOKE_BEDROOM = "smoke_bedroom", _("Smoke detector (bedroom)")
        SMOKE_FLOOR = "smoke_floor", _("Smoke detector (floor)")
        CO_DETECTOR = "co_detector", _("Carbon monoxide detector")
        FIRE_EXTINGUISHER = "fire_extinguisher", _("Fire extinguisher")
        NALOXONE_KIT = "naloxone_kit", _("Naloxone kit")
        FIRST_AID_KIT = "first_aid_kit", _("First-aid kit")
        EXITS_CLEAR = "exits_clear", _("Exits and hallways")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    EQUIPMENT_ITEMS = {Item.FIRE_EXTINGUISHER, Item.NALOXONE_KIT}

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    item = models.CharField(max_length=20, choices=Item.choices)
    label = models.CharField(max_length=200)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    floor = models.SmallIntegerField(null=True, blank=True)
    equipment = models.ForeignKey(
        SafetyEquipment, null=True, blank=True, on_delete=models.PROTECT, related_name="inspection_lines"
    )
    result = models.CharField(max_length=4, choices=Result.choices, blank=True)
    note = models.TextField(blank=True)
    # What the inspector saw, for extinguishers and naloxone kits; copied onto the equipment when completed.
    location = models.CharField(max_length=120, blank=True)
    quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    last_serviced_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = InspectionLineQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="inspection_line_position_unique"),
            models.CheckConstraint(
                condition=~Q(result="fail") | ~Q(note=""),
                name="failed_line_has_note",
                violation_error_message="Say what failed.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_answered(self) -> bool:
        return bool(self.result)

    @property
    def is_equipment(self) -> bool:
        return self.item in self.EQUIPMENT_ITEMS


class CorrectiveActionQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(fixed_on__isnull=True)

    def overdue(self, on: date):
        return self.open().filter(due_on__lt=on)


class CorrectiveAction(models.Model):
    """What must be put right after a failed inspection line, by when; open until someone records the fix."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="corrective_actions")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="corrective_actions")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="corrective_actions")
    line = models.ForeignKey(InspectionLine, on_delete=models.PROTECT, related_name="corrective_actions")
    description = models.TextField()
    due_on = models.DateField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    fixed_on = models.DateField(null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fix_note = models.TextField(blank=True)
    fix_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=Q(fixed_on__isnull=True), name="one_open_corrective_action_per_line"
            ),
            models.CheckConstraint(
                condition=Q(fixed_on__isnull=True) | (Q(fixed_by__isnull=False) & ~Q(fix_note="")),
                name="fixed_corrective_action_says_who_and_how",
                violation_error_message="A fix needs who made it and a note.",
            ),
        ]

    def __str__(self):
        return f"{self.description[:60]} (due {self.due_on})"

    @property
    def is_open(self) -> bool:
        return self.fixed_on is None

    def is_overdue(self, on: date) -> bool:
        return self.is_open and self.due_on < on


class Drill(models.Model):
    """An evacuation drill held in a house: when, how many residents took part, how long it took."""

    class Kind(models.TextChoices):
        FIRE = "fire", _("Fire evacuation")
        OTHER = "other", _("Other emergency")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="drills")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="drills")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.FIRE)
    held_at = models.DateTimeField()
    residents_present = models.PositiveSmallIntegerField()
    evacuation_minutes = models.DecimalField(max_digits=5, decimal_places=1, help_text="Minutes until all were out")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["house", "held_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(evacuation_minutes__gt=0),
                name="drill_evacuation_time_is_positive",
                violation_error_message="Minutes to evacuate must be more than zero.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} drill at {self.house} on {self.held_at:%Y-%m-%d}"
