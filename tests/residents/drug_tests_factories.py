"""Helpers for drug-test and incident tests: admissions, aware moments, tests, requests and draws."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import calendar
from houses.models import Bed, House
from residents.conduct.services import incidents as incident_services
from residents.models import BedAssignment, Resident
from residents.testing.services import drug_test_draws as draw_services
from residents.testing.services import drug_tests as test_services
from tests.factories import BedFactory, RoomFactory

PANEL = ("thc", "cocaine", "opiates", "amphetamines", "benzodiazepines")


def moment(organization, day: date, hour: int = 10) -> datetime:
    """An aware moment on ``day`` in the organization's time zone."""
    return datetime.combine(day, time(hour), tzinfo=organization.tzinfo)


def days_ago(organization, days: int) -> date:
    return organization.today() - timedelta(days=days)


def this_monday(organization) -> date:
    return calendar.week_start(organization.today())


def free_bed(house: House) -> Bed:
    """A bed of ``house`` nobody holds now (one more is added when all are taken)."""
    held = BedAssignment.objects.filter(end__isnull=True).values("bed")
    bed = Bed.objects.filter(house=house).exclude(pk__in=held).order_by("pk").first()
    if bed is None:
        room = house.rooms.first() or RoomFactory(house=house)
        bed = BedFactory(room=room, label=f"Extra {Bed.objects.filter(house=house).count() + 1}")
    return bed


def record_test(actor, resident: Resident, *, on: date | None = None, **overrides):
    """Records a urine-cup random test collected at 10:00 on ``on`` (or now, if that is later); override any field."""
    fields = {
        "collected_at": min(moment(resident.organization, on), timezone.now()) if on else None,
        "method": "urine_cup",
        "reason": "random",
        "panel": PANEL,
        "result": "negative",
    }
    fields.update(overrides)
    return test_services.drug_test_record(actor=actor, resident=resident, **fields)


def request_test(actor, resident: Resident, *, due_on: date, reason: str = "scheduled"):
    return test_services.test_request_create(actor=actor, resident=resident, reason=reason, due_on=due_on)


def draw(actor, house: House, *, week_start: date, **kwargs):
    made, _created = draw_services.drug_test_draw(actor=actor, house=house, week_start=week_start, **kwargs)
    return made


def record_incident(actor, house: House, *, on: date | None = None, residents=(), **overrides):
    """Records a curfew incident at 22:00 on ``on`` (or now, if that is later); override any field."""
    fields = {
        "occurred_at": min(moment(house.organization, on, hour=22), timezone.now()) if on else None,
        "category": "curfew",
        "severity": "low",
        "what_happened": "Came in 40 minutes after curfew.",
        "action": "warning" if residents else "",
    }
    fields.update(overrides)
    if fields.get("action") == "fine":
        fields.setdefault("fine_amount", Decimal("25.00"))
    return incident_services.incident_record(actor=actor, house=house, residents=list(residents), **fields)
