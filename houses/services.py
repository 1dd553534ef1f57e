from datetime import date

from django.db import transaction

from accounts import services as account_services
from accounts.exceptions import DomainError
from accounts.models import Membership, Role, User

from .models import Bed, House, Room


def house_assign_staff(*, actor: User, membership: Membership, houses) -> None:
    """Sets the houses a manager runs. Only managers run houses; every house must be of their organization."""
    houses = list(houses)
    if houses and membership.role != Role.MANAGER:
        raise DomainError("Only managers are assigned to houses.", field="houses")
    if any(house.organization_id != membership.organization_id for house in houses):
        raise DomainError("A house of another organization cannot be assigned.", field="houses")
    membership.houses.set(houses)


@transaction.atomic
def staff_invite(*, actor: Membership, email: str, full_name: str, role: str, houses=(), base_url: str) -> Membership:
    """Invites a person into the actor's organization and, for a manager, assigns their houses in the same step."""
    membership = account_services.membership_invite(
        actor=actor.user, organization=actor.organization, email=email, full_name=full_name, role=role,
        base_url=base_url,
    )  # fmt: skip
    house_assign_staff(actor=actor.user, membership=membership, houses=houses)
    return membership


@transaction.atomic
def staff_update(*, actor: Membership, membership: Membership, houses=None, **changes) -> Membership:
    membership = account_services.membership_update(actor=actor, membership=membership, **changes)
    if houses is not None:
        house_assign_staff(actor=actor.user, membership=membership, houses=houses)
    elif membership.role != Role.MANAGER:
        membership.houses.clear()
    return membership


def _check_house_name(*, organization_id: int, name: str, house: House | None = None) -> None:
    clash = House.objects.filter(organization_id=organization_id, name__iexact=name.strip())
    if house is not None:
        clash = clash.exclude(pk=house.pk)
    if clash.exists():
        raise DomainError("The organization already has a house with this name.", field="name")


@transaction.atomic
def house_create(*, actor: Membership, **fields) -> House:
    """Opens a house in the actor's organization; house names are unique in an organization (whatever the case)."""
    _check_house_name(organization_id=actor.organization_id, name=fields.get("name", ""))
    return House.objects.create(organization=actor.organization, **fields)


@transaction.atomic
def house_update(*, actor: Membership, house: House, **changes) -> House:
    """Changes a house's details. A house is never deleted: it is closed, so its history stays."""
    house = House.objects.select_for_update().get(pk=house.pk)
    if "name" in changes:
        _check_house_name(organization_id=house.organization_id, name=changes["name"], house=house)
    for name, value in changes.items():
        setattr(house, name, value)
    house.save(update_fields=list(changes))
    return house


@transaction.atomic
def room_create(*, actor: Membership, house: House, name: str, floor: int = 1, notes: str = "") -> Room:
    """Adds a room to a house; room names are unique in a house."""
    if Room.objects.filter(house=house, name__iexact=name.strip()).exists():
        raise DomainError("This house already has a room with this name.", field="name")
    return Room.objects.create(house=house, name=name.strip(), floor=floor, notes=notes)


@transaction.atomic
def bed_create(*, actor: Membership, room: Room, label: str) -> Bed:
    """Adds a bed (in service) to a room; bed labels are unique in a room."""
    if Bed.objects.filter(room=room, label__iexact=label.strip()).exists():
        raise DomainError("This room already has a bed with this label.", field="label")
    bed = Bed(room=room, label=label.strip())
    bed.save()
    return bed


def _lock_bed(bed: Bed) -> Bed:
    return Bed.objects.select_for_update().select_related("room", "house__organization").get(pk=bed.pk)


@transaction.atomic
def bed_take_out_of_service(*, actor: Membership, bed: Bed, reason: str, start: date, until: date | None) -> Bed:
    """Takes a bed out of service from ``start`` (a night) until ``until`` (the night it is back; empty when
    unknown). The bed's ``clean()`` holds the rules: a reason, a start, and a return after the start.
    Raises Django's ``ValidationError`` keyed by the bed's field names."""
    bed = _lock_bed(bed)
    bed.status = Bed.Status.OUT_OF_SERVICE
    bed.out_of_service_reason = reason.strip()
    bed.out_of_service_from = start
    bed.out_of_service_until = until
    bed.full_clean()
    bed.save()
    return bed


@transaction.atomic
def bed_return_to_service(*, actor: Membership, bed: Bed) -> Bed:
    """Puts a bed back in service from tonight; an outage still running ends tonight (``Bed.save``)."""
    bed = _lock_bed(bed)
    if bed.status == Bed.Status.AVAILABLE:
        raise DomainError("This bed is already in service.", field="bed")
    bed.status = Bed.Status.AVAILABLE
    bed.full_clean()
    bed.save()
    return bed
