"""One large, realistic organization for measuring Hearth at scale: ``build_scale(houses=3000)``.

Scale Recovery Homes runs ``houses`` houses of 8 beds (2 or 3 rooms) and has two years of history up to yesterday on
its own clock: stays that turn over every few months, transfers between neighbouring houses, discharges with their
reasons, rent schedules and house policies, every rent charge, deposit, move-out credit and late fee the billing jobs
would have posted, payments of every method (some residents fall behind), weekly random drug-test draws and the
tests they asked for, phases, house and outside meetings, incidents, sign-outs and passes, and the chores of the
last weeks. Today's work is left for the nightly jobs: rent falling due today, today's late fees, this week's draw
and next week's chores.

Everything is written in bulk (COPY on PostgreSQL) and the same ``seed`` gives the same organization. Logins
(password ``hearth-demo``): operator@scale.example.com, manager@scale.example.com (five houses),
resident@scale.example.com (a current resident of the first house).
"""

import random
import time as clock
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import Membership, Organization, Role, User
from accounts.tenancy import organization_clock
from billing.models import HouseBillingPolicy, ReceiptCounter
from demo.scale.life import Life
from demo.scale.money import HABITS, Books
from demo.scale.timeline import simulate
from demo.scale.writer import Sink, delete_organization
from demo.seed import DEMO_PASSWORD, FIRST_NAMES_MEN, FIRST_NAMES_WOMEN, REFERRALS, names_for
from houses.models import Bed, House, Room
from residents.models import BedAssignment, DrugTestPolicy, Phase, Resident, Stay

SLUG = "scale"
NAME = "Scale Recovery Homes"
TIMEZONE = "America/Chicago"
OPERATOR = "operator@scale.example.com"
MANAGER = "manager@scale.example.com"
RESIDENT = "resident@scale.example.com"
MANAGED_HOUSES = 5
HISTORY_DAYS = 730
REBUILD_INDEXES_FROM = 100  # houses: from here, building indexes after the rows beats keeping them up to date
GROUP = 5  # neighbouring houses simulated together: transfers move between them
PLACES = [
    "Maple", "Willow", "Harbor", "Aspen", "Juniper", "Cedar", "Birch", "Oak", "Elm", "Spruce", "Laurel", "Magnolia",
    "Sycamore", "Chestnut", "Hawthorn", "Linden", "Poplar", "Redwood", "Sequoia", "Cypress", "Hickory", "Alder",
    "Beacon", "Summit", "Meadow", "Riverside", "Lakeview", "Hillcrest", "Fairview", "Brookside", "Parkside",
    "Stonebridge", "Northgate", "Southwind", "Eastbrook", "Westfield", "Pinecrest", "Greenway", "Sunrise", "Haven",
]  # fmt: skip
STREETS = ["Maple Avenue", "Oak Street", "Elm Court", "Pine Road", "Cedar Lane", "Lincoln Way", "Washington Street",
           "Park Avenue", "Lake Drive", "Hill Road"]  # fmt: skip
CITIES = [("Springfield", "IL", "62704"), ("Peoria", "IL", "61602"), ("Rockford", "IL", "61101"),
          ("Madison", "WI", "53703"), ("Milwaukee", "WI", "53202"), ("St. Louis", "MO", "63101")]  # fmt: skip


class ScaleExists(Exception):
    """An organization with the scale slug is already there and was not to be replaced."""


@dataclass
class ScaleResult:
    organization: Organization
    counts: dict[str, int]
    seconds: float
    timings: dict[str, float]  # seconds spent writing rows, building indexes, analyzing


