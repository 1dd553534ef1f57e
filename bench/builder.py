"""Builds a large operator with bulk inserts: houses, beds, a month of stays and the rest of house life.

Each house has 2 rooms of 4 beds; most beds hold a resident all month, some turn over mid-month, one house in ten
has a bed out of service for a week.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import connection

from accounts.models import Organization
from billing.models import LedgerEntry, Payment
from houses.models import Bed, BedOutage, House, Room
from residents.models import (
    BedAssignment,
    Chore,
    ChoreAssignment,
    DrugTest,
    HouseMeeting,
    Incident,
    Resident,
    Stay,
    TestRequest,
)

BATCH = 2000


def build_organization(*, size: int, month) -> Organization:
    rng = random.Random(size)
    organization = Organization.objects.create(name=f"Bench operator {size}", slug=f"bench-{size}")
    first = month.first
    houses = House.objects.bulk_create(
        [
            House(
                organization=organization,
                name=f"House {n:05d}",
                gender=rng.choice(["men", "women", "coed"]),
                opened_on=first - timedelta(days=400),
            )
            for n in range(size)
        ],
        batch_size=BATCH,
    )
    rooms = Room.objects.bulk_create(
        [Room(house=house, name=f"Room {r}", floor=r) for house in houses for r in (1, 2)], batch_size=BATCH
    )
    beds = Bed.objects.bulk_create(
        [
            Bed(room=room, house_id=room.house_id, label=f"{room.name}-{b}", in_service_from=houses[0].opened_on)
            for room in rooms
            for b in range(1, 5)
        ],
        batch_size=BATCH,
    )
    BedOutage.objects.bulk_create(
        [
            BedOutage(
                bed=beds[i * 8], start=first + timedelta(days=10), end=first + timedelta(days=17), reason="Repair"
            )
            for i in range(0, size, 10)
        ],
        batch_size=BATCH,
    )

    residents, plans = [], []
    for bed in beds:
        roll = rng.random()
        if roll < 0.80:  # there all month
            plans.append((bed, first - timedelta(days=rng.randint(5, 200)), None))
        elif roll < 0.90:  # leaves mid-month, someone else arrives
            leave = first + timedelta(days=rng.randint(5, 15))
            plans.append((bed, first - timedelta(days=rng.randint(30, 120)), leave))
            plans.append((bed, leave + timedelta(days=rng.randint(1, 7)), None))
        else:
            continue
    for n, _plan in enumerate(plans):
        residents.append(Resident(organization=organization, legal_first_name="Resident", legal_last_name=f"{n:06d}"))
    residents = Resident.objects.bulk_create(residents, batch_size=BATCH)

    stays = Stay.objects.bulk_create(
        [
            Stay(
                organization=organization,
                resident=resident,
                house_id=bed.house_id,
                admitted_to_id=bed.house_id,
                move_in=move_in,
                move_out=move_out,
                discharge_reason=rng.choice(["completed", "voluntary", "relapse"]) if move_out else "",
            )
            for resident, (bed, move_in, move_out) in zip(residents, plans, strict=True)
        ],
        batch_size=BATCH,
    )
    BedAssignment.objects.bulk_create(
        [
            BedAssignment(stay=stay, bed=bed, start=move_in, end=move_out)
            for stay, (bed, move_in, move_out) in zip(stays, plans, strict=True)
        ],
        batch_size=BATCH,
    )
    _house_life(organization=organization, houses=houses, stays=stays, month=month, rng=rng)
    _money(organization=organization, stays=stays, month=month, rng=rng)
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics yet; autovacuum would gather them in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organization


def _house_life(*, organization, houses, stays, month, rng):
    """Per house: two test requests and tests, a daily chore, weekly meetings; an incident in one house in five."""
    first = month.first
    tz = organization.tzinfo
    current = [stay for stay in stays if stay.move_out is None]
    requests, tests = [], []
    for index, stay in enumerate(current[::4]):
        due = first + timedelta(days=(index % 27) + 1)
        requests.append(
            TestRequest(organization=organization, resident_id=stay.resident_id, stay=stay, house_id=stay.house_id,
                        reason="random", requested_on=due - timedelta(days=2), due_on=due, status="open")
        )  # fmt: skip
        tests.append(
            DrugTest(organization=organization, resident_id=stay.resident_id, stay=stay, house_id=stay.house_id,
                     collected_at=datetime.combine(due, time(10), tzinfo=tz), method="urine_cup", reason="random",
                     result=rng.choice(["negative"] * 9 + ["positive"]))
        )  # fmt: skip
    TestRequest.objects.bulk_create(requests, batch_size=BATCH)
    DrugTest.objects.bulk_create(tests, batch_size=BATCH)
    chores = Chore.objects.bulk_create(
        [Chore(organization=organization, house=house, name="Kitchen", frequency="daily") for house in houses],
        batch_size=BATCH,
    )
    first_resident = {}
    for stay in current:
        first_resident.setdefault(stay.house_id, stay)
    assignments = []
    for chore in chores:
        stay = first_resident.get(chore.house_id)
        if stay is None:
            continue
        for day in range(0, month.days, 2):
            assignments.append(
                ChoreAssignment(organization=organization, house_id=chore.house_id, chore=chore,
                                resident_id=stay.resident_id, stay=stay, due_date=first + timedelta(days=day))
            )  # fmt: skip
    ChoreAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    HouseMeeting.objects.bulk_create(
        [
            HouseMeeting(
                organization=organization,
                house=house,
                facilitator_name="Manager",
                held_at=datetime.combine(first + timedelta(days=7 * week + 1), time(19), tzinfo=tz),
            )
            for house in houses
            for week in range(4)
        ],
        batch_size=BATCH,
    )
    Incident.objects.bulk_create(
        [
            Incident(
                organization=organization,
                house=house,
                occurred_at=datetime.combine(first, time(22), tzinfo=tz),
                category="curfew",
                severity="low",
                action="warning",
                what_happened="Back after curfew",
            )
            for house in houses[::5]
        ],
        batch_size=BATCH,
    )


def _money(*, organization, stays, month, rng):
    """Each stay is charged the month's rent on the 1st; most pay it, some in part, some not at all."""
    charges, payments = [], []
    for stay in stays:
        charges.append(
            LedgerEntry(organization=organization, resident_id=stay.resident_id, stay=stay, house_id=stay.house_id,
                        kind="program_fee", amount=Decimal("650.00"), effective_on=month.first, memo="Rent")
        )  # fmt: skip
    LedgerEntry.objects.bulk_create(charges, batch_size=BATCH)
    credits = []
    for stay in stays:
        share = rng.choice([Decimal("650.00")] * 6 + [Decimal("300.00"), Decimal("0")])
        if share:
            credits.append(
                LedgerEntry(organization=organization, resident_id=stay.resident_id, stay=stay,
                            house_id=stay.house_id, kind="payment", amount=-share,
                            effective_on=month.first + timedelta(days=rng.randint(0, 20)))
            )  # fmt: skip
    credits = LedgerEntry.objects.bulk_create(credits, batch_size=BATCH)
    for entry in credits:
        payments.append(
            Payment(organization=organization, resident_id=entry.resident_id, stay_id=entry.stay_id,
                    house_id=entry.house_id, method=rng.choice(["cash", "check", "money_order"]), status="completed",
                    amount=-entry.amount, received_on=entry.effective_on, reference="1001", entry=entry)
        )  # fmt: skip
    Payment.objects.bulk_create(payments, batch_size=BATCH)
