"""The organization's program phases, and each stay's phase changes: its first phase, promotions and demotions.

Defining phases (pages and API alike):
- Only an operator defines phases.
- Orders start at 1 and are unique in the organization; names are unique too, ignoring case.
- Curfews follow the model's rule (``Phase.clean``): in the evening, or after midnight before 06:00.
- A phase someone has been in is never deleted: its history stays.
Each definition locks the organization row, so two operators adding "phase 4" at once are served one after the other.

Phase changes are append-only. Every change locks the stay first, so two managers promoting the same resident at
once are served one after the other and the second sees the first's promotion.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.exceptions import Conflict, Invalid, NotAllowed
from accounts.models import Membership, Organization
from houses.models import House
from residents.core.services.roles import require_staff
from residents.models import Phase, PhaseChange, Stay

# What defines a phase; anything else sent to phase_create or phase_update is refused.
PHASE_FIELDS = (
    "order", "name", "description", "meetings_per_week", "drug_tests_per_month", "weeknight_curfew",
    "weekend_curfew", "passes_per_month", "min_days_before_promotion",
)  # fmt: skip


# Phases --------------------------------------------------------------------------------------------------------------


def _require_operator(actor: Membership, organization_id: int) -> None:
    if not actor.is_operator or actor.organization_id != organization_id:
        raise NotAllowed(_("Only an operator defines the program's phases."))


def _lock_organization(organization_id: int) -> None:
    # Orders and names are unique per organization: two definitions at once must not both pass the checks below.
    Organization.objects.select_for_update().get(pk=organization_id)


def _check_phase(phase: Phase) -> None:
    phase.name = (phase.name or "").strip()
    phase.description = (phase.description or "").strip()
    if not phase.name:
        raise Invalid(_("Give the phase a name."), field="name")
    if phase.order is None or phase.order < 1:
        raise Invalid(_("The first phase is 1."), field="order")
    others = Phase.objects.filter(organization_id=phase.organization_id).exclude(pk=phase.pk)
    if others.filter(order=phase.order).exists():
        raise Invalid(_("Another phase already has order %(order)s.") % {"order": phase.order}, field="order")
    if others.filter(name__iexact=phase.name).exists():
        raise Invalid(_("Another phase is already called “%(name)s”.") % {"name": phase.name}, field="name")
    try:
        phase.clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(messages[0], field=field) from error


def _refuse_unknown(fields: dict, *, verb: str) -> None:
    unknown = sorted(set(fields) - set(PHASE_FIELDS))
    if unknown:
        refusal = _("This cannot be set.") if verb == "set" else _("This cannot be changed.")
        raise Invalid(refusal, field=unknown[0])


@transaction.atomic
def phase_create(*, actor: Membership, **fields) -> Phase:
    """Adds a phase to the actor's organization (see the module's rules)."""
    _require_operator(actor, actor.organization_id)
    _refuse_unknown(fields, verb="set")
    _lock_organization(actor.organization_id)
    phase = Phase(organization_id=actor.organization_id, **fields)
    _check_phase(phase)
    phase.save()
    return phase


@transaction.atomic
def phase_update(*, actor: Membership, phase: Phase, **changes) -> Phase:
    """Changes a phase's name, order, description or requirements. Residents' histories keep pointing at it, so a
    change applies from now on to everyone in the phase (past weeks are judged again with the new numbers)."""
    _require_operator(actor, phase.organization_id)
    _refuse_unknown(changes, verb="changed")
    _lock_organization(phase.organization_id)
    phase = Phase.objects.get(pk=phase.pk)
    for name, value in changes.items():
        setattr(phase, name, value)
    _check_phase(phase)
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, actor: Membership, phase: Phase) -> None:
    """Deletes a phase nobody has been in; one in any stay's history is a conflict (its history stays)."""
    _require_operator(actor, phase.organization_id)
    _lock_organization(phase.organization_id)
    if PhaseChange.objects.filter(phase_id=phase.pk).exists():
        raise Conflict(
            _("Residents have been in %(name)s; a phase in anyone's history cannot be deleted.") % {"name": phase.name}
        )
    phase.delete()


# Phase changes -------------------------------------------------------------------------------------------------------


def require_staff_of(actor: Membership, house: House) -> None:
    """Only the organization's operators and the managers of ``house`` act on its residents' records."""
    require_staff(actor, organization_id=house.organization_id, house=house)


def _lock_stay(stay: Stay) -> Stay:
    # of=self: lock the stay only, not the house and organization rows joined for messages.
    return (
        Stay.objects.select_for_update(of=("self",)).select_related("resident", "house", "organization").get(pk=stay.pk)
    )


def _current_change(stay: Stay) -> PhaseChange | None:
    return PhaseChange.objects.filter(stay=stay).select_related("phase").order_by("-effective_on", "-pk").first()


def _check_change_date(stay: Stay, current: PhaseChange | None, on: date, *, allow_future: bool = False) -> None:
    if on > stay.organization.today() and not allow_future:
        raise Invalid(_("A phase change cannot be dated in the future."), field="on")
    if on < stay.move_in:
        raise Invalid(
            _("A phase change cannot be dated before move-in (%(move_in)s).")
            % {"move_in": date_format(stay.move_in, _("M j, Y"))},
            field="on",
        )
    if current is not None and on < current.effective_on:
        raise Invalid(
            _("%(resident)s entered %(name)s on %(effective_on)s; a later change cannot be dated before that.")
            % {
                "resident": stay.resident,
                "name": current.phase.name,
                "effective_on": date_format(current.effective_on, _("M j, Y")),
            },
            field="on",
        )