def _policy(index: int, today: date):
    """Rent terms by house: a third monthly (due on the 1st), the rest weekly on weekdays spread so that, whatever
    today is, some house's rent falls due today and some house's rent turns late today."""
    kind, k = index % 3, index // 3
    if kind == 0:
        terms = {"rent_period": "monthly", "rent_due_day": 1, "rent_due_weekday": None, "late_fee_grace_days": 5,
                 "rent_amount": Decimal([650, 700, 750, 800, 850][k % 5])}  # fmt: skip
        flat = Decimal("25.00")
    else:
        grace = 3
        offset = 2 * k if kind == 1 else grace + 1 + 3 * k
        terms = {"rent_period": "weekly", "rent_due_day": None, "rent_due_weekday": (today.weekday() - offset) % 7,
                 "late_fee_grace_days": grace, "rent_amount": Decimal([150, 165, 175, 185, 200][k % 5])}  # fmt: skip
        flat = Decimal("10.00")
    late = "none" if index % 5 == 4 else "percent" if index % 5 == 3 else "flat"
    return SimpleNamespace(
        **terms,
        deposit_amount=Decimal("200.00") if index % 2 else Decimal("0.00"),
        late_fee_kind=late,
        late_fee_amount=flat if late == "flat" else Decimal("0.00"),
        late_fee_percent=Decimal("5.00") if late == "percent" else Decimal("0.00"),
    )


def _write_houses(sink, org, *, houses: int, rng) -> list[list[int]]:
    """Houses, rooms, beds and the houses' billing and drug-test policies; returns each house's bed ids."""
    house_table = sink.table(House, ["id", "organization", "name", "address_line1", "city", "state", "postal_code",
                                     "phone", "gender", "narr_level", "status", "opened_on"])  # fmt: skip
    rooms = sink.table(Room, ["id", "house", "name", "floor"])
    beds = sink.table(Bed, ["id", "room", "house", "label", "status", "in_service_from"])
    policies = sink.table(HouseBillingPolicy, [
        "id", "organization", "house", "rent_amount", "rent_period", "rent_due_weekday", "rent_due_day",
        "deposit_amount", "late_fee_kind", "late_fee_amount", "late_fee_percent", "late_fee_grace_days",
        "updated_by",
    ])  # fmt: skip
    tests = sink.table(DrugTestPolicy, ["id", "organization", "house", "percentage", "due_days"])
    bed_ids = []
    for index in range(houses):
        place = PLACES[index % len(PLACES)]
        name = f"{place} House" + (f" {index // len(PLACES) + 1}" if index >= len(PLACES) else "")
        city, state, postal = CITIES[index % len(CITIES)]
        house = house_table.next_id()
        gender = ["men", "women", "men", "coed"][index % 4]
        house_table.add((house, org.id, name, f"{100 + index * 7 % 9000} {STREETS[index % len(STREETS)]}", city, state,
                         postal, f"(555) {200 + index % 700:03d}-{1000 + index % 9000:04d}", gender,
                         2 if index % 3 else 3, "active", org.start))  # fmt: skip
        org.house_ids.append(house)
        org.house_names.append(name)
        org.genders.append(gender)
        layout = (
            [("Room 1", 1, 4), ("Room 2", 2, 4)] if index % 2 else [("North", 1, 3), ("South", 1, 3), ("East", 2, 2)]
        )
        ids = []
        for room_name, floor, count in layout:
            room = rooms.next_id()
            rooms.add((room, house, room_name, floor))
            for number in range(1, count + 1):
                bed = beds.next_id()
                beds.add((bed, room, house, f"{room_name.split()[-1]}-{number}", "available", org.start))
                ids.append(bed)
        bed_ids.append(ids)
        policy = _policy(index, org.today)
        org.policies.append(policy)
        policies.add((policies.next_id(), org.id, house, policy.rent_amount, policy.rent_period,
                      policy.rent_due_weekday, policy.rent_due_day, policy.deposit_amount, policy.late_fee_kind,
                      policy.late_fee_amount, policy.late_fee_percent, policy.late_fee_grace_days,
                      org.staff_id))  # fmt: skip
        tests.add((tests.next_id(), org.id, house, 25, 2))
    return bed_ids


