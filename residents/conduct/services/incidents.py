"""Recording incidents and staff notes about residents.

Incident rules:
- Residents involved were living in the incident's house on the day it happened (the organization's date).
- It happened in the past; a follow-up date is on or after that day; the house never changes afterwards.
- Nothing is dated into a closed month, and an incident of a closed month keeps what its figures count (its date,
  severity and action).
- An action (the consequence) applies to someone: it needs at least one resident involved.
- A fine carries a positive amount (per resident involved, two decimal places); no other action carries one.
Once saved, ``residents.signals.incident_saved`` lets billing post (or withdraw) the fine of each resident involved.
Resident notes are append-only; a note records the house the resident lived in, which decides who sees it.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.calendar import local_date
from accounts.closing import refuse_closed_day
from accounts.exceptions import Invalid
from accounts.input_checks import check_choice, check_moment
from accounts.models import Membership
from houses.models import House
from residents.core.selectors.nights import residence_on_day, residents_on_day
from residents.core.services.roles import manages, require_staff
from residents.models import Incident, Resident, ResidentNote, Stay
from residents.signals import incident_saved

CENT = Decimal("0.01")


def _validated(
    *,
    house: House,
    residents: list[Resident],
    occurred_at: datetime,
    category: str,
    severity: str,
    what_happened: str,
    action: str,
    fine_amount: Decimal | None,
    follow_up_on: date | None,
) -> Decimal | None:
    check_moment(occurred_at, field="occurred_at")
    check_choice(category, Incident.Category, field="category")
    check_choice(severity, Incident.Severity, field="severity")
    if action:
        check_choice(action, Incident.Action, field="action")
    if not what_happened.strip():
        raise Invalid(_("Say what happened."), field="what_happened")
    day = local_date(occurred_at, house.organization)
    if any(resident.organization_id != house.organization_id for resident in residents):
        raise Invalid(_("A resident of another organization cannot be involved."), field="residents")
    present = set(
        residents_on_day(house=house, day=day).filter(pk__in=[r.pk for r in residents]).values_list("pk", flat=True)
    )
    absent = [str(resident) for resident in residents if resident.pk not in present]
    if absent:
        raise Invalid(
            _("Not living in %(name)s on %(day)s: %(join)s.")
            % {"name": house.name, "day": date_format(day, _("M j, Y")), "join": ", ".join(sorted(absent))},
            field="residents",
        )
    if action and not residents:
        raise Invalid(_("An action needs at least one resident involved."), field="residents")
    if action == Incident.Action.FINE:
        if fine_amount is None or fine_amount <= 0:
            raise Invalid(_("A fine needs a positive amount."), field="fine_amount")
        fine_amount = fine_amount.quantize(CENT)
    elif fine_amount is not None:
        raise Invalid(_("Only a fine carries an amount."), field="fine_amount")
    if follow_up_on is not None and follow_up_on < day:
        raise Invalid(_("The follow-up cannot be before the incident."), field="follow_up_on")
    return fine_amount


@transaction.atomic
def incident_record(
    *,
    actor: Membership,
    house: House,
    occurred_at: datetime,
    category: str,
    severity: str,
    what_happened: str,
    residents: Iterable[Resident] = (),
    rule_reference: str = "",
    action: str = "",
    fine_amount: Decimal | None = None,
    follow_up_on: date | None = None,
) -> Incident:
    """Records an incident in ``house``, who was involved and the consequence (see the module's rules), as an
    operator or a manager of the house."""
    require_staff(actor, organization_id=house.organization_id, house=house)
    residents = list(dict.fromkeys(residents))
    fine_amount = _validated(
        house=house, residents=residents, occurred_at=occurred_at, category=category, severity=severity,
        what_happened=what_happened, action=action, fine_amount=fine_amount, follow_up_on=follow_up_on,
    )  # fmt: skip
    refuse_closed_day(
        organization_id=house.organization_id, on=local_date(occurred_at, house.organization), field="occurred_at",
        what=_("an incident"),
    )  # fmt: skip
    incident = Incident.objects.create(
        organization_id=house.organization_id,
        house=house,
        occurred_at=occurred_at,
        category=category,
        rule_reference=rule_reference,
        severity=severity,
        what_happened=what_happened,
        action=action,
        fine_amount=fine_amount,
        follow_up_on=follow_up_on,
        reported_by=actor.user,
    )
    incident.residents.set(residents)
    incident_saved.send(sender=Incident, incident=incident, actor=actor)
    audit.changed(actor=actor, action=audit.Action.CREATE, instance=incident)
    return incident


UPDATABLE = {
    "residents", "occurred_at", "category", "rule_reference", "severity", "what_happened", "action", "fine_amount",
    "follow_up_on",
}  # fmt: skip


@transaction.atomic
def incident_update(*, actor: Membership, incident: Incident, **changes) -> Incident:
    """Changes an incident, as an operator or a manager of its house; the whole incident is checked again against the
    rules. The house cannot change."""
    given = audit.changed_fields(changes)
    incident = Incident.objects.select_for_update().select_related("house__organization").get(pk=incident.pk)
    require_staff(actor, organization_id=incident.organization_id, house=incident.house)
    if "house" in changes and changes.pop("house") != incident.house:
        raise Invalid(_("An incident cannot move to another house."), field="house")
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        raise Invalid(_("This cannot be changed."), field=unknown[0])
    residents = list(dict.fromkeys(changes.pop("residents") if "residents" in changes else incident.residents.all()))
    state = {name: getattr(incident, name) for name in UPDATABLE - {"residents"}}
    state.update(changes)
    state["fine_amount"] = _validated(
        house=incident.house, residents=residents,
        **{name: state[name] for name in UPDATABLE - {"residents", "rule_reference"}},
    )  # fmt: skip
    organization = incident.house.organization
    counted = [name for name in ("occurred_at", "severity", "action") if state[name] != getattr(incident, name)]
    if counted:  # the month's incident figures count these
        refuse_closed_day(
            organization_id=organization.pk, on=local_date(incident.occurred_at, organization), field=counted[0],
            what=_("a change to this incident"),
        )  # fmt: skip
    if "occurred_at" in counted:
        refuse_closed_day(
            organization_id=organization.pk, on=local_date(state["occurred_at"], organization), field="occurred_at",
            what=_("an incident"),
        )  # fmt: skip
    for name, value in state.items():
        setattr(incident, name, value)
    incident.save()
    incident.residents.set(residents)
    incident_saved.send(sender=Incident, incident=incident, actor=actor)
    audit.changed(actor=actor, action=audit.Action.UPDATE, instance=incident, detail=given)
    return incident


@transaction.atomic
def resident_note_add(*, actor: Membership, resident: Resident, body: str) -> ResidentNote:
    """Adds a note about ``resident``, filed under the house they live in (or last lived in), as an operator or a
    manager of that house. A resident who never lived in a house of the actor's has nothing to file it under."""
    require_staff(actor, organization_id=resident.organization_id)
    if not body.strip():
        raise Invalid(_("Write the note."), field="body")
    today = resident.organization.today()
    residence = residence_on_day(resident=resident, day=today)
    if residence is not None:
        house = residence.bed.house
    else:
        last = Stay.objects.filter(resident=resident).select_related("house").order_by("-move_in", "-pk").first()
        house = last.house if last else None
    if house is None or (actor.is_manager and not manages(actor, house)):
        raise Invalid(_("%(resident)s does not live in one of your houses.") % {"resident": resident}, field="resident")
    note = ResidentNote.objects.create(
        organization_id=resident.organization_id, resident=resident, house=house, author=actor.user, body=body
    )
    audit.changed(actor=actor, action=audit.Action.CREATE, instance=note)
    return note
