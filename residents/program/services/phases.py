"""Phase changes: a stay's first phase, promotions and demotions. The history is append-only.

Every change locks the stay first, so two managers promoting the same resident at once are served one after the
other and the second sees the first's promotion.
"""

from datetime import date, timedelta

from django.db import transaction

from accounts.exceptions import DomainError
from accounts.models import Membership, User
from houses.models import House
from residents.models import Phase, PhaseChange, Stay


class NotAllowed(DomainError):
    status_code = 403


def require_staff_of(actor: Membership, house: House) -> None:
    """Only the organization's operators and the managers of ``house`` act on its residents' records."""
    allowed = actor.organization_id == house.organization_id and (
        actor.is_operator or (actor.is_manager and house.pk in actor.house_ids)
    )
    if not allowed:
        raise NotAllowed("Only an operator or a manager of this house can do this.")


def _lock_stay(stay: Stay) -> Stay:
    # of=self: lock the stay only, not the house and organization rows joined for messages.
    return (
        Stay.objects.select_for_update(of=("self",)).select_related("resident", "house", "organization").get(pk=stay.pk)
    )


def _current_change(stay: Stay) -> PhaseChange | None:
    return PhaseChange.objects.filter(stay=stay).select_related("phase").order_by("-effective_on", "-pk").first()


def _check_change_date(stay: Stay, current: PhaseChange | None, on: date, *, allow_future: bool = False) -> None:
    if on > stay.organization.today() and not allow_future:
        raise DomainError("A phase change cannot be dated in the future.", field="on")
    if on < stay.move_in:
        raise DomainError(f"A phase change cannot be dated before move-in ({stay.move_in:%b %-d, %Y}).", field="on")
    if current is not None and on < current.effective_on:
        raise DomainError(
            f"{stay.resident} entered {current.phase.name} on {current.effective_on:%b %-d, %Y}; "
            "a later change cannot be dated before that.",
            field="on",
        )


def _require_open_with_phase(stay: Stay) -> PhaseChange:
    if not stay.is_open:
        raise DomainError("Only a current resident's phase can change.", field="stay")
    current = _current_change(stay)
    if current is None:
        raise DomainError(f"{stay.resident} has no phase yet; set their first phase before changing it.", field="stay")
    return current


@transaction.atomic
def phase_set_initial(*, actor: User | None, stay: Stay, on: date | None = None) -> PhaseChange | None:
    """Puts a stay into the organization's lowest phase from ``on`` (default: move-in). Call it on admission.

    Returns None, changing nothing, when the organization defines no phases (admission never fails for that);
    a stay that already has a phase history is a conflict."""
    stay = _lock_stay(stay)
    lowest = Phase.objects.filter(organization_id=stay.organization_id).order_by("order").first()
    if lowest is None:
        return None
    if PhaseChange.objects.filter(stay=stay).exists():
        raise DomainError(f"{stay.resident} already has a phase.", field="stay", status_code=409)
    on = on or stay.move_in
    if not stay.is_open:
        raise DomainError("Only a current resident can start a phase.", field="stay")
    # A booking ahead (move-in after today) starts its phase on move-in, so admission never fails for the date.
    _check_change_date(stay, None, on, allow_future=on == stay.move_in)
    return PhaseChange.objects.create(
        organization_id=stay.organization_id, stay=stay, phase=lowest, kind=PhaseChange.Kind.INITIAL,
        effective_on=on, changed_by=actor, reason="Admission",
    )  # fmt: skip


@transaction.atomic
def phase_start(*, actor: Membership, stay: Stay, on: date | None = None) -> PhaseChange:
    """Staff putting a current resident admitted before phases were set up into the lowest phase."""
    require_staff_of(actor, stay.house)
    change = phase_set_initial(actor=actor.user, stay=stay, on=on)
    if change is None:
        raise DomainError("The organization has no phases yet; an operator defines them first.", field="stay")
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
        raise DomainError(f"{stay.resident} is already in the top phase, {current.phase.name}.", field="stay")
    days = (on - current.effective_on).days
    needed = current.phase.min_days_before_promotion
    if days < needed:
        eligible = current.effective_on + timedelta(days=needed)
        raise DomainError(
            f"{stay.resident} has been in {current.phase.name} for {days} of the {needed} days it requires; "
            f"promotion is possible from {eligible:%b %-d, %Y}.",
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
        raise DomainError("Say why the resident is moved down a phase.", field="reason")
    stay = _lock_stay(stay)
    current = _require_open_with_phase(stay)
    on = on or stay.organization.today()
    _check_change_date(stay, current, on)
    if to_phase is not None:
        if to_phase.organization_id != stay.organization_id or to_phase.order >= current.phase.order:
            raise DomainError(f"Choose a phase below {current.phase.name}.", field="to_phase")
    else:
        to_phase = (
            Phase.objects.filter(organization_id=stay.organization_id, order__lt=current.phase.order)
            .order_by("-order")
            .first()
        )
        if to_phase is None:
            raise DomainError(f"{stay.resident} is in the first phase, {current.phase.name}.", field="stay")
    return PhaseChange.objects.create(
        organization_id=stay.organization_id, stay=stay, phase=to_phase, kind=PhaseChange.Kind.DEMOTION,
        effective_on=on, changed_by=actor.user, reason=reason.strip(),
    )  # fmt: skip