def _resident_row(pk, org, gender, rng, today):
    first, last = names_for(gender, rng)
    payer = rng.choice(["self"] * 14 + ["family", "agency", "voucher"])
    payer_name = {"family": f"{rng.choice(FIRST_NAMES_WOMEN)} {last}", "agency": "County Behavioral Health",
                  "voucher": "State Recovery Housing Voucher"}.get(payer, "")  # fmt: skip
    return payer, (
        pk, org.id, first, last, date(today.year - rng.randint(21, 60), rng.randint(1, 12), rng.randint(1, 28)),
        f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}", f"{first}.{last}.{pk}@example.net".lower(),
        "es" if rng.random() < 0.08 else "en", f"{rng.choice(FIRST_NAMES_WOMEN + FIRST_NAMES_MEN)} {last}",
        f"(555) {rng.randint(200, 899)}-{rng.randint(1000, 9999)}", rng.choice(["Mother", "Father", "Sister",
                                                                                  "Brother", "Spouse"]),
        today - timedelta(days=rng.randint(20, 900)), rng.choice(REFERRALS), payer, payer_name,
    )  # fmt: skip


def _write_people(sink, org, bed_ids, *, rng) -> None:
    """Simulates each group of neighbouring houses and writes its residents, stays, beds, money and house life."""
    residents = sink.table(Resident, [
        "id", "organization", "legal_first_name", "legal_last_name", "date_of_birth", "phone", "email",
        "preferred_language", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
        "sobriety_date", "referral_source", "payer", "payer_name",
    ])  # fmt: skip
    stays = sink.table(Stay, ["id", "organization", "resident", "house", "admitted_to", "move_in", "move_out",
                              "discharge_reason", "discharge_note", "admitted_by", "discharged_by",
                              "created_at"])  # fmt: skip
    assignments = sink.table(BedAssignment, ["id", "stay", "bed", "start", "end"])
    books, life = Books(sink, org=org, rng=rng), Life(sink, org=org, rng=rng)
    for first in range(0, len(bed_ids), GROUP):
        houses = list(range(first, min(first + GROUP, len(bed_ids))))
        beds = [house for house in houses for _bed in bed_ids[house]]
        bed_of = [bed for house in houses for bed in bed_ids[house]]
        first_beds = {beds.index(house) for house in houses}
        nights = {house: [] for house in houses}
        for plan in simulate(beds=beds, start=org.start, today=org.today, rng=rng):
            plan.resident_id = residents.next_id()
            plan.id = stays.next_id()
            payer, row = _resident_row(plan.resident_id, org, org.genders[plan.house], rng, org.today)
            residents.add(row)
            final = plan.assignments[-1].house
            stays.add((plan.id, org.id, plan.resident_id, org.house_ids[final], org.house_ids[plan.house],
                       plan.move_in, plan.move_out, plan.reason, "", org.staff_id,
                       org.staff_id if plan.move_out else None, books._at(plan.move_in, 9)))  # fmt: skip
            for assignment in plan.assignments:
                assignments.add((assignments.next_id(), plan.id, bed_of[assignment.bed], assignment.start,
                                 assignment.end))  # fmt: skip
                nights[assignment.house].append((assignment.start, assignment.end, plan.resident_id, plan))
            behind = plan.move_out is None and plan.assignments[-1].bed in first_beds and plan.house % 2 == 0
            books.stay(plan, habit="none" if behind else rng.choice(HABITS), payer=payer)
            life.stay(plan)
            if plan.move_out is None:
                org.open_stays.setdefault(final, []).append(plan)
        for house in houses:
            life.house(house, nights[house])
    org.receipts = books.receipts


