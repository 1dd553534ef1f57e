"""Demo: today on each house's sign-out board, a resident away on a pass, and a test waiting for the lab. The other
seeds log sign-outs of earlier days and put one resident of the organization out now; this gives every house a
morning's comings and goings and a couple of residents signed out this morning and due back later today, so the board
and the dashboard's "signed out now" show a day as a house manager lives it. Each house also has a resident away on
an approved overnight pass since yesterday, whose return staff record, and a test sent to the lab whose result has
not come back, for staff to enter.

Times are relative to the clock, residents drawn from a seeded random generator, a house that already has a sign-out
today or a pass under way is left alone, and the lab test is keyed by its lab reference, so a second run changes
nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organization, Role
from houses.models import House
from residents.models import DrugTest, OvernightPass, SignOut, Stay, TestRequest
from residents.program.models.phases import CURFEW_ENDS
from residents.program.services import signouts as signout_services
from residents.testing.services import drug_tests as test_services

ERRANDS = ["Work", "Grocery store", "Outpatient group", "Probation office", "Library", "Job interview"]
OUT_NOW = ["Work", "Outpatient group", "Sponsor's house", "Job interview", "Volunteering at the food bank"]
LAB_PANEL = ["amphetamines", "benzodiazepines", "buprenorphine", "cocaine", "fentanyl", "thc", "methamphetamine",
             "opiates", "oxycodone", "kratom"]  # fmt: skip


def seed(organization: Organization, *, light: bool = False) -> None:
    """Every house of ``organization`` (only the first when ``light``)."""
    operator = Membership.objects.filter(organization=organization, role=Role.OPERATOR).order_by("pk").first()
    houses = House.objects.filter(organization=organization, status=House.Status.ACTIVE).order_by("pk")
    for house in houses[:1] if light else houses:
        seed_pass_away(house, operator)
        seed_today(house, operator, random.Random(f"hearth-today-{organization.slug}-{house.name}"))
        seed_pending_lab(house, operator, random.Random(f"hearth-lab-{organization.slug}-{house.name}"))


def seed_today(house: House, operator: Membership, rng: random.Random) -> None:
    organization = house.organization
    tz = organization.tzinfo
    now = timezone.now()
    midnight = datetime.combine(organization.today(), time.min, tzinfo=tz)
    # The day's comings and goings start when last night's curfew ends: a sign-out before then is a curfew violation.
    morning = datetime.combine(organization.today(), CURFEW_ENDS, tzinfo=tz)
    if now - morning < timedelta(hours=1) or SignOut.objects.filter(house=house, signed_out_at__gte=midnight).exists():
        return  # too early for a morning, or today already has its log
    busy = SignOut.objects.filter(signed_in_at__isnull=True).values("stay")
    stays = list(
        Stay.objects.open()
        .filter(house=house, move_in__lt=organization.today())
        .exclude(pk__in=busy)
        .exclude(pk__in=_under_way(organization.today()).values("stay"))
        .order_by("pk")
    )
    rng.shuffle(stays)
    hours_today = (now - midnight).total_seconds() / 3600
    for stay in stays[:2]:  # out and back this morning (or, early in the day, these last hours)
        left = max(morning, midnight + timedelta(hours=min(8, hours_today - 2.5)))
        left += timedelta(minutes=rng.choice([0, 10, 25, 40]))
        back = left + timedelta(minutes=rng.randint(45, 90))
        signout_services.signout_create(
            actor=operator, stay=stay, destination=rng.choice(ERRANDS), signed_out_at=left,
            expected_return_at=left + timedelta(hours=2),
        )  # fmt: skip
        signout_services.signout_sign_in(actor=operator, stay=stay, signed_in_at=min(back, now))
    # Two more out since this morning (or, early in the day, since shortly before now) and due back later today.
    last_slot = midnight + timedelta(hours=23, minutes=45)
    for index, stay in enumerate(stays[2:4]):
        left = max(morning, midnight + timedelta(hours=min(9 + index * 0.75, hours_today - 0.5)))
        left += timedelta(minutes=rng.choice([0, 5, 20]))
        back = min(now + timedelta(hours=rng.randint(2, 6)), last_slot)
        signout_services.signout_create(
            actor=operator, stay=stay, destination=rng.choice(OUT_NOW), signed_out_at=min(left, now),
            expected_return_at=max(back, now + timedelta(minutes=30)),
        )  # fmt: skip


def _under_way(day):
    """Approved passes begun by ``day`` and not returned from: their residents are not in the house to sign out."""
    return OvernightPass.objects.filter(
        status=OvernightPass.Status.APPROVED, leave_on__lte=day, return_on__gte=day, returned_at__isnull=True
    )


def seed_pass_away(house: House, operator: Membership) -> None:
    """A resident without a login (the demo resident's passes are seeded apart), away since yesterday on an approved
    pass and due back tomorrow, who has not signed out since the day before yesterday."""
    organization = house.organization
    today = organization.today()
    yesterday = today - timedelta(days=1)
    if _under_way(today).filter(house=house).exists():
        return
    since = datetime.combine(yesterday - timedelta(days=1), time.min, tzinfo=organization.tzinfo)
    logged = SignOut.objects.filter(signed_out_at__gte=since).values("stay")
    out = SignOut.objects.filter(signed_in_at__isnull=True).values("stay")
    planned = OvernightPass.objects.filter(
        status__in=[OvernightPass.Status.REQUESTED, OvernightPass.Status.APPROVED],
        leave_on__lte=today + timedelta(days=1),
        return_on__gt=yesterday,
    ).values("stay")
    stay = (
        Stay.objects.open()
        .filter(house=house, move_in__lt=yesterday - timedelta(days=7), resident__membership__isnull=True)
        .exclude(pk__in=logged)
        .exclude(pk__in=out)
        .exclude(pk__in=planned)
        .order_by("move_in", "pk")
        .first()
    )
    if stay is None:
        return
    pass_ = signout_services.pass_request(
        actor=operator, stay=stay, leave_on=yesterday, return_on=today + timedelta(days=1),
        destination="Brother's house, Decatur", contact_phone="(555) 301-7788",
    )  # fmt: skip
    # Beyond a newer phase's allowance the operator makes the exception, as houses do for a family event.
    signout_services.pass_approve(
        actor=operator, pass_=pass_, override=True, reason="Brother's wedding; host confirmed by phone."
    )
    # Asked for and decided before it began, not on the day the demo is seeded.
    OvernightPass.objects.filter(pk=pass_.pk).update(
        requested_at=datetime.combine(yesterday - timedelta(days=5), time(19, 30), tzinfo=organization.tzinfo),
        decided_at=datetime.combine(yesterday - timedelta(days=4), time(10, 5), tzinfo=organization.tzinfo),
    )


def seed_pending_lab(house: House, operator: Membership, rng: random.Random) -> None:
    """A lab urine test collected yesterday from a resident without a login or a test due, still pending at the lab
    (so it answers no request, and the demo resident's own tests stay as the portal demo shows them)."""
    organization = house.organization
    reference = f"LC-{rng.randint(100000, 999999)}"
    if DrugTest.objects.filter(house=house, lab_reference=reference).exists():
        return
    yesterday = organization.today() - timedelta(days=1)
    asked = TestRequest.objects.open().values("stay")
    stay = (
        Stay.objects.open()
        .filter(house=house, move_in__lt=yesterday, resident__membership__isnull=True)
        .exclude(pk__in=asked)
        .select_related("resident")
        .order_by("pk")
        .first()
    )
    if stay is None:
        return
    at = time(rng.randint(8, 11), rng.choice([0, 15, 30]))
    collected = datetime.combine(yesterday, at, tzinfo=organization.tzinfo)
    test_services.drug_test_record(
        actor=operator, resident=stay.resident, collected_at=collected, method="lab_urine", reason="for_cause",
        panel=LAB_PANEL, result="pending_lab", lab_reference=reference,
        notes="Sent to the lab after a faint line on the instant cup; result expected in two to three days.",
    )  # fmt: skip