def _require_open_with_phase(stay: Stay) -> PhaseChange:
    if not stay.is_open:
        raise Invalid(_("Only a current resident's phase can change."), field="stay")
    current = _current_change(stay)
    if current is None:
        raise Invalid(
            _("%(resident)s has no phase yet; set their first phase before changing it.") % {"resident": stay.resident},
            field="stay",
        )
    return current


@transaction.atomic
def phase_set_initial(*, actor: Membership | None, stay: Stay, on: date | None = None) -> PhaseChange | None:
    """Puts a stay into the organization's lowest phase from ``on`` (default: move-in). Call it on admission.

    A reaction to the admission (``stay_admitted``), not an act of its own: it checks no role (the admission did,
    and ``phase_start`` does) and records ``actor``, the admitting member, as who made the change.

    Returns None, changing nothing, when the organization defines no phases (admission never fails for that);
    a stay that already has a phase history is a conflict."""
    stay = _lock_stay(stay)
    lowest = Phase.objects.filter(organization_id=stay.organization_id).order_by("order").first()
    if lowest is None:
        return None
    if PhaseChange.objects.filter(stay=stay).exists():
        raise Conflict(_("%(resident)s already has a phase.") % {"resident": stay.resident}, field="stay")
    on = on or stay.move_in
    if not stay.is_open:
        raise Invalid(_("Only a current resident can start a phase."), field="stay")
    # A booking ahead (move-in after today) starts its phase on move-in, so admission never fails for the date.
    _check_change_date(stay, None, on, allow_future=on == stay.move_in)
    return PhaseChange.objects.create(
        organization_id=stay.organization_id, stay=stay, phase=lowest, kind=PhaseChange.Kind.INITIAL,
        effective_on=on, changed_by=actor.user if actor else None, reason="Admission",
    )  # fmt: skip


@transaction.atomic
def phase_start(*, actor: Membership, stay: Stay, on: date | None = None) -> PhaseChange:
    """Staff putting a current resident admitted before phases were set up into the lowest phase."""
    require_staff_of(actor, stay.house)
    change = phase_set_initial(actor=actor, stay=stay, on=on)
    if change is None:
        raise Invalid(_("The organization has no phases yet; an operator defines them first."), field="stay")
    return change


@transaction.atomic
def phase_promote(*, actor: Membership, stay: Stay, on: date | None = None, reason: str = "") -> PhaseChange:
    """Moves a current resident up to the next phase from ``on`` (default: today).

    Refused before they have spent the current phase's ``min_days_before_promotion`` in it (counted up to ``on``),
    and in the top phase."""
    require_staff_of(actor, stay.house)
    stay = _lock_stay(stay)
    current = _require_open_with_phase(stay)
    on = on or stay.organization.today()
    _check_change_date(stay, current, on)
    following = (
        Phase.objects.filter(organization_id=stay.organization_id, order__gt=current.phase.order)
        .order_by("order")
        .first()
    )
    if following is None:
        raise Invalid(
            _("%(resident)s is already in the top phase, %(name)s.")
            % {"resident": stay.resident, "name": current.phase.name},
            field="stay",
        )
    days = (on - current.effective_on).days
    needed = current.phase.min_days_before_promotion
    if days < needed:
        eligible = current.effective_on + timedelta(days=needed)
        raise Invalid(
            _(
                "%(resident)s has been in %(name)s for %(days)s of the %(needed)s days it requires; "
                "promotion is possible from %(eligible)s."
            )
            % {
                "resident": stay.resident,
                "name": current.phase.name,
                "days": days,
                "needed": needed,
                "eligible": date_format(eligible, _("M j, Y")),
            },
            field="on",
        )
    return PhaseChange.objects.create(
        organization_id=stay.organization_id, stay=stay, phase=following, kind=PhaseChange.Kind.PROMOTION,
        effective_on=on, changed_by=actor.user, reason=reason.strip(),
    )  # fmt: skip


@transaction.atomic
def phase_demote(
    *, actor: Membership, stay: Stay, reason: str, on: date | None = None, to_phase: Phase | None = None
) -> PhaseChange:
    """Moves a current resident down from ``on`` (default: today), to ``to_phase`` or else the next phase down.

    A demotion is a consequence, so it needs a reason; the first phase has nowhere lower to go."""
    require_staff_of(actor, stay.house)
    if not (reason or "").strip():
        raise Invalid(_("Say why the resident is moved down a phase."), field="reason")
    stay = _lock_stay(stay)
    current = _require_open_with_phase(stay)
    on = on or stay.organization.today()
    _check_change_date(stay, current, on)
    if to_phase is not None:
        if to_phase.organization_id != stay.organization_id or to_phase.order >= current.phase.order:
            raise Invalid(_("Choose a phase below %(name)s.") % {"name": current.phase.name}, field="to_phase")
    else:
        to_phase = (
            Phase.objects.filter(organization_id=stay.organization_id, order__lt=current.phase.order)
            .order_by("-order")
            .first()
        )
        if to_phase is None:
            raise Invalid(
                _("%(resident)s is in the first phase, %(name)s.")
                % {"resident": stay.resident, "name": current.phase.name},
                field="stay",
            )
    return PhaseChange.objects.create(
        organization_id=stay.organization_id, stay=stay, phase=to_phase, kind=PhaseChange.Kind.DEMOTION,
        effective_on=on, changed_by=actor.user, reason=reason.strip(),
    )  # fmt: skip
