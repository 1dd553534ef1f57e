from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from accounts.tenancy import TenantQuerySet


class HouseQuerySet(TenantQuerySet):
    house_path = ""
    # viewer -> ids of the houses they sleep in tonight: the residents app's one answer to who lives where
    # (residents.core.selectors.nights.homes_of), registered when it starts, since houses does not import residents.
    homes_of = None

    def for_resident(self, qs, viewer):
        # A resident sees the house they live in now (its public facts: name, address, rules).
        return qs.filter(pk__in=type(self).homes_of(viewer))

    def with_capacity(self, night: date):
        """``capacity``: beds in service on ``night`` (``BedQuerySet.in_service_on``); ``bed_count``: beds the house
        has on that night (added by then and not retired), in service or not. Derived, never stored."""
        in_service = Bed.objects.filter(house=OuterRef("pk")).in_service_on(night)
        present = Bed.objects.filter(house=OuterRef("pk")).present_on(night)

        def count(beds):
            rows = beds.order_by().values("house").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(rows), 0)

        return self.annotate(capacity=count(in_service), bed_count=count(present)).order_by("name", "pk")


class House(models.Model):
    class Gender(models.TextChoices):
        MEN = "men", _("Men")
        WOMEN = "women", _("Women")
        COED = "coed", _("Co-ed")

    class Level(models.IntegerChoices):
        # NARR levels of support.
        I = 1, _("Level I (peer-run)")  # noqa: E741
        II = 2, _("Level II (monitored)")
        III = 3, _("Level III (supervised)")
        IV = 4, _("Level IV (service provider)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class Governance(models.TextChoices):
        STAFF_RUN = "staff_run", _("Staff-run")
        # The Oxford House model: members elect officers, vote on admissions and share the expenses (app ``peer``).
        PEER_RUN = "peer_run", _("Peer-run")

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
    governance = models.CharField(
        max_length=10,
        choices=Governance.choices,
        default=Governance.STAFF_RUN,
        help_text="Peer-run: the residents govern the house themselves, with no manager.",
    )
    opened_on = models.DateField(null=True, blank=True, help_text="First night the house offers beds.")
    closed_on = models.DateField(
        null=True, blank=True, help_text="First night the house no longer offers beds (set when it closes)."
    )
    staff = models.ManyToManyField(
        Membership, related_name="houses", blank=True, help_text="Managers who run this house."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="house_name_unique_in_organization"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gt=models.F("opened_on")),
                name="house_closes_after_it_opens",
                violation_error_message="A house closes after the night it opened.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_peer_run(self) -> bool:
        return self.governance == self.Governance.PEER_RUN

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


def _bed_present_on(night: date) -> Q:
    return Q(in_service_from__lte=night) & (Q(retired_on__isnull=True) | Q(retired_on__gt=night))


def _bed_in_service_on(night: date) -> Q:
    """The one rule: a bed is in service on night D when it was put in service by D and not yet retired, its house
    has opened and not closed, and no outage covers D."""
    house_open = (Q(house__opened_on__isnull=True) | Q(house__opened_on__lte=night)) & (
        Q(house__closed_on__isnull=True) | Q(house__closed_on__gt=night)
    )
    out = BedOutage.objects.filter(bed=OuterRef("pk")).covering(night)
    return _bed_present_on(night) & house_open & ~Exists(out)


def _bed_takes_stays_from(night: date) -> Q:
    """A bed can take an open stay from night D when it is in service on D and every night after: put in service by
    D and not being retired, its house open by D and not closing, and no outage from D on (``houses.selectors.
    bed_refusal`` says the same in words)."""
    house_open = (
        (Q(house__opened_on__isnull=True) | Q(house__opened_on__lte=night))
        & Q(house__closed_on__isnull=True)
        & ~Q(house__status=House.Status.CLOSED)
    )
    ahead = BedOutage.objects.filter(bed=OuterRef("pk")).overlapping(night, None)
    return Q(in_service_from__lte=night) & Q(retired_on__isnull=True) & house_open & ~Exists(ahead)


class BedQuerySet(TenantQuerySet):
    organization_path = "house__organization"

    def present_on(self, night: date):
        """Beds the house has on ``night``: put in service by then and not retired (in service or out)."""
        return self.filter(_bed_present_on(night))

    def in_service_on(self, night: date):
        """Beds that offer night ``night`` (see ``_bed_in_service_on``, the one rule every reader uses)."""
        return self.filter(_bed_in_service_on(night))

    def taking_stays_from(self, night: date):
        """Beds that can take an open stay from night ``night`` (see ``_bed_takes_stays_from``)."""
        return self.filter(_bed_takes_stays_from(night))

    def with_service_on(self, night: date):
        """Each bed with ``in_service_night`` (the night asked about), ``in_service_tonight`` (the rule's answer) and
        ``takes_stays_tonight`` (``taking_stays_from``'s answer), which ``Bed.in_service_on`` and
        ``Bed.takes_stays_from`` read instead of querying again."""
        return self.annotate(
            in_service_night=Value(night, models.DateField()),
            in_service_tonight=ExpressionWrapper(_bed_in_service_on(night), output_field=models.BooleanField()),
            takes_stays_tonight=ExpressionWrapper(_bed_takes_stays_from(night), output_field=models.BooleanField()),
        )


class Bed(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("In service")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    # Denormalized from the room (set on save) so bed queries filter and scope by house without a join.
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="beds", editable=False)
    label = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    out_of_service_reason = models.CharField(max_length=200, blank=True)
    out_of_service_from = models.DateField(null=True, blank=True)
    out_of_service_until = models.DateField(null=True, blank=True, help_text="Expected back in service (exclusive)")
    in_service_from = models.DateField(help_text="First night the bed is offered.")
    retired_on = models.DateField(null=True, blank=True, help_text="First night the bed is no longer offered.")

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
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gt=models.F("in_service_from")),
                name="bed_retires_after_it_enters_service",
                violation_error_message="A bed is retired after the night it entered service.",
            ),
        ]

    def __str__(self):
        return f"{self.room} · {self.label}"

    def save(self, *args, **kwargs):
        self.house_id = self.room.house_id
        if self.in_service_from is None:
            # Unless told, a bed serves from tonight: an earlier night would add bed-nights to past months.
            self.in_service_from = self.room.house.organization.today()
        super().save(*args, **kwargs)

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

    def in_service_on(self, day: date) -> bool:
        """Whether the bed offers night ``day``, by the one rule (``BedQuerySet.in_service_on``). Free when the bed
        came from ``with_service_on(day)``; one query otherwise."""
        if getattr(self, "in_service_night", None) == day:
            return self.in_service_tonight
        return Bed.objects.filter(pk=self.pk).in_service_on(day).exists()

    def takes_stays_from(self, day: date) -> bool:
        """Whether an open stay can start in the bed on night ``day`` (``BedQuerySet.taking_stays_from``): in service
        that night and every night after. Free when the bed came from ``with_service_on(day)``; one query otherwise."""
        if getattr(self, "in_service_night", None) == day:
            return self.takes_stays_tonight
        return Bed.objects.filter(pk=self.pk).taking_stays_from(day).exists()


class BedOutageQuerySet(TenantQuerySet):
    organization_path = "bed__house__organization"
    house_path = "bed__house"

    def overlapping(self, start, end):
        """Outages covering any night in [start, end) (``end`` None: from ``start`` on)."""
        outages = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        return outages if end is None else outages.filter(start__lt=end)

    def covering(self, night):
        """Outages covering night ``night``."""
        return self.filter(start__lte=night).filter(Q(end__isnull=True) | Q(end__gt=night))


class BedOutage(models.Model):
    """A period a bed was out of service: nights ``start`` <= D < ``end`` (end empty while it lasts).

    The history the in-service rule and the reports read. Written only by ``houses.services`` (taking a bed out of
    service and returning it, recording, correcting or removing any outage of its history), which keep a bed's
    outages from overlapping.
    """

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="outages")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200)

    objects = BedOutageQuerySet.as_manager()

    class Meta:
        ordering = ["bed", "start"]
        constraints = [
            models.UniqueConstraint(fields=["bed", "start"], name="one_outage_per_bed_and_start"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="outage_ends_after_it_starts",
                violation_error_message="An outage ends after the night it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.bed} out of service from {self.start}"
