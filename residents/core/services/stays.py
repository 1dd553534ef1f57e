"""Admissions, transfers and discharges: every change of who sleeps where.

A bed holds at most one resident on any night, and a resident has at most one open stay. Nothing is dated into a
closed month (``accounts.closing``): the organization's books are locked first, then the bed (and, for a transfer,
the stay), so two managers clicking at once are served one after the other; the partial unique constraints in the
database are the last word if anything slips past.

Only the organization's operators and the managers of the houses concerned act (``roles.require_staff``). What other
slices do about a change (rent and deposit, the first phase, the chore rotation) they do in receivers of the signals
sent here (``residents.signals``), inside the same transaction.
"""

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.closing import refuse_closed_day
from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import Bed, House
from houses.selectors import bed_refusal
from residents.core.services.roles import require_staff, require_staff_or_house
from residents.models import BedAssignment, Resident, Stay
from residents.signals import stay_admitted, stay_discharged, stay_move_out_planned, stay_transferred


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
            raise BedUnavailable(
                _("%(label)s is booked for %(resident)s from %(start)s.")
                % {"label": bed.label, "resident": clash.stay.resident, "start": date_format(clash.start, _("M j, Y"))}
            )
        raise BedUnavailable(
            _("%(label)s is occupied by %(resident)s on %(on)s.")
            % {"label": bed.label, "resident": clash.stay.resident, "on": date_format(on, _("M j, Y"))}
        )


def _lock_bed(bed: Bed) -> Bed:
    return Bed.objects.select_for_update().select_related("room", "house").get(pk=bed.pk)


