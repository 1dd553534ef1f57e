"""Writes the staff pages need that had no service yet: defining the organization's program phases.

Rules (the API's phase serializer applies the same ones):
- Only an operator defines phases (403 otherwise).
- Orders start at 1 and are unique in the organization; names are unique too, ignoring case.
- Curfews follow the model's rule (``Phase.clean``): in the evening, or after midnight before 06:00.
Writes lock the organization row, so two operators adding "phase 4" at once are served one after the other.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.exceptions import DomainError
from accounts.models import Membership, Organization
from residents.models import Phase

FORBIDDEN = 403
FIELDS = (
    "order", "name", "description", "meetings_per_week", "drug_tests_per_month", "weeknight_curfew",
    "weekend_curfew", "passes_per_month", "min_days_before_promotion",
)  # fmt: skip


def _check(actor: Membership, phase: Phase) -> None:
    if not actor.is_operator or actor.organization_id != phase.organization_id:
        raise DomainError("Only an operator defines the program's phases.", status_code=FORBIDDEN)
    phase.name = (phase.name or "").strip()
    if not phase.name:
        raise DomainError("Give the phase a name.", field="name")
    if phase.order is None or phase.order < 1:
        raise DomainError("The first phase is 1.", field="order")
    others = Phase.objects.filter(organization_id=phase.organization_id).exclude(pk=phase.pk)
    if others.filter(order=phase.order).exists():
        raise DomainError(f"Another phase already has order {phase.order}.", field="order")
    if others.filter(name__iexact=phase.name).exists():
        raise DomainError(f"Another phase is already called “{phase.name}”.", field="name")
    try:
        phase.clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from error


@transaction.atomic
def phase_create(*, actor: Membership, **fields) -> Phase:
    """Adds a phase to the actor's organization (see the module's rules)."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise DomainError("This cannot be set.", field=unknown[0])
    Organization.objects.select_for_update().get(pk=actor.organization_id)
    phase = Phase(organization_id=actor.organization_id, **fields)
    phase.description = (phase.description or "").strip()
    _check(actor, phase)
    phase.save()
    return phase


@transaction.atomic
def phase_update(*, actor: Membership, phase: Phase, **changes) -> Phase:
    """Changes a phase's name, order, description or requirements. Residents' histories keep pointing at it, so a
    change applies from now on to everyone in the phase (past weeks are judged again with the new numbers)."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise DomainError("This cannot be changed.", field=unknown[0])
    Organization.objects.select_for_update().get(pk=phase.organization_id)
    phase = Phase.objects.get(pk=phase.pk)
    for name, value in changes.items():
        setattr(phase, name, value)
    phase.description = (phase.description or "").strip()
    _check(actor, phase)
    phase.save()
    return phase
