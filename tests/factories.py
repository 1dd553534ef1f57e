from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organization, Role, User
from houses import services as house_services
from houses.models import Bed, House, Room
from residents.models import Resident

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
    name = factory.Sequence(lambda n: f"Room {n}")


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
    return house_services.bed_take_out_of_service(actor=None, bed=bed, reason=reason, start=start, until=until)
