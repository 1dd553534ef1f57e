"""Demo: today on each house's sign-out board. The other seeds log sign-outs of earlier days and put one resident
of the organization out now; this gives every house a morning's comings and goings and someone out now, so the
board and the dashboard's "signed out now" show a day as a house manager lives it.

Times are relative to the clock, residents drawn from a seeded random generator, and a house that already has a
sign-out today is left alone, so a second run changes nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.models import SignOut, Stay
from residents.services import signouts as signout_services

ERRANDS = ["Work", "Grocery store", "Outpatient group", "Probation office", "Library", "Job interview"]
OUT_NOW = ["AA meeting", "Work", "Sponsor's house", "Gym"]


def seed(organization: Organization, *, light: bool = False) -> None:
    """Every house of ``organization`` (only the first when ``light``)."""
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    houses = House.objects.filter(organization=organization, status=House.Status.ACTIVE).order_by("pk")
    for house in houses[:1] if light else houses:
        seed_today(house, operator, random.Random(f"hearth-today-{organization.slug}-{house.name}"))


def seed_today(house: House, operator: Membership, rng: random.Random) -> None:
    organization = house.organization
    tz = organization.tzinfo
    now = timezone.now()
    midnight = datetime.combine(organization.today(), time.min, tzinfo=tz)
    if now - midnight < timedelta(hours=3) or SignOut.objects.filter(house=house, signed_out_at__gte=midnight).exists():
        return  # too early for a morning, or today already has its log
    busy = SignOut.objects.filter(signed_in_at__isnull=True).values("stay")
    stays = list(
        Stay.objects.open().filter(house=house, move_in__lt=organization.today()).exclude(pk__in=busy).order_by("pk")
    )
    rng.shuffle(stays)
    hours_today = (now - midnight).total_seconds() / 3600
    for stay in stays[:2]:  # out and back this morning (or, early in the day, these last hours)
        left = midnight + timedelta(hours=min(8, hours_today - 2.5), minutes=rng.choice([0, 10, 25, 40]))
        back = left + timedelta(minutes=rng.randint(45, 90))
        signout_services.signout_create(
            actor=operator, stay=stay, destination=rng.choice(ERRANDS), signed_out_at=left,
            expected_return_at=left + timedelta(hours=2),
        )  # fmt: skip
        signout_services.signout_sign_in(actor=operator, stay=stay, signed_in_at=min(back, now))
    if len(stays) > 2:
        left = now - timedelta(minutes=rng.randint(20, 70))
        signout_services.signout_create(
            actor=operator, stay=stays[2], destination=rng.choice(OUT_NOW), signed_out_at=left,
            expected_return_at=left + timedelta(hours=2, minutes=30),
        )  # fmt: skip
