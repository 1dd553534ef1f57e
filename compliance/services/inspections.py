"""Safety inspections: start (the checklist is generated from the house), answer each line, complete; a failed line
opens a corrective action that stays open until someone records the fix.

A month's safety figures count the inspections completed with a date in it and the corrective actions open at its
end, so once the month is closed (``accounts.closing``) no inspection or fix is dated into it, and an inspection
dated in it is not answered or completed. The organization's lock is taken before any row of the house, the lock
order of every dated write.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.closing import MonthClosed, closed_through, lock_books, refuse_closed_day
from accounts.exceptions import Conflict, Invalid
from accounts.models import Membership
from houses.models import House, Room
from residents.core.services.roles import require_staff

from ..models import CorrectiveAction, Inspection, InspectionLine, SafetyEquipment, SafetyPolicy
from ..models.safety import EXTINGUISHER_SERVICE_DAYS

CORRECTIVE_ACTION_DAYS = 7

Item = InspectionLine.Item
Result = InspectionLine.Result


def _floor_name(floor: int) -> str:
    return {0: "the ground floor", -1: "the basement"}.get(floor, f"floor {floor}")


def inspection_checklist(*, house: House, policy: SafetyPolicy) -> list[InspectionLine]:
    """The lines an inspection of ``house`` checks, in walking order (not saved):

    a working smoke detector in every bedroom (each room of the house) and on every floor; a carbon monoxide detector
    on every floor when the house has gas appliances; each fire extinguisher (location, last service) and naloxone
    kit (location, doses, expiry) in the house, or one line to record them when none is registered; a first-aid kit;
    exits and hallways clear.
    """
    rooms = list(Room.objects.filter(house=house).order_by("floor", "name"))
    floors = sorted({room.floor for room in rooms}) or [1]
    equipment = list(SafetyEquipment.objects.filter(house=house, is_active=True).order_by("kind", "location", "pk"))
    lines = [
        InspectionLine(
            item=Item.SMOKE_BEDROOM, label=f"Smoke detector works in {room.name}", room=room, floor=room.floor
        )
        for room in rooms
    ]
    lines += [
        InspectionLine(item=Item.SMOKE_FLOOR, label=f"Smoke detector works on {_floor_name(f)}", floor=f)
        for f in floors
    ]
    if policy.has_gas_appliances:
        lines += [
            InspectionLine(item=Item.CO_DETECTOR, label=f"Carbon monoxide detector works on {_floor_name(f)}", floor=f)
            for f in floors
        ]
    for kind, item, noun in (
        (SafetyEquipment.Kind.FIRE_EXTINGUISHER, Item.FIRE_EXTINGUISHER, "Fire extinguisher"),
        (SafetyEquipment.Kind.NALOXONE_KIT, Item.NALOXONE_KIT, "Naloxone kit"),
    ):
        kept = [e for e in equipment if e.kind == kind]
        lines += [
            InspectionLine(
                item=item,
                label=f"{noun} ({e.location})",
                equipment=e,
                location=e.location,
                quantity=e.quantity if kind == SafetyEquipment.Kind.NALOXONE_KIT else None,
                expires_on=e.expires_on,
                last_serviced_on=e.last_serviced_on,
            )
            for e in kept
        ] or [InspectionLine(item=item, label=f"{noun} present (none registered yet: record where it is)")]
    lines.append(InspectionLine(item=Item.FIRST_AID_KIT, label="First-aid kit stocked and easy to find"))
    lines.append(InspectionLine(item=Item.EXITS_CLEAR, label="Exits and hallways clear"))
    for position, line in enumerate(lines, start=1):
        line.position = position
    return lines


@transaction.atomic
def inspection_start(*, actor: Membership, house: House, inspected_on: date | None = None) -> Inspection:
    """Starts an inspection of an active house and generates its checklist. A house has at most one inspection in
    progress; the date is today unless given, and never in the future."""
    if house.organization_id != actor.organization_id:
        raise Invalid(_("Unknown house."), field="house")
    require_staff(actor, organization_id=house.organization_id, house=house)
    today = actor.organization.today()
    inspected_on = inspected_on or today
    if inspected_on > today:
        raise Invalid(_("An inspection cannot be dated in the future."), field="inspected_on")
    refuse_closed_day(
        organization_id=house.organization_id, on=inspected_on, field="inspected_on", what=_("an inspection")
    )
    house = House.objects.select_for_update().get(pk=house.pk)  # serialize starts in one house
    if house.status != House.Status.ACTIVE:
        raise Invalid(_("%(house)s is closed.") % {"house": house.name}, field="house")
    running = Inspection.objects.in_progress().filter(house=house).first()
    if running is not None:
        raise Conflict(
            _("An inspection of %(house)s dated %(inspected_on)s is in progress; finish it first.")
            % {"house": house.name, "inspected_on": date_format(running.inspected_on, _("M j, Y"))},
            field="house",
        )
    policy = SafetyPolicy.objects.filter(house=house).first() or SafetyPolicy.default_for(house)
    inspection = Inspection.objects.create(
        organization_id=house.organization_id, house=house, inspected_on=inspected_on, started_by=actor.user
    )
    lines = inspection_checklist(house=house, policy=policy)
    for line in lines:
        line.inspection = inspection
    InspectionLine.objects.bulk_create(lines)
    return inspection


def _lock_open_inspection(actor: Membership, inspection_id: int) -> Inspection:
    """Locks an inspection still open to answers, for an operator of its organization or a manager of its house."""
    organization_id = Inspection.objects.values_list("organization_id", flat=True).get(pk=inspection_id)
    lock_books(organization_id)
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("house").get(pk=inspection_id)
    require_staff(actor, organization_id=organization_id, house=inspection.house)
    if not inspection.is_open:
        raise Conflict(_("This inspection is completed; its answers can no longer change."), field="inspection")
    through = closed_through(organization_id)
    if through is not None and inspection.inspected_on <= through:
        raise MonthClosed(
            _(
                "%(month)s is closed, and this inspection is dated %(day)s: it cannot be answered or completed now. "
                "Ask an operator to reopen %(through)s to finish it."
            )
            % {
                "month": date_format(inspection.inspected_on, _("F Y")),
                "day": date_format(inspection.inspected_on, _("M j, Y")),
                "through": date_format(through, _("F Y")),
            },
            field="inspection",
        )
    return inspection


def _check_equipment_answer(line: InspectionLine, inspection: Inspection, result: str) -> None:
    """Rules for what an inspector may pass: a located, serviced extinguisher; a located, in-date naloxone kit."""
    if line.item == Item.FIRE_EXTINGUISHER:
        if line.last_serviced_on and line.last_serviced_on > inspection.inspected_on:
            raise Invalid(_("The service date cannot be after the inspection."), field="last_serviced_on")
        if result == Result.PASS:
            if not line.location:
                raise Invalid(_("Say where the extinguisher is."), field="location")
            if not line.last_serviced_on:
                raise Invalid(_("Give the date on the extinguisher's service tag."), field="last_serviced_on")
            if line.last_serviced_on + timedelta(days=EXTINGUISHER_SERVICE_DAYS) < inspection.inspected_on:
                raise Invalid(
                    _("The extinguisher was last serviced more than a year ago: record a fail."), field="result"
                )
    elif line.item == Item.NALOXONE_KIT and result == Result.PASS:
        if not line.location:
            raise Invalid(_("Say where the naloxone kit is."), field="location")
        if not line.quantity:
            raise Invalid(_("Count the doses in the kit; an empty kit fails."), field="quantity")
        if not line.expires_on:
            raise Invalid(_("Give the expiry date printed on the kit."), field="expires_on")
        if line.expires_on < inspection.inspected_on:
            raise Invalid(_("The kit has expired: record a fail."), field="result")


@transaction.atomic
def inspection_line_record(
    *,
    actor: Membership,
    line: InspectionLine,
    result: str,
    note: str = "",
    due_on: date | None = None,
    **observed,
) -> InspectionLine:
    """Answers one line of an inspection in progress: pass, or fail with a note saying what is wrong.

    Extinguisher and naloxone lines also take what was seen (``location``, ``quantity``, ``expires_on``,
    ``last_serviced_on``). A fail opens a corrective action due ``due_on`` (default: inspection date + 7 days);
    answering a failed line again with a pass records that action as fixed during the inspection.
    """
    inspection = _lock_open_inspection(actor, line.inspection_id)
    line = InspectionLine.objects.select_for_update(of=("self",)).select_related("equipment").get(pk=line.pk)
    if result not in Result.values:
        raise Invalid(_("Choose pass or fail."), field="result")
    note = (note or "").strip()
    if result == Result.FAIL and not note:
        raise Invalid(_("Say what failed, so it can be put right."), field="note")
    if observed and not line.is_equipment:
        raise Invalid(
            _("This line does not take %(observed)s.") % {"observed": ", ".join(sorted(observed))},
            field=sorted(observed)[0],
        )
    for name, value in observed.items():
        setattr(line, name, value.strip() if isinstance(value, str) else value)
    _check_equipment_answer(line, inspection, result)
    open_action = CorrectiveAction.objects.select_for_update().filter(line=line, fixed_on__isnull=True).first()
    if result == Result.FAIL:
        due_on = due_on or inspection.inspected_on + timedelta(days=CORRECTIVE_ACTION_DAYS)
        if due_on < inspection.inspected_on:
            raise Invalid(_("The fix cannot be due before the inspection."), field="due_on")
        description = f"{line.label}: {note}"
        if open_action is None:
            CorrectiveAction.objects.create(
                organization_id=inspection.organization_id, house_id=inspection.house_id, inspection=inspection,
                line=line, description=description, due_on=due_on, opened_by=actor.user,
            )  # fmt: skip
        else:
            open_action.description, open_action.due_on = description, due_on
            open_action.save(update_fields=["description", "due_on"])
    elif open_action is not None:
        open_action.fixed_on = inspection.inspected_on
        open_action.fixed_by = actor.user
        open_action.fix_note = "Put right during the inspection" + (f": {note}" if note else ".")
        open_action.fix_recorded_at = timezone.now()
        open_action.save(update_fields=["fixed_on", "fixed_by", "fix_note", "fix_recorded_at"])
    line.result, line.note = result, note
    line.recorded_by, line.recorded_at = actor.user, timezone.now()
    line.save()
    return line


@transaction.atomic
def inspection_complete(*, actor: Membership, inspection: Inspection, notes: str | None = None) -> Inspection:
    """Completes an inspection once every line is answered; what was seen of extinguishers and naloxone kits becomes
    the house's equipment record (a line with no registered item registers one)."""
    inspection = _lock_open_inspection(actor, inspection.pk)
    lines = list(inspection.lines.select_related("equipment").order_by("position"))
    unanswered = [line for line in lines if not line.is_answered]
    if unanswered:
        names = "; ".join(line.label for line in unanswered[:3]) + ("; …" if len(unanswered) > 3 else "")
        raise Invalid(
            _("%(unanswered)s of %(lines)s lines are not answered yet (%(names)s). Pass or fail each one first.")
            % {"unanswered": len(unanswered), "lines": len(lines), "names": names},
            field="lines",
        )
    for line in lines:
        if line.is_equipment and line.location:
            _apply_observation(line, inspection)
    inspection.status = Inspection.Status.COMPLETED
    inspection.completed_by = actor.user
    inspection.completed_at = timezone.now()
    if notes is not None:
        inspection.notes = notes
    inspection.save()
    return inspection