@transaction.atomic
def build_scale(*, houses: int, seed: int = 1, today: date | None = None, replace: bool = False) -> ScaleResult:
    """Builds Scale Recovery Homes with ``houses`` houses (see the module docstring). Refuses (``ScaleExists``)
    when the organization is already there, unless ``replace``, which deletes it first."""
    started = clock.perf_counter()
    existing = Organization.objects.filter(slug=SLUG).first()
    if existing is not None:
        if not replace:
            raise ScaleExists(f"An organization with the slug {SLUG!r} already exists ({existing.name}).")
        delete_organization(existing)
    organization = Organization.objects.create(name=NAME, slug=SLUG, timezone=TIMEZONE)
    with organization_clock(organization):
        today = today or organization.today()
        password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of making three logins
        operator = _login(OPERATOR, "Olga Operator", password)
        manager = _login(MANAGER, "Manny Manager", password)
        Membership.objects.create(user=operator, organization=organization, role=Role.OPERATOR)
        manager_membership = Membership.objects.create(user=manager, organization=organization, role=Role.MANAGER)
        phases = [
            Phase.objects.create(organization=organization, order=1, name="Phase 1: Orientation",
                                 meetings_per_week=5, drug_tests_per_month=4, passes_per_month=0,
                                 min_days_before_promotion=30),
            Phase.objects.create(organization=organization, order=2, name="Phase 2: Responsibility",
                                 meetings_per_week=3, drug_tests_per_month=2, passes_per_month=2,
                                 min_days_before_promotion=60),
            Phase.objects.create(organization=organization, order=3, name="Phase 3: Independence",
                                 meetings_per_week=2, drug_tests_per_month=1, passes_per_month=4),
        ]  # fmt: skip
        org = SimpleNamespace(
            id=organization.pk, tz=organization.tzinfo, currency=organization.currency, today=today,
            yesterday=today - timedelta(days=1), start=today - timedelta(days=HISTORY_DAYS), staff_id=operator.pk,
            phases=[phase.pk for phase in phases], house_ids=[], house_names=[], genders=[], policies=[],
            open_stays={}, receipts=0,
        )  # fmt: skip
        rng = random.Random(f"hearth-scale-{seed}")
        _fast_load()
        sink = Sink(rebuild_indexes=houses >= REBUILD_INDEXES_FROM)
        bed_ids = _write_houses(sink, org, houses=houses, rng=rng)
        _write_people(sink, org, bed_ids, rng=rng)
        counts = sink.finish()
        manager_membership.houses.add(*org.house_ids[:MANAGED_HOUSES])
        ReceiptCounter.objects.create(organization=organization, last_number=org.receipts)
        _resident_login(organization, org, password)
    counts = {
        Organization._meta.db_table: 1,
        Membership._meta.db_table: 3,
        Phase._meta.db_table: len(phases),
        ReceiptCounter._meta.db_table: 1,
        House.staff.through._meta.db_table: MANAGED_HOUSES if houses >= MANAGED_HOUSES else houses,
        **counts,
    }
    analyzed = clock.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings = {**sink.timings, "analyze": clock.perf_counter() - analyzed}
    return ScaleResult(
        organization=organization, counts=counts, seconds=clock.perf_counter() - started, timings=timings
    )


def _fast_load() -> None:
    """On PostgreSQL, as a superuser, skips the per-row foreign-key triggers for the rest of the transaction: the
    rows are consistent by construction, and checking tens of millions of keys one by one at commit takes longer
    than writing them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")


def _login(email: str, full_name: str, password: str) -> User:
    return User.objects.filter(email=email).first() or User.objects.create(
        email=email, full_name=full_name, password=password
    )


def _resident_login(organization: Organization, org, password: str) -> None:
    """The longest-staying current resident of the first house gets the portal login, as in the demo."""
    plans = sorted(org.open_stays.get(0, []), key=lambda plan: (plan.move_in, plan.id))
    if not plans:
        plans = sorted((plan for group in org.open_stays.values() for plan in group), key=lambda p: (p.move_in, p.id))
    resident = Resident.objects.get(pk=plans[0].resident_id)
    user = _login(RESIDENT, resident.display_name, password)
    membership = Membership.objects.create(user=user, organization=organization, role=Role.RESIDENT)
    resident.membership = membership
    resident.email = RESIDENT
    resident.save(update_fields=["membership", "email"])


__all__ = ["DEMO_PASSWORD", "ScaleExists", "ScaleResult", "build_scale"]
