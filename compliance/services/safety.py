"""A house's safety policy (inspection and drill intervals, gas appliances) and its safety equipment."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.services.roles import require_staff

from ..models import SafetyEquipment, SafetyPolicy

POLICY_FIELDS = ("inspection_interval_days", "drill_interval_days", "has_gas_appliances", "drills_at_level_one")


def _check_house(actor: Membership, house: House) -> None:
    """An operator of the house's organization or a manager of the house may set up its safety; no one else."""
    if house.organization_id != actor.organization_id:
        raise Invalid(_("Unknown house."), field="house")
    require_staff(actor, organization_id=house.organization_id, house=house)


def _check_intervals(fields: dict) -> None:
    for name, most in (("inspection_interval_days", 92), ("drill_interval_days", 366)):
        value = fields.get(name)
        if value is not None and not 1 <= value <= most:
            raise Invalid(_("Give a number of days from 1 to %(most)s.") % {"most": most}, field=name)


@transaction.atomic
def safety_policy_create(*, actor: Membership, house: House, **fields) -> SafetyPolicy:
    """Saves a house's safety policy; a house has at most one (change it instead)."""
    _check_house(actor, house)
    _check_intervals(fields)
    House.objects.select_for_update().filter(pk=house.pk).first()
    if SafetyPolicy.objects.filter(house=house).exists():
        raise Conflict(
            _("%(house)s already has a safety policy; change that one.") % {"house": house.name}, field="house"
        )
    return SafetyPolicy.objects.create(organization_id=house.organization_id, house=house, **fields)


@transaction.atomic
def safety_policy_update(*, actor: Membership, policy: SafetyPolicy, **fields) -> SafetyPolicy:
    """Changes a house's safety policy (intervals, gas appliances); it stays with its house."""
    policy = SafetyPolicy.objects.select_for_update().select_related("house").get(pk=policy.pk)
    _check_house(actor, policy.house)
    if "house" in fields and fields["house"] != policy.house:
        raise Invalid(_("A policy cannot move to another house."), field="house")
    _check_intervals(fields)
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    policy.save()
    return policy


def _check_equipment(*, kind: str, location: str, quantity, expires_on, last_serviced_on, today: date) -> None:
    if not (location or "").strip():
        raise Invalid(_("Say where it is kept."), field="location")
    if kind == SafetyEquipment.Kind.NALOXONE_KIT:
        if expires_on is None:
            raise Invalid(_("Give the kit's expiry date."), field="expires_on")
        if quantity is not None and quantity < 1:
            raise Invalid(_("A kit holds at least one dose."), field="quantity")
        if last_serviced_on is not None:
            raise Invalid(_("Only extinguishers have a service date."), field="last_serviced_on")
    elif kind == SafetyEquipment.Kind.FIRE_EXTINGUISHER:
        if last_serviced_on is None:
            raise Invalid(_("Give the date of the extinguisher's last service."), field="last_serviced_on")
        if last_serviced_on > today:
            raise Invalid(_("The service date cannot be in the future."), field="last_serviced_on")
        if expires_on is not None:
            raise Invalid(_("Only naloxone kits have an expiry date here."), field="expires_on")
    else:
        raise Invalid(_("Choose fire extinguisher or naloxone kit."), field="kind")


@transaction.atomic
def safety_equipment_add(
    *,
    actor: Membership,
    house: House,
    kind: str,
    location: str,
    quantity: int | None = None,
    expires_on: date | None = None,
    last_serviced_on: date | None = None,
) -> SafetyEquipment:
    """Registers an extinguisher (with its last service date) or a naloxone kit (with doses and expiry) in a house."""
    _check_house(actor, house)
    _check_equipment(
        kind=kind, location=location, quantity=quantity, expires_on=expires_on, last_serviced_on=last_serviced_on,
        today=actor.organization.today(),
    )  # fmt: skip
    return SafetyEquipment.objects.create(
        organization_id=house.organization_id, house=house, kind=kind, location=location.strip(),
        quantity=quantity or 1, expires_on=expires_on, last_serviced_on=last_serviced_on,
    )  # fmt: skip


@transaction.atomic
def safety_equipment_update(*, actor: Membership, equipment: SafetyEquipment, **changes) -> SafetyEquipment:
    """Changes an item's location, doses, dates, or takes it out of service (``is_active=False``)."""
    equipment = SafetyEquipment.objects.select_for_update().select_related("house").get(pk=equipment.pk)
    _check_house(actor, equipment.house)
    for name in ("house", "kind"):
        if name in changes and changes[name] != getattr(equipment, name):
            raise Invalid(_("This cannot change; register a new item instead."), field=name)
    for name in ("location", "quantity", "expires_on", "last_serviced_on", "is_active"):
        if name in changes:
            setattr(equipment, name, changes[name])
    _check_equipment(
        kind=equipment.kind, location=equipment.location, quantity=equipment.quantity,
        expires_on=equipment.expires_on, last_serviced_on=equipment.last_serviced_on,
        today=actor.organization.today(),
    )  # fmt: skip
    equipment.location = equipment.location.strip()
    equipment.save()
    return equipment
