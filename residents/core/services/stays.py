"""Admissions, transfers and discharges: every change of who sleeps where.

A bed holds at most one resident on any night, and a resident has at most one open stay. Nothing is dated into a
closed month (``accounts.closing``): the organization's books are locked first, then the bed (and, for a transfer,
the stay), so two managers clicking at once are served one after the other; the partial unique constraints in the
database are the last word if anything slips past.
"""

from datetime import date

from django.db import transaction

from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, DomainError
from accounts.models import User
from houses.models import Bed
from houses.selectors import bed_refusal
from residents.chores.services import chore_assignments_release, chore_rotation_lock
from residents.models import BedAssignment, Resident, Stay
from residents.program.services.phases import phase_set_initial


class BedUnavailable(Conflict):
    field = "bed"


def _check_bed_free(bed: Bed, *, on: date, ignore_stay: Stay | None = None) -> None:
    refusal = bed_refusal(bed, night=on)  # in service from that night on: the houses app's one rule
    if refusal:
        raise BedUnavailable(refusal)
    taken = BedAssignment.objects.filter(bed=bed).exclude(end__isnull=False, end__lte=on)
    if ignore_stay is not None:
        taken = taken.exclude(stay=ignore_stay)
    clash = taken.select_related("stay__resident").order_by("start").first()
    if clash is not None:
        if clash.start > on:
            raise BedUnavailable(f"{bed.label} is booked for {clash.stay.resident} from {clash.start:%b %-d, %Y}.")
        raise BedUnavailable(f"{bed.label} is occupied by {clash.stay.resident} on {on:%b %-d, %Y}.")


def _lock_bed(bed: Bed) -> Bed:
    return Bed.objects.select_for_update().select_related("room", "house").get(pk=bed.pk)


@transaction.atomic
def stay_admit(*, actor: User, resident: Resident, bed: Bed, on: date) -> Stay:
    """Admits a resident into a bed from night ``on``. The bed must be in service and free from that night on,
    and the resident must have no open stay."""
    refuse_closed_day(organization_id=resident.organization_id, on=on, field="on", what="an admission")
    bed = _lock_bed(bed)
    if bed.house.organization_id != resident.organization_id:
        raise DomainError("This bed belongs to another organization.", field="bed")
    # Lock the resident too: two admissions of one person into two beds must also serialize.
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if Stay.objects.filter(resident=resident, move_out__isnull=True).exists():
        raise Conflict(f"{resident} already has an open stay. Discharge or transfer instead.", field="resident")
    last = Stay.objects.filter(resident=resident).order_by("-move_out").first()
    if last is not None and last.move_out > on:
        raise DomainError(
            f"{resident} lived here until {last.move_out:%b %-d, %Y}; a new stay cannot start before that.",
            field="on",
        )
    _check_bed_free(bed, on=on)
    stay = Stay.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        house=bed.house,
        admitted_to=bed.house,  # never changes: a later move to another house is a transfer, not an admission
        move_in=on,
        admitted_by=actor,
    )
    BedAssignment.objects.create(stay=stay, bed=bed, start=on)
    phase_set_initial(actor=actor, stay=stay)
    return stay


@transaction.atomic
def stay_transfer(*, actor: User, stay: Stay, bed: Bed, on: date) -> BedAssignment:
    """Moves an open stay to another bed (in the same or another house of the organization) from night ``on``.

    A move to another house is a transfer out of the old house and into the new one (reports count it so); the
    stay keeps the house it was admitted into, and ``house`` becomes the new one."""
    refuse_closed_day(organization_id=stay.organization_id, on=on, field="on", what="a transfer")
    chore_rotation_lock(stay=stay)  # house before stay: the lock order of every chore write
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    if not stay.is_open:
        raise DomainError("Only a current resident can be transferred.", field="stay")
    bed = _lock_bed(bed)
    if bed.house.organization_id != stay.organization_id:
        raise DomainError("This bed belongs to another organization.", field="bed")
    current = stay.bed_assignments.filter(end__isnull=True).select_related("bed").first()
    if current is not None and current.bed_id == bed.pk:
        raise DomainError("The resident is already in this bed.", field="bed")
    if on < (current.start if current else stay.move_in):
        raise DomainError("A transfer cannot be dated before the current bed assignment began.", field="on")
    _check_bed_free(bed, on=on, ignore_stay=stay)
    if current is not None:
        current.end = on
        current.save(update_fields=["end"])
    assignment = BedAssignment.objects.create(stay=stay, bed=bed, start=on)
    if stay.house_id != bed.house_id:
        stay.house = bed.house
        stay.save(update_fields=["house"])
    chore_assignments_release(actor=actor, stay=stay, since=on)  # they leave the old house's chore rotation
    return assignment


@transaction.atomic
def stay_discharge(*, actor: User, stay: Stay, on: date, reason: str, note: str = "") -> Stay:
    """Ends a stay: ``on`` is the first night the resident no longer sleeps in the house."""
    refuse_closed_day(organization_id=stay.organization_id, on=on, field="on", what="a discharge")
    chore_rotation_lock(stay=stay)  # house before stay: the lock order of every chore write
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    if not stay.is_open:
        raise Conflict("This stay has already ended.", field="stay")
    if reason not in Stay.DischargeReason.values:
        raise DomainError("Choose a discharge reason.", field="reason")
    current = stay.bed_assignments.filter(end__isnull=True).first()
    if on < stay.move_in or (current is not None and on < current.start):
        raise DomainError("Discharge cannot be before move-in.", field="on")
    if current is not None:
        current.end = on
        current.save(update_fields=["end"])
    stay.move_out = on
    stay.discharge_reason = reason
    stay.discharge_note = note
    stay.discharged_by = actor
    stay.save(update_fields=["move_out", "discharge_reason", "discharge_note", "discharged_by"])
    chore_assignments_release(actor=actor, stay=stay, since=on)  # no chores after move-out
    return stay