def _apply_observation(line: InspectionLine, inspection: Inspection) -> None:
    kind = (
        SafetyEquipment.Kind.NALOXONE_KIT if line.item == Item.NALOXONE_KIT else SafetyEquipment.Kind.FIRE_EXTINGUISHER
    )
    values = {"location": line.location}
    if kind == SafetyEquipment.Kind.NALOXONE_KIT:
        if not line.expires_on:
            return  # a missing kit recorded as a fail: nothing to register
        values.update(quantity=line.quantity or 0, expires_on=line.expires_on)
    else:
        if not line.last_serviced_on:
            return
        values.update(last_serviced_on=line.last_serviced_on)
    if line.equipment_id:
        SafetyEquipment.objects.filter(pk=line.equipment_id).update(**values)
    else:
        equipment = SafetyEquipment.objects.create(
            organization_id=inspection.organization_id, house_id=inspection.house_id, kind=kind, **values
        )
        InspectionLine.objects.filter(pk=line.pk).update(equipment=equipment)


@transaction.atomic
def corrective_action_fix(
    *, actor: Membership, action: CorrectiveAction, note: str, fixed_on: date | None = None
) -> CorrectiveAction:
    """Records that a corrective action was put right: by whom (the actor), on which day (today unless given, never
    in the future nor before the inspection) and how (a note). Only an operator or a manager of the house may."""
    require_staff(actor, organization_id=action.organization_id, house=action.house)
    if fixed_on is not None:
        refuse_closed_day(organization_id=action.organization_id, on=fixed_on, field="fixed_on", what=_("a fix"))
    action = CorrectiveAction.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=action.pk)
    if not action.is_open:
        raise Conflict(
            _("This was already recorded as fixed on %(fixed_on)s.")
            % {"fixed_on": date_format(action.fixed_on, _("M j, Y"))},
            field="action",
        )
    note = (note or "").strip()
    if not note:
        raise Invalid(_("Say what was done."), field="note")
    today = actor.organization.today()
    fixed_on = fixed_on or today
    if fixed_on > today:
        raise Invalid(_("A fix cannot be dated in the future."), field="fixed_on")
    if fixed_on < action.inspection.inspected_on:
        raise Invalid(_("A fix cannot be dated before the inspection that found the problem."), field="fixed_on")
    action.fixed_on, action.fixed_by, action.fix_note = fixed_on, actor.user, note
    action.fix_recorded_at = timezone.now()
    action.save(update_fields=["fixed_on", "fixed_by", "fix_note", "fix_recorded_at"])
    return action
