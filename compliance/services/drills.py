"""Evacuation drills: logged as they happen, never dated in the future nor in a closed month (its figures count
the drills held in it)."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.calendar import local_date
from accounts.closing import refuse_closed_day
from accounts.exceptions import Invalid
from accounts.models import Membership
from houses.models import House
from residents.core.services.roles import require_staff

from ..models import Drill


@transaction.atomic
def drill_log(
    *,
    actor: Membership,
    house: House,
    held_at: datetime,
    residents_present: int,
    evacuation_minutes: Decimal,
    kind: str = Drill.Kind.FIRE,
    notes: str = "",
) -> Drill:
    """Logs a drill held in a house: when (not in the future), residents present, minutes until everyone was out
    (more than zero)."""
    if house.organization_id != actor.organization_id:
        raise Invalid(_("Unknown house."), field="house")
    require_staff(actor, organization_id=house.organization_id, house=house)
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at, actor.organization.tzinfo)
    if held_at > timezone.now():
        raise Invalid(_("A drill cannot be logged before it is held: the time is in the future."), field="held_at")
    day = local_date(held_at, actor.organization)
    refuse_closed_day(organization_id=house.organization_id, on=day, field="held_at", what=_("a drill"))
    if residents_present is None or residents_present < 0:
        raise Invalid(_("Give the number of residents present (0 or more)."), field="residents_present")
    if evacuation_minutes is None or evacuation_minutes <= 0:
        raise Invalid(_("Minutes to evacuate must be more than zero."), field="evacuation_minutes")
    if kind not in Drill.Kind.values:
        raise Invalid(_("Choose the kind of drill."), field="kind")
    return Drill.objects.create(
        organization_id=house.organization_id, house=house, kind=kind, held_at=held_at,
        residents_present=residents_present, evacuation_minutes=evacuation_minutes, notes=(notes or "").strip(),
        recorded_by=actor.user,
    )  # fmt: skip
