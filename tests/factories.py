from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organization, Role, User
from houses import services as house_services
from houses.models import Bed, House, Room
from residents.core.services import stays as stay_services
from residents.models import BedAssignment, PhaseChange, Resident, Stay

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Operator {n}")
    slug = factory.Sequence(lambda n: f"operator-{n}")
    timezone = "America/Chicago"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.OPERATOR


class HouseFactory(DjangoModelFactory):
    class Meta:
        model = House
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"House {n}")
    gender = House.Gender.MEN
    city = "Springfield"
    state = "IL"
    opened_on = date(2024, 1, 1)

    @factory.post_generation
    def beds(house, create, extracted, **kwargs):
        """``HouseFactory(beds=8)`` adds one room per four beds, in service since the house opened."""
        if not create or not extracted:
            return
        for number in range(extracted):
            room, _ = Room.objects.get_or_create(house=house, name=f"Room {number // 4 + 1}")
            Bed(room=room, label=f"Bed {number + 1}", in_service_from=house.opened_on).save()


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room

    house = factory.SubFactory(HouseFactory)
    # Not "Room <n>": ``HouseFactory(beds=...)`` names its rooms so, and a room's name is unique in its house.
    name = factory.Sequence(lambda n: f"Side room {n}")


class BedFactory(DjangoModelFactory):
    class Meta:
        model = Bed

    room = factory.SubFactory(RoomFactory)
    label = factory.Sequence(lambda n: f"Spare {n}")
    # Test beds come with history: in service since their house opened (``Bed.save`` alone would say tonight).
    in_service_from = factory.LazyAttribute(lambda bed: bed.room.house.opened_on)


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    organization = factory.SubFactory(OrganizationFactory)
    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    phone = factory.Sequence(lambda n: f"(555) 010-{n:04d}")
    email = factory.LazyAttribute(lambda r: f"{r.legal_first_name}.{r.legal_last_name}@example.net".lower())


def take_out_of_service(bed, start, until=None, reason="Leak"):
    """Takes ``bed`` out of service from night ``start`` the way the app does (``houses.services``), so the outage
    history the in-service rule reads has it."""
    actor = operator_of(bed.house.organization)
    return house_services.bed_take_out_of_service(actor=actor, bed=bed, reason=reason, start=start, until=until)


def operator_of(organization) -> Membership:
    """The organization's first operator (one is added when it has none): who acts when a test names nobody."""
    operators = Membership.objects.filter(organization=organization, role=Role.OPERATOR, is_active=True)
    return operators.order_by("pk").first() or MembershipFactory(organization=organization, role=Role.OPERATOR)


def free_bed(house: House, *, on: date) -> Bed:
    """The first bed of ``house`` nobody holds on night ``on`` or later; a bed is added when every bed is held."""
    held = BedAssignment.objects.exclude(end__isnull=False, end__lte=on).values("bed_id")
    bed = Bed.objects.filter(house=house).exclude(pk__in=held).order_by("pk").first()
    if bed is None:
        room = house.rooms.order_by("pk").first() or RoomFactory(house=house)
        bed = BedFactory(room=room, label=f"Extra {Bed.objects.filter(house=house).count() + 1}")
    return bed


def admit(
    house: House | None = None, on: date | None = None, *, bed: Bed | None = None, resident: Resident | None = None,
    actor: Membership | None = None, phase: bool = True, **resident_fields,
) -> Stay:  # fmt: skip
    """The one way tests admit someone: ``resident`` (a new one of the house's organization, made with
    ``resident_fields``, unless given) into ``bed`` (default: the first bed of ``house`` free from ``on``) from night
    ``on``, through the admission service, as ``actor`` (default: an operator of the organization). Returns the stay.

    Without ``phase`` the stay is left with no phase, as if admitted before the organization defined its phases."""
    assert on is not None, "admit() needs the first night, on="
    bed = bed or free_bed(house, on=on)
    organization = bed.house.organization
    resident = resident or ResidentFactory(organization=organization, **resident_fields)
    stay = stay_services.stay_admit(actor=actor or operator_of(organization), resident=resident, bed=bed, on=on)
    if not phase:
        PhaseChange.objects.filter(stay=stay).delete()
    return stay