def _lock_houses_of(stay: Stay) -> None:
    """Locks every house the stay has had a bed in (and its current house), in id order, before the stay is locked:
    house before stay is the lock order of every chore write (a rotation holds its house while it writes rows that
    reference stays), so a transfer or discharge and a rotation never wait on each other in a cycle."""
    house_ids = set(BedAssignment.objects.filter(stay=stay).values_list("bed__house_id", flat=True))
    house_ids |= set(Stay.objects.filter(pk=stay.pk).values_list("house_id", flat=True))
    list(House.objects.select_for_update().filter(pk__in=house_ids).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def stay_admit(
    *,
    actor: Membership,
    resident: Resident,
    bed: Bed,
    on: date,
    billed_from: date | None = None,
    by_house: bool = False,
) -> Stay:
    """Admits a resident into a bed from night ``on``, as an operator or a manager of the bed's house. The bed must be
    in service and free from that night on, and the resident must have no open stay. Sends ``stay_admitted``.

    ``billed_from``: for a resident carried over from before Hearth (a spreadsheet import), the first night Hearth
    bills; what they owed before it is their opening balance, so billing charges no rent before it and no deposit.

    ``by_house``: the members of a peer-run house voted the admission (the ``peer`` app checked the vote)."""
    # The role first, on the objects as passed (a bed never changes house, so the lock below cannot change it).
    require_staff_or_house(actor, organization_id=resident.organization_id, by_house=by_house)
    if bed.house.organization_id != resident.organization_id:
        raise Invalid(_("This bed belongs to another organization."), field="bed")
    require_staff_or_house(actor, organization_id=resident.organization_id, house=bed.house, by_house=by_house)
    refuse_closed_day(organization_id=resident.organization_id, on=on, field="on", what=_("an admission"))
    bed = _lock_bed(bed)
    # Lock the resident too: two admissions of one person into two beds must also serialize.
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if Stay.objects.filter(resident=resident, move_out__isnull=True).exists():
        raise Conflict(
            _("%(resident)s already has an open stay. Discharge or transfer instead.") % {"resident": resident},
            field="resident",
        )
    last = Stay.objects.filter(resident=resident).order_by("-move_out").first()
    if last is not None and last.move_out > on:
        raise Invalid(
            _("%(resident)s lived here until %(move_out)s; a new stay cannot start before that.")
            % {"resident": resident, "move_out": date_format(last.move_out, _("M j, Y"))},
            field="on",
        )
    _check_bed_free(bed, on=on)
    stay = Stay.objects.create(
        organization_id=resident.organization_id,
        resident=resident,
        house=bed.house,
        admitted_to=bed.house,  # never changes: a later move to another house is a transfer, not an admission
        move_in=on,
        admitted_by=actor.user,
    )
    BedAssignment.objects.create(stay=stay, bed=bed, start=on)
    stay_admitted.send(sender=Stay, stay=stay, actor=actor, billed_from=billed_from)
    return stay


@transaction.atomic
def stay_transfer(*, actor: Membership, stay: Stay, bed: Bed, on: date) -> BedAssignment:
    """Moves an open stay to another bed (in the same or another house of the organization) from night ``on``, as
    an operator or a manager of both houses. Sends ``stay_transferred``.

    A move to another house is a transfer out of the old house and into the new one (reports count it so); the
    stay keeps the house it was admitted into, and ``house`` becomes the new one."""
    # The role first, on the objects as passed; re-checked below if the stay moved house before the lock.
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    if bed.house.organization_id != stay.organization_id:
        raise Invalid(_("This bed belongs to another organization."), field="bed")
    require_staff(actor, organization_id=stay.organization_id, house=bed.house)
    passed_house_id = stay.house_id
    refuse_closed_day(organization_id=stay.organization_id, on=on, field="on", what=_("a transfer"))
    _lock_houses_of(stay)
    stay = Stay.objects.select_for_update(of=("self",)).select_related("house").get(pk=stay.pk)
    if stay.house_id != passed_house_id:
        require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    if not stay.is_open:
        raise Invalid(_("Only a current resident can be transferred."), field="stay")
    bed = _lock_bed(bed)
    current = stay.bed_assignments.filter(end__isnull=True).select_related("bed").first()
    if current is not None and current.bed_id == bed.pk:
        raise Invalid(_("The resident is already in this bed."), field="bed")
    if on < (current.start if current else stay.move_in):
        raise Invalid(_("A transfer cannot be dated before the current bed assignment began."), field="on")
    _check_bed_free(bed, on=on, ignore_stay=stay)
    if current is not None:
        current.end = on
        current.save(update_fields=["end"])
    assignment = BedAssignment.objects.create(stay=stay, bed=bed, start=on)
    from_house = current.bed.house if current is not None else stay.house
    if stay.house_id != bed.house_id:
        stay.house = bed.house
        stay.save(update_fields=["house"])
    stay_transferred.send(sender=Stay, stay=stay, assignment=assignment, from_house=from_house, on=on, actor=actor)
    return assignment


@transaction.atomic
def stay_discharge(
    *, actor: Membership, stay: Stay, on: date, reason: str, note: str = "", by_house: bool = False
) -> Stay:
    """Ends a stay, as an operator or a manager of its house (or by a peer-run house's vote, ``by_house``):
    ``on`` is the first night the resident no longer sleeps in the house. Sends ``stay_discharged``."""
    # The role first, on the stay as passed; re-checked below if it moved house before the lock.
    require_staff_or_house(actor, organization_id=stay.organization_id, house=stay.house, by_house=by_house)
    passed_house_id = stay.house_id
    refuse_closed_day(organization_id=stay.organization_id, on=on, field="on", what=_("a discharge"))
    _lock_houses_of(stay)
    stay = Stay.objects.select_for_update(of=("self",)).select_related("house").get(pk=stay.pk)
    if stay.house_id != passed_house_id:
        require_staff_or_house(actor, organization_id=stay.organization_id, house=stay.house, by_house=by_house)
    if not stay.is_open:
        raise Conflict(_("This stay has already ended."), field="stay")
    if reason not in Stay.DischargeReason.values:
        raise Invalid(_("Choose a discharge reason."), field="reason")
    current = stay.bed_assignments.filter(end__isnull=True).first()
    if on < stay.move_in or (current is not None and on < current.start):
        raise Invalid(_("Discharge cannot be before move-in."), field="on")
    if current is not None:
        current.end = on
        current.save(update_fields=["end"])
    stay.move_out = on
    stay.discharge_reason = reason
    stay.discharge_note = note
    stay.discharged_by = actor.user
    stay.save(update_fields=["move_out", "discharge_reason", "discharge_note", "discharged_by"])
    stay_discharged.send(sender=Stay, stay=stay, on=on, actor=actor)
    return stay


@transaction.atomic
def stay_plan_move_out(*, actor: Membership, stay: Stay, on: date | None) -> Stay:
    """Sets (a date after today, the first night away) or clears (``on=None``) an open stay's planned move-out, as an
    operator or a manager of its house. Sends ``stay_move_out_planned`` when it changed; the same date again changes
    nothing. The discharge itself is still recorded with ``stay_discharge``."""
    # The role first, on the stay as passed; re-checked below if it moved house before the lock.
    require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    passed_house_id = stay.house_id
    _lock_houses_of(stay)
    stay = Stay.objects.select_for_update(of=("self",)).select_related("house", "organization").get(pk=stay.pk)
    if stay.house_id != passed_house_id:
        require_staff(actor, organization_id=stay.organization_id, house=stay.house)
    if not stay.is_open:
        raise Conflict(_("This stay has already ended; its move-out is recorded."), field="stay")
    if on is not None and on <= stay.organization.today():
        raise Invalid(_("A planned move-out must be after today. To record one for today, discharge."), field="on")
    previous = stay.expected_move_out
    if previous == on:
        return stay
    stay.expected_move_out = on
    stay.save(update_fields=["expected_move_out"])
    stay_move_out_planned.send(sender=Stay, stay=stay, previous=previous, actor=actor)
    return stay
