"""Builds a large operator with bulk inserts: houses, beds, a month of stays and the rest of house life.

Each house has 2 rooms of 4 beds; most beds hold a resident all month, some turn over mid-month, one house in ten
has a bed out of service for a week.
"""

import random
from datetime import timedelta

from django.db import connection

from accounts.models import Organization
from houses.models import Bed, BedOutage, House, Room
from residents.models import BedAssignment, Resident, Stay

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
        [Bed(room=room, house_id=room.house_id, label=f"{room.name}-{b}") for room in rooms for b in range(1, 5)],
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
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics yet; autovacuum would gather them in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organization
