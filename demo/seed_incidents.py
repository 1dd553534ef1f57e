"""Demo incidents over the last months (varied severity and consequence, one fine) and a few resident notes.

Deterministic (fixed seed) and idempotent: once the organization has an incident, nothing is added.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.conduct.services import incidents as incident_services
from residents.core.selectors.nights import residents_on_day

# category, severity, rule, what happened, action, residents involved, fine
from residents.models import Incident, Stay

INCIDENTS = [
    ("curfew", "low", "House rule 4: curfew 11 pm Sunday to Thursday",
     "Came in at 11:50 pm without calling the house manager first.", "warning", 1, None),
    ("conduct", "medium", "House rule 9: treat housemates with respect",
     "An argument over the kitchen chore rota turned into shouting; both calmed down after a house meeting.",
     "fine", 2, Decimal("25.00")),
    ("guest_policy", "medium", "House rule 6: no guests in bedrooms",
     "A visitor was found in a bedroom after visiting hours ended.", "restriction", 1, None),
    ("substance_use", "high", "House rule 1: no alcohol or drugs",
     "Instant test positive for THC after a weekend pass; resident admitted use.", "behaviour_contract", 1, None),
    ("medical", "low", "",
     "Felt faint after starting a new prescription; 911 called as a precaution, back the same night.", "", 1, None),
    ("theft", "high", "House rule 10: respect others' property",
     "Food and a phone charger went missing from a locker; raised at the house meeting, nobody named.", "", 0, None),
    ("property_damage", "low", "",
     "Towel rail in the upstairs bathroom pulled off the wall; resident reported it at once.", "warning", 1, None),
    ("violence", "high", "House rule 2: no violence or threats",
     "Threatened another resident during a dispute over a borrowed phone.", "discharge", 1, None),
]  # fmt: skip

NOTES = [
    "Started a job at the bakery on Main Street; working mornings, so chores moved to evenings.",
    "Sponsor called to say step work is going well.",
    "Asked for help with a SNAP application; gave the county office's number.",
    "Court date next month; needs a letter confirming residence.",
    "Family visit went well; talked about moving closer to his daughter after the program.",
]


def _reporter(house: House, organization: Organization) -> Membership:
    manager = house.staff.filter(is_active=True).select_related("user").first()
    if manager is not None:
        return manager
    return organization.memberships.filter(role=Role.OPERATOR).select_related("user").first()


def _evening(organization: Organization, day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(18, 23), rng.choice([5, 20, 35, 50])), tzinfo=organization.tzinfo)
    return min(moment, timezone.now() - timedelta(minutes=1))


def _discharged_for_violation(organization: Organization):
    return (
        Stay.objects.filter(organization=organization, discharge_reason=Stay.DischargeReason.RULE_VIOLATION)
        .select_related("house", "resident")
        .order_by("-move_out")
        .first()
    )


def seed(organization: Organization, *, count: int = 8, notes: int = 4) -> None:
    if Incident.objects.filter(organization=organization).exists():
        return
    rng = random.Random(f"hearth-incidents-{organization.slug}")
    today = organization.today()
    houses = list(House.objects.filter(organization=organization, status=House.Status.ACTIVE).order_by("pk"))
    for index, (category, severity, rule, what, action, involved, fine) in enumerate(INCIDENTS[:count]):
        if action == "discharge":
            # The discharge already happened in the demo's history: a stay that ended for a rule violation.
            stay = _discharged_for_violation(organization)
            if stay is None:
                continue
            house, day, residents = stay.house, stay.move_out - timedelta(days=1), [stay.resident]
        else:
            house = houses[index % len(houses)]
            day = today - timedelta(days=3 + index * 14 + rng.randint(0, 10))
            present = list(residents_on_day(house=house, day=day).order_by("pk"))
            if len(present) < involved:
                continue
            residents = rng.sample(present, involved)
        incident_services.incident_record(
            actor=_reporter(house, organization), house=house, occurred_at=_evening(organization, day, rng),
            category=category, severity=severity, what_happened=what, residents=residents, rule_reference=rule,
            action=action, fine_amount=fine,
            follow_up_on=day + timedelta(days=7) if severity != "low" and action != "discharge" else None,
        )  # fmt: skip
    current = list(Stay.objects.filter(organization=organization).open().select_related("resident", "house"))
    for body, stay in zip(NOTES[:notes], rng.sample(current, min(notes, len(current))), strict=False):
        incident_services.resident_note_add(
            actor=_reporter(stay.house, organization), resident=stay.resident, body=body
        )
