from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet


class HouseQuerySet(TenantQuerySet):
    house_path = ""

    def for_resident(self, qs, viewer):
        # A resident sees the house they live in now (its public facts: name, address, rules).
        return qs.filter(stays__resident__membership=viewer, stays__move_out__isnull=True).distinct()

    def with_capacity(self):
        """Capacity: the number of beds in service right now. Derived, never stored."""
        return self.annotate(
            capacity=Count("beds", filter=Q(beds__status=Bed.Status.AVAILABLE), distinct=True),
            bed_count=Count("beds", distinct=True),
        ).order_by("name", "pk")  # Meta.ordering does not apply to aggregate queries


class House(models.Model):
    class Gender(models.TextChoices):
        MEN = "men", "Men"
        WOMEN = "women", "Women"
        COED = "coed", "Co-ed"

    class Level(models.IntegerChoices):
        # NARR levels of support.
        I = 1, "Level I (peer-run)"  # noqa: E741
        II = 2, "Level II (monitored)"
        III = 3, "Level III (supervised)"
        IV = 4, "Level IV (service provider)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="houses")
    name = models.CharField(max_length=120)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    gender = models.CharField("gender designation", max_length=8, choices=Gender.choices)
    narr_level = models.PositiveSmallIntegerField("NARR level", choices=Level.choices, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    opened_on = models.DateField(null=True, blank=True)
    staff = models.ManyToManyField(
        Membership, related_name="houses", blank=True, help_text="Managers who run this house."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="house_name_unique_in_organization"),
        ]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        street = ", ".join(part for part in (self.address_line1, self.address_line2) if part)
        place = " ".join(
            part for part in (self.city + ("," if self.city else ""), self.state, self.postal_code) if part
        )
        return ", ".join(part for part in (street, place.strip(" ,")) if part)


class RoomQuerySet(TenantQuerySet):
    organization_path = "house__organization"


class Room(models.Model):
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=60)
    floor = models.SmallIntegerField(default=1, help_text="0 is the ground floor in some houses, 1 in others")
    notes = models.CharField(max_length=200, blank=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["house__name", "floor", "name"]
        constraints = [models.UniqueConstraint(fields=["house", "name"], name="room_name_unique_in_house")]

    def __str__(self):
        return f"{self.house.name} · {self.name}"


class BedQuerySet(TenantQuerySet):
    organization_path = "house__organization"

    def in_service(self):
        return self.filter(status=Bed.Status.AVAILABLE)


class Bed(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", "In service"
        OUT_OF_SERVICE = "out_of_service", "Out of service"

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    # Denormalized from the room (set on save) so bed queries filter and scope by house without a join.
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="beds", editable=False)
    label = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    out_of_service_reason = models.CharField(max_length=200, blank=True)
    out_of_service_from = models.DateField(null=True, blank=True)
    out_of_service_until = models.DateField(null=True, blank=True, help_text="Expected back in service (exclusive)")

    objects = BedQuerySet.as_manager()

    class Meta:
        ordering = ["house__name", "room__floor", "room__name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique_in_room"),
            models.CheckConstraint(
                condition=Q(status="available") | (~Q(out_of_service_reason="") & Q(out_of_service_from__isnull=False)),
                name="out_of_service_bed_has_reason_and_start",
                violation_error_message="An out-of-service bed needs a reason and a start date.",
            ),
            models.CheckConstraint(
                condition=Q(out_of_service_until__isnull=True)
                | Q(out_of_service_from__isnull=True)
                | Q(out_of_service_until__gt=models.F("out_of_service_from")),
                name="out_of_service_ends_after_it_starts",
                violation_error_message="The return date must be after the start date.",
            ),
        ]

    def __str__(self):
        return f"{self.room} · {self.label}"

    def save(self, *args, **kwargs):
        self.house_id = self.room.house_id
        super().save(*args, **kwargs)
        self._record_outage()

    def _record_outage(self):
        """Keeps the outage history in step with the bed's status, so past months count the nights it was out."""
        if self.status == self.Status.OUT_OF_SERVICE:
            BedOutage.objects.update_or_create(
                bed=self,
                start=self.out_of_service_from,
                defaults={"end": self.out_of_service_until, "reason": self.out_of_service_reason},
            )
            return
        today = self.house.organization.today()
        # Back in service: an outage still running ends tonight; one that had not begun never happened.
        BedOutage.objects.filter(bed=self, start__gte=today).delete()
        BedOutage.objects.filter(bed=self, start__lt=today).filter(Q(end__isnull=True) | Q(end__gt=today)).update(
            end=today
        )

    def clean(self):
        if self.status == self.Status.AVAILABLE:
            self.out_of_service_reason, self.out_of_service_from, self.out_of_service_until = "", None, None
            return
        errors = {}
        if not self.out_of_service_reason:
            errors["out_of_service_reason"] = "Say why the bed is out of service."
        if not self.out_of_service_from:
            errors["out_of_service_from"] = "Give the date the bed goes out of service."
        elif self.out_of_service_until and self.out_of_service_until <= self.out_of_service_from:
            errors["out_of_service_until"] = "The return date must be after the start date."
        if errors:
            raise ValidationError(errors)

    @property
    def in_service(self) -> bool:
        return self.status == self.Status.AVAILABLE

    def in_service_on(self, day) -> bool:
        """A bed is out of service on ``day`` while an outage covers it (from <= day < until)."""
        if self.status == self.Status.AVAILABLE:
            return True
        if self.out_of_service_from and day < self.out_of_service_from:
            return True
        return bool(self.out_of_service_until and day >= self.out_of_service_until)


class BedOutageQuerySet(TenantQuerySet):
    organization_path = "bed__house__organization"
    house_path = "bed__house"

    def overlapping(self, start, end):
        """Outages covering any night in [start, end)."""
        return self.filter(start__lt=end).filter(Q(end__isnull=True) | Q(end__gt=start))


class BedOutage(models.Model):
    """A period a bed was out of service: nights ``start`` <= D < ``end`` (end empty while it lasts).

    Written by ``Bed.save`` from the bed's status, never by hand; reports count available bed-nights from it.
    """

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="outages")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200)

    objects = BedOutageQuerySet.as_manager()

    class Meta:
        ordering = ["bed", "start"]
        constraints = [models.UniqueConstraint(fields=["bed", "start"], name="one_outage_per_bed_and_start")]

    def __str__(self):
        return f"{self.bed} out of service from {self.start}"
